import { expect } from 'chai'
import { randomUUID } from 'node:crypto'
import { MAX_READABLE_DEPTH } from '@domino-sm/core/internals'
import { envelope, fullOrderPayload, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const LIMIT = 1024 * 1024
const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`

/** An order.created whose body nests `depth` levels: the envelope is 1, the payload 2, `extra`'s arrays below. */
const createdOfDepth = (key: string, depth: number): string =>
  `{"event_type":"order.created","payload":{"originalOrderId":"${key}","positions":[{"id":"A","quantity":1,"price":"10"}],"extra":${nested(depth - 2)}}}`

/**
 * The order key, depth and unreadable event types through the HTTP edge, over a real socket (docs/contract.md §2-§3):
 * an order keyed by orderUUID, integer keys that a double would merge, bodies at and past the reader's depth up to the
 * 1 MiB limit, event types and bodies no store can keep as written, and admin reads of keys no order can have.
 */
describe('the hook edge: order keys, depth and unreadable text', function () {
  this.timeout(60000)
  let app: TestApp
  before(async () => {
    app = await startTestApp()
  })
  after(() => app.close())

  const admin = (path: string) =>
    send(`${app.internalOrigin}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${ADMIN}` } })

  it('creates an order keyed by orderUUID, answers its retry with the same number, and applies its status events', async () => {
    const uuid = `metro-cc:${randomUUID()}`
    const { originalOrderId: _none, ...payload } = fullOrderPayload('x')
    const body = envelope('order.created', { ...payload, orderUUID: uuid }).body
    const first = await postHook(app.hookUrl, TOKEN, body)
    expect(first.status).to.equal(200)
    expect(first.json).to.have.property('status', 'created')
    expect((await postHook(app.hookUrl, TOKEN, body)).json).to.deep.equal(first.json)
    expect((await postHook(app.hookUrl, TOKEN, envelope('order.paid', { orderUUID: uuid }).body)).status).to.equal(200)
    const order = await app.orderOf(uuid)
    expect(order?.status).to.equal('paid')
    expect(order?.content.orderUuid).to.equal(uuid)
    const shown = await admin(`/admin/orders/${encodeURIComponent(uuid)}`)
    expect(shown.status).to.equal(200)
  })

  it('answers two orders, two numbers, for integer keys that differ only in the 17th digit', async () => {
    const stem = `${Date.now()}${String(Math.floor(Math.random() * 1e3)).padStart(3, '0')}`
    const raw = (last: string) =>
      `{"event_type":"order.created","payload":{"originalOrderId":${stem}${last},"positions":[{"id":"A","quantity":1,"price":"10"}]}}`
    const [a, b] = [await postHook(app.hookUrl, TOKEN, raw('1')), await postHook(app.hookUrl, TOKEN, raw('9'))]
    expect([a.status, b.status]).to.deep.equal([200, 200])
    expect((a.json as { number: string }).number).to.not.equal((b.json as { number: string }).number)
    expect((await app.journalOf(`${stem}9`)).map((r) => r.outcome)).to.deep.equal(['created'])
  })

  it('refuses a key that is no whole number of digits (-0, 1e21, 1.0) with 400, journaled', async () => {
    for (const rawKey of ['-0', '1e21', '1.0']) {
      const body = `{"event_type":"order.created","payload":{"originalOrderId":${rawKey},"positions":[]}}`
      const res = await postHook(app.hookUrl, TOKEN, body)
      expect(res.status, rawKey).to.equal(400)
      expect((res.json as { detail: string }).detail).to.match(
        /^payload\.originalOrderId: a number key must be a whole number/,
      )
      const rejected = await app.store.searchJournal({ outcomes: ['rejected'], limit: 1000, withBodies: true })()
      expect(rejected._tag === 'Right' && rejected.right.at(-1)?.rawBody, rawKey).to.equal(body)
    }
  })

  it(`creates as usual an order nested ${MAX_READABLE_DEPTH} levels, and for review one nested deeper`, async () => {
    const usual = uniqueOrderId('DP')
    expect((await postHook(app.hookUrl, TOKEN, createdOfDepth(usual, MAX_READABLE_DEPTH))).status).to.equal(200)
    expect((await app.orderOf(usual))?.review).to.equal(undefined)
    const deeper = uniqueOrderId('DP')
    const res = await postHook(app.hookUrl, TOKEN, createdOfDepth(deeper, MAX_READABLE_DEPTH + 1))
    expect(res.status).to.equal(200)
    expect(res.json).to.have.property('status', 'created')
    expect((await app.orderOf(deeper))?.review?.reasons[0]).to.match(/nested deeper than 1000 levels/)
    expect((await app.journalOf(deeper)).map((r) => r.outcome)).to.deep.equal(['created'])
  })

  it('creates for review the deepest order the 1 MiB body limit lets through, and answers 413 one byte past it', async () => {
    const key = uniqueOrderId('DP')
    const frame = createdOfDepth(key, 2).length
    const depth = Math.floor((LIMIT - frame) / 2) + 2
    const deepest = createdOfDepth(key, depth)
    expect(Buffer.byteLength(deepest)).to.be.within(LIMIT - 1, LIMIT)
    const res = await postHook(app.hookUrl, TOKEN, deepest)
    expect(res.status).to.equal(200)
    expect(res.json).to.have.property('status', 'created')
    const order = await app.orderOf(key)
    expect(order?.review?.reasons).to.have.length(1)
    expect(order?.payloadJson.length).to.equal(deepest.length - '{"event_type":"order.created","payload":}'.length)
    const over = `${deepest.slice(0, -1)} ${' '.repeat(LIMIT - Buffer.byteLength(deepest))}}`
    expect(Buffer.byteLength(over)).to.equal(LIMIT + 1)
    expect((await postHook(app.hookUrl, TOKEN, over)).status).to.equal(413)
  })

  it('keeps a change nested past the reader for review, and shows it to the admin as text', async () => {
    const key = uniqueOrderId('DP')
    expect((await postHook(app.hookUrl, TOKEN, createdOfDepth(key, 10))).status).to.equal(200)
    const change = createdOfDepth(key, 50_000).replace('order.created', 'order.changed')
    expect((await postHook(app.hookUrl, TOKEN, change)).status).to.equal(200)
    const shown = await admin(`/admin/orders/${key}`)
    expect(shown.status, shown.text.slice(0, 200)).to.equal(200)
    const review = (shown.json as { review: { reasons: string[]; unappliedChange: unknown } }).review
    expect(review.reasons[0]).to.match(/nested deeper than 1000 levels/)
    expect(review.unappliedChange)
      .to.be.a('string')
      .with.length(change.length - '{"event_type":"order.changed","payload":}'.length)
  })

  it('keeps the 400 for depth only under UNREADABLE_ORDERS=reject', async () => {
    const strict = await startTestApp({ settings: { unreadableOrders: 'reject' } })
    try {
      const key = uniqueOrderId('DP')
      const res = await postHook(strict.hookUrl, TOKEN, createdOfDepth(key, MAX_READABLE_DEPTH + 1))
      expect(res.status).to.equal(400)
      expect((res.json as { detail: string }).detail).to.equal(
        `payload: nested deeper than ${MAX_READABLE_DEPTH} levels`,
      )
      expect((await strict.journalOf(key)).map((r) => r.outcome)).to.deep.equal(['rejected'])
    } finally {
      await strict.close()
    }
  })

  it('answers an event type with a NUL or a lone surrogate like an unknown type (200, ignored), journaled escaped', async () => {
    for (const [sent, kept] of [
      ['order.created\u0000', 'order.created\\u0000'],
      ['order.\ud800paid', 'order.\\ud800paid'],
    ] as const) {
      const key = uniqueOrderId('ET')
      const res = await postHook(
        app.hookUrl,
        TOKEN,
        JSON.stringify({ event_type: sent, payload: { originalOrderId: key, positions: [] } }),
      )
      expect(res.status, kept).to.equal(200)
      const [entry] = await app.journalOf(key)
      expect(entry).to.include({ eventType: kept, outcome: 'ignored', httpStatus: 200 })
    }
  })

  it('answers a body with a raw NUL 400 and journals it with the NUL escaped', async () => {
    const key = uniqueOrderId('NU')
    const body = `{"event_type":"order.created","payload":{"originalOrderId":"${key}","comment":"a\u0000b","positions":[]}}`
    const res = await postHook(app.hookUrl, TOKEN, body)
    expect(res.status).to.equal(400)
    expect(res.json).to.deep.include({ error: 'malformed_body' })
    const rejected = await app.store.searchJournal({ outcomes: ['rejected'], limit: 1000, withBodies: true })()
    if (rejected._tag === 'Left') throw new Error('journal unreadable')
    const journaled = rejected.right.at(-1)
    expect(journaled?.rawBody).to.equal(body.replace('\u0000', '\\u0000'))
    expect(journaled?.outcome).to.equal('rejected')
  })

  it('answers admin reads of a key with a NUL or a lone surrogate 400 with the reason, and logs them', async () => {
    for (const path of [
      '/admin/orders/H1%00',
      '/admin/orders/H1%00/events',
      '/admin/orders/%ED%A0%80',
      '/admin/journal?order=H1%00',
    ]) {
      const before = app.logs.requests().length
      const res = await admin(path)
      // A lone surrogate cannot be percent-decoded as UTF-8 at all: the router finds no such path (404).
      expect(res.status, path).to.equal(path.includes('%ED') ? 404 : 400)
      expect(res.status, path).to.not.equal(503)
      expect(res.json, path).to.have.property('detail').that.is.a('string').and.not.empty
      const lines = app.logs.requests().slice(before)
      expect(
        lines.map((l) => l['status']),
        path,
      ).to.deep.equal([res.status])
    }
    expect((await admin('/admin/orders/H1%00')).json).to.deep.equal({
      error: 'bad_key',
      detail: 'the order key holds a NUL character, which cannot be stored; no order has such a key',
    })
  })
})
