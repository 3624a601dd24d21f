import { expect } from 'chai'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as O from 'fp-ts/lib/Option.js'
import { journalEntry, type Order, type OrderRepository } from '@domino-sm/core'
import { newRequestId, orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send, type TestResponse } from '../support/http-client.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

interface HistoryPage {
  readonly originalOrderId: string
  readonly events: readonly Record<string, unknown>[]
  readonly next: number | null
}

/** The most bytes of entries an admin list answer holds (`ADMIN_PAGE_BYTES` of `journal-view.ts`), and the room its envelope takes. */
const PAGE_BYTES = 256 * 1024
const ENVELOPE_BYTES = 200

describe("admin API: an order's history in pages", () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp()
  })
  afterEach(() => app.close())

  const admin = (path: string): Promise<TestResponse> =>
    send(`${app.internalOrigin}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${ADMIN}` } })
  const historyPage = async (key: string, query = ''): Promise<HistoryPage> => {
    const res = await admin(`/admin/orders/${encodeURIComponent(key)}/events${query}`)
    expect(res.status, res.text).to.equal(200)
    return res.json as HistoryPage
  }
  const record = async (key: string, detail: string, rawBody: string | null = '{}'): Promise<number> => {
    const entry = journalEntry(
      { eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail },
      { requestId: newRequestId(), rawBody, receivedAt: app.clock.now(), httpStatus: 400, durationMs: 1 },
    )
    const id = await app.store.recordJournal(entry)()
    if (id._tag === 'Left') throw new Error('journal write failed')
    return id.right
  }

  it('pages the history oldest first with the cursor next, without bodies; each entry by id has the same facts and its body', async () => {
    const key = uniqueOrderId('HH')
    await postHook(app.hookUrl, TOKEN, statusBody('order.paid', key).body)
    await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)
    await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)
    await postHook(app.hookUrl, TOKEN, statusBody('order.received', key).body)
    await postHook(app.hookUrl, TOKEN, statusBody('order.paid', key).body)
    const pages: HistoryPage[] = [await historyPage(key, '?limit=2')]
    for (let next = pages[0]?.next; next !== null && next !== undefined; next = pages.at(-1)?.next)
      pages.push(await historyPage(key, `?limit=2&after=${next}`))
    expect(pages.map((page) => page.events.length)).to.deep.equal([2, 2, 1])
    expect(pages.map((page) => page.originalOrderId)).to.deep.equal([key, key, key])
    const events = pages.flatMap((page) => page.events)
    expect(events.map((e) => [e['eventType'], e['outcome'], e['httpStatus']])).to.deep.equal([
      ['order.paid', 'pending', 200],
      ['order.created', 'created', 200],
      ['order.created', 'duplicate', 200],
      ['order.received', 'applied', 200],
      ['order.paid', 'stale', 200],
    ])
    for (const event of events) {
      expect(event).to.not.have.property('rawBody')
      expect(event['hasBody']).to.equal(true)
      const one = await admin(`/admin/journal/${String(event['id'])}`)
      expect(one.status).to.equal(200)
      const { rawBody, ...facts } = one.json as Record<string, unknown>
      expect(facts).to.deep.equal(event)
      expect(JSON.parse(String(rawBody))).to.have.nested.property('payload.originalOrderId', key)
    }
    const whole = await historyPage(key)
    expect(whole.events).to.deep.equal(events)
    expect(whole.next).to.equal(null)
  })

  it('answers the history of a key with no order (entries only), and an empty page for a key with none', async () => {
    const key = uniqueOrderId('HH')
    await postHook(app.hookUrl, TOKEN, statusBody('order.paid', key).body)
    expect((await historyPage(key)).events.map((e) => e['outcome'])).to.deep.equal(['pending'])
    const nobody = uniqueOrderId('HH')
    expect(await historyPage(nobody)).to.deep.equal({ originalOrderId: nobody, events: [], next: null })
  })

  it('refuses a bad cursor or page size with a 400 that names it, as the journal does', async () => {
    const key = uniqueOrderId('HH')
    for (const query of [
      '?limit=0',
      '?limit=1001',
      '?limit=-1',
      '?limit=1e3',
      '?limit=',
      '?after=abc',
      '?after=0',
      '?after=1.5',
      '?after=99999999999999999',
      '?limit=2&limit=x',
    ]) {
      const res = await admin(`/admin/orders/${key}/events${query}`)
      expect(res.status, query).to.equal(400)
      const problem = res.json as { error: string; detail: string }
      expect(problem.error).to.equal('bad_query')
      expect(problem.detail, query).to.match(query.includes('after') ? /^after: / : /^limit: /)
    }
    // The last value of a repeated parameter counts, as for the journal; other parameters are ignored.
    expect((await admin(`/admin/orders/${key}/events?limit=x&limit=2&order=elsewhere`)).status).to.equal(200)
  })

  it('holds one answer to its bytes: a page of large entries stops early with its cursor, and a huge detail is shown cut', async () => {
    const key = uniqueOrderId('HH')
    const ids: number[] = []
    for (let i = 0; i < 120; i += 1) ids.push(await record(key, `${i}:${'д'.repeat(3990)}`))
    ids.push(await record(key, 'ж'.repeat(2_000_000)))
    const seen: number[] = []
    let query = '?limit=1000'
    for (;;) {
      const res = await admin(`/admin/orders/${key}/events${query}`)
      expect(res.status).to.equal(200)
      expect(Buffer.byteLength(res.text, 'utf8')).to.be.at.most(PAGE_BYTES + ENVELOPE_BYTES)
      const page = res.json as HistoryPage
      seen.push(...page.events.map((e) => Number(e['id'])))
      if (page.next === null) break
      expect(page.next).to.equal(seen.at(-1))
      query = `?limit=1000&after=${page.next}`
    }
    expect(seen).to.deep.equal(ids)
    const huge = await admin(`/admin/journal/${String(ids.at(-1))}`)
    const detail = (huge.json as { detail: string }).detail
    expect(detail).to.have.length(4000)
    expect(detail.endsWith('…')).to.equal(true)
  })

  it('bounds a page of the journal list by the same bytes', async () => {
    const key = uniqueOrderId('HH')
    for (let i = 0; i < 100; i += 1) await record(key, 'д'.repeat(3990))
    const res = await admin(`/admin/journal?order=${key}&limit=100`)
    expect(res.status).to.equal(200)
    const page = res.json as { entries: { id: number }[]; next: number | null }
    expect(Buffer.byteLength(res.text, 'utf8')).to.be.at.most(PAGE_BYTES + ENVELOPE_BYTES)
    expect(page.entries.length).to.be.within(1, 99)
    expect(page.next).to.equal(page.entries.at(-1)?.id)
  })

  it('gives one entry whose body is at the body limit whole, by id', async () => {
    const key = uniqueOrderId('HH')
    const head = statusBody('order.paid', key, { note: '' }).body.slice(0, -3)
    const room = 1024 * 1024 - Buffer.byteLength(`${head}"}}`, 'utf8')
    const body = `${head}${'ж'.repeat(Math.floor(room / 2))}${room % 2 === 1 ? 'a' : ''}"}}`
    expect(Buffer.byteLength(body, 'utf8')).to.equal(1024 * 1024)
    expect((await postHook(app.hookUrl, TOKEN, body)).status).to.equal(200)
    expect((await postHook(app.hookUrl, TOKEN, `${body} `)).status).to.equal(413)
    const [entry] = (await historyPage(key)).events
    const one = await admin(`/admin/journal/${String(entry?.['id'])}`)
    expect((one.json as { rawBody: string }).rawBody).to.equal(body)
  })

  it('bounds the answer of one entry to six times the body limit, for a body of control characters (JSON escapes)', async () => {
    const limit = 1024 * 1024
    const res = await postHook(app.hookUrl, TOKEN, Buffer.alloc(limit, 1).toString('latin1'))
    expect(res.status).to.equal(400)
    const listed = await admin('/admin/journal?outcome=rejected&limit=1000')
    const entry = (listed.json as { entries: { id: number; hasBody: boolean }[] }).entries.at(-1)
    expect(entry?.hasBody).to.equal(true)
    const one = await admin(`/admin/journal/${String(entry?.id)}`)
    expect(one.status).to.equal(200)
    expect((one.json as { rawBody: string }).rawBody).to.equal('\u0001'.repeat(limit))
    const bytes = Buffer.byteLength(one.text, 'utf8')
    expect(bytes).to.be.above(limit * 6)
    expect(bytes).to.be.at.most(limit * 6 + 1024)
  })
})

