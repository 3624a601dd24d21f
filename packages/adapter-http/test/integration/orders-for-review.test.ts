import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { envelope, fullOrderPayload, orderChangedBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { hookUrlOf, internalOriginOf, runCli, startServe, type ServeProcess } from '../support/spawn-cli.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** Orders the hook cannot read whole are created for review, never answered 4xx (docs/contract.md §2), over a real socket. */

const unreadableCreate = (key: string | number): string =>
  envelope('order.created', {
    ...fullOrderPayload(String(key)),
    originalOrderId: key,
    positions: [
      { id: 'A', quantity: 1, price: 'бесплатно' },
      { id: 'B', quantity: 2, price: '10.00', markingCode: [{ value: 'C1\u001dx' }] },
    ],
  }).body

interface OrderView {
  readonly number: string
  readonly review: {
    readonly reasons: readonly string[]
    readonly markedAt: string
    readonly unappliedChange: unknown
  } | null
  readonly positions: readonly { readonly sku: string; readonly markingCodes: readonly string[] }[]
}

describe('orders for review, on the in-memory store', () => {
  let app: TestApp
  afterEach(() => app.close())
  const post = (body: string) => postHook(app.hookUrl, TOKEN, body)
  const admin = async <T>(path: string): Promise<T> => {
    const res = await send(`${app.internalOrigin}${path}`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(res.status, path).to.equal(200)
    return res.json as T
  }
  const events = async <T>(key: string | number): Promise<readonly T[]> =>
    (await admin<{ readonly events: readonly T[] }>(`/admin/orders/${key}/events`)).events
  const metric = async (): Promise<string> => (await send(`${app.internalOrigin}/metrics`, { method: 'GET' })).text

  it('answers an order.created it cannot read whole 200 with a number, the same on retry, the mark and the codes in the admin view', async () => {
    app = await startTestApp()
    const key = uniqueOrderId('RV')
    const first = await post(unreadableCreate(key))
    expect(first.status).to.equal(200)
    expect(first.json).to.have.property('status', 'created')
    const again = await post(unreadableCreate(key))
    expect(again.json).to.deep.equal(first.json)
    const view = await admin<OrderView>(`/admin/orders/${key}`)
    expect(view.review?.reasons).to.deep.equal([
      'position 1 (SKU "A"): the price "бесплатно" could not be read (not a decimal number: "бесплатно"); the line was not recorded',
    ])
    expect(view.positions.map((l) => [l.sku, l.markingCodes])).to.deep.equal([['B', ['C1\u001dx']]])
    const history = await events<{ outcome: string; detail: string | null }>(key)
    expect(history.map((e) => e.outcome)).to.deep.equal(['created', 'duplicate'])
    expect(history[0]?.detail).to.match(/^for review: position 1/)
    expect(await metric()).to.include('sbermarket_hook_review_marks_total{event_type="order.created"} 1')
  })

  it('answers an order.changed it cannot read 200, changes nothing but the mark, and a clean change clears it', async () => {
    app = await startTestApp()
    const key = uniqueOrderId('RV')
    await post(envelope('order.created', fullOrderPayload(key)).body)
    const unreadable = await post(envelope('order.updated', { originalOrderId: key, positions: 'нет' }).body)
    expect(unreadable.status).to.equal(200)
    expect(unreadable.text).to.equal('')
    const marked = await admin<OrderView>(`/admin/orders/${key}`)
    expect(marked.review?.unappliedChange).to.deep.equal({ originalOrderId: key, positions: 'нет' })
    expect(marked.positions).to.have.length(2)
    expect(await metric()).to.include('sbermarket_hook_review_marks_total{event_type="order.updated"} 1')
    await post(orderChangedBody({ originalOrderId: key }).body)
    expect((await admin<OrderView>(`/admin/orders/${key}`)).review).to.equal(null)
    const history = await events<{ outcome: string; detail: string | null }>(key)
    expect(history.map((e) => [e.outcome, e.detail])).to.deep.equal([
      ['created', null],
      ['review', 'for review: positions is not a list; no line could be read; the change was not applied'],
      ['applied', 'review mark cleared: the change read cleanly'],
    ])
  })

  it('answers the same bodies 400 under UNREADABLE_ORDERS=reject; no key and not JSON stay 400 under both', async () => {
    app = await startTestApp({ settings: { unreadableOrders: 'reject' } })
    expect((await post(unreadableCreate(uniqueOrderId('RJ')))).status).to.equal(400)
    expect((await post(envelope('order.changed', { originalOrderId: uniqueOrderId('RJ') }).body)).status).to.equal(400)
    await app.close()
    app = await startTestApp()
    expect((await post(envelope('order.created', { positions: [] }).body)).status).to.equal(400)
    expect((await post('{"event_type":')).status).to.equal(400)
    expect(
      (await post('{"event_type":"order.created","payload":{"originalOrderId":"H\\ud800","positions":[]}}')).status,
    ).to.equal(400)
  })

  it('adds expectedAssemblyTime when configured, the same on a retry, and not otherwise', async () => {
    app = await startTestApp({ settings: { expectedAssembly: { minutes: 30, utcOffset: '+03:00' } } })
    const key = uniqueOrderId('EA')
    const body = envelope('order.created', fullOrderPayload(key)).body
    const first = await post(body)
    // The test app's clock stands at 2026-05-24T09:00:00Z.
    expect(first.json).to.deep.include({ status: 'created', expectedAssemblyTime: '2026-05-24T12:30:00+03:00' })
    expect((await post(body)).json).to.deep.equal(first.json)
    await app.close()
    app = await startTestApp()
    expect((await post(envelope('order.created', fullOrderPayload(uniqueOrderId('EA'))).body)).json).to.have.all.keys(
      'status',
      'number',
    )
  })

  it('answers the events seen in public that it does not act on 200, journaled ignored with their key (an integer key too)', async () => {
    app = await startTestApp()
    const key = 71234567890
    await post(envelope('order.created', { ...fullOrderPayload(String(key)), originalOrderId: key }).body)
    for (const type of ['order.assembled', 'courier.assigned', 'courier.arrived', 'order.delivering']) {
      const res = await post(envelope(type, { originalOrderId: key }).body)
      expect(res.status, type).to.equal(200)
      expect(res.text, type).to.equal('')
    }
    const history = await events<{ eventType: string; outcome: string }>(key)
    expect(history.map((e) => [e.eventType, e.outcome])).to.deep.equal([
      ['order.created', 'created'],
      ['order.assembled', 'ignored'],
      ['courier.assigned', 'ignored'],
      ['courier.arrived', 'ignored'],
      ['order.delivering', 'ignored'],
    ])
  })
})

describe('orders for review, on `serve` with the SQLite store, and `review clear`', () => {
  let dataDir: string
  let serve: ServeProcess
  let hookUrl: string
  let internalOrigin: string
  before(async function () {
    this.timeout(30000)
    dataDir = await mkdtemp(join(tmpdir(), 'hook-review-'))
    serve = await startServe({
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SBERMARKET_HOOK_TOKENS: TOKEN,
      ADMIN_TOKEN: ADMIN,
    })
    hookUrl = hookUrlOf(serve)
    internalOrigin = internalOriginOf(serve)
  })
  after(async () => {
    serve.child.kill('SIGTERM')
    await serve.exited
    await rm(dataDir, { recursive: true, force: true })
  })

  it('creates the order for review, shows the mark, and clears it through the command line, journaled', async function () {
    this.timeout(30000)
    const key = uniqueOrderId('RS')
    expect((await postHook(hookUrl, TOKEN, unreadableCreate(key))).status).to.equal(200)
    const view = async (): Promise<OrderView> =>
      (
        await send(`${internalOrigin}/admin/orders/${key}`, {
          method: 'GET',
          headers: { Authorization: `Bearer ${ADMIN}` },
        })
      ).json as OrderView
    expect((await view()).review?.reasons).to.have.length(1)
    expect((await view()).positions.map((l) => l.markingCodes)).to.deep.equal([['C1\u001dx']])
    const env = { DATA_DIR: dataDir, SBERMARKET_HOOK_TOKENS: TOKEN }
    const cleared = await runCli(['review', 'clear', '--order', key, '--note', 'цена сверена со СберМаркетом'], env)
    expect(cleared.code, cleared.stderr).to.equal(0)
    expect(cleared.stdout).to.include(`${key}: review mark cleared`)
    expect((await view()).review).to.equal(null)
    const again = await runCli(['review', 'clear', '--order', key, '--note', 'again'], env)
    expect(again.stdout).to.include('not marked for review')
    const missing = await runCli(['review', 'clear', '--order', 'NO-SUCH-ORDER', '--note', 'x'], env)
    expect(missing.code).to.equal(1)
    expect((await runCli(['review', 'clear', '--order', key], env)).code).to.equal(2)
  })
})