describe('request log: the status logged is the status answered', () => {
  it('logs 500 for an answer that cannot be serialized (it was logged 200 while Koa answered 500 after the log)', async () => {
    const key = uniqueOrderId('HH')
    // A store whose order cannot be written as JSON (its number a BigInt): what a history too large for one string did.
    const unserializable = (orders: OrderRepository): OrderRepository => ({
      ...orders,
      findOrder: (id) =>
        pipe(
          orders.findOrder(id),
          TE.map(O.map((order): Order => ({ ...order, number: 1n as unknown as Order['number'] }))),
        ),
    })
    const app = await startTestApp({ wrapOrders: unserializable })
    try {
      expect((await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)).status).to.equal(200)
      const res = await send(`${app.internalOrigin}/admin/orders/${key}`, {
        method: 'GET',
        headers: { Authorization: `Bearer ${ADMIN}` },
      })
      expect(res.status).to.equal(500)
      expect(res.json).to.deep.equal({ error: 'internal', detail: 'the request could not be handled; please retry' })
      const [line] = app.logs.requests().filter((l) => l['path'] === `/admin/orders/${key}`)
      expect(line?.['status']).to.equal(500)
      expect(app.logs.records().some((r) => r['msg'] === 'unhandled error')).to.equal(true)
    } finally {
      await app.close()
    }
  })
})
