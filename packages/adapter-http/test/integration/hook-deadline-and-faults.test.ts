import { expect } from 'chai'
import { storePermanent } from '@domino-sm/core'
import { always, fixtureBody, onNextCalls, orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { send } from '../support/http-client.js'
import { postHook } from '../support/http-client.js'
import { startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Spec §2 "Deadline" and "the database is down or too slow: 503, quickly". */
describe('hook deadline and store faults', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp({ settings: { hookDeadlineMs: 300 } })
  })
  afterEach(() => app.close())

  it('answers 503 at the deadline when the store is slower, and journals what the store did after all', async () => {
    app.faulty.setFaults({ createOrGet: { delayMs: 800 } })
    const id = uniqueOrderId('HD')
    const res = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    expect(res.status).to.equal(503)
    // The contract is SberMarket's 5 s; the configured deadline here is 300 ms, so the answer came from the deadline.
    expect(res.elapsedMs).to.be.below(800)
    expect(res.json).to.deep.equal({
      error: 'unavailable',
      detail: 'the order store did not answer in time; please retry',
    })
    await sleep(700)
    const [entry] = await app.journalOf(id)
    // The store committed in time by its own clock (this one stands still) and journaled 200; the edge amended it.
    expect(entry).to.deep.include({
      outcome: 'created',
      httpStatus: 503,
      detail: 'the store committed created after the deadline; answered 503',
    })
    expect(app.faulty.calls('recordJournal'), 'the amendment is a write of the same request id').to.equal(1)
    expect(await app.journalOf(id)).to.have.length(1)
  })

  it('lets a store that commits after the deadline journal the 503 itself, with nothing to amend', async () => {
    app.faulty.setFaults({ createOrGet: { delayMs: 500 } })
    const id = uniqueOrderId('HD')
    const answer = postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    await sleep(100)
    app.clock.advance(1000)
    expect((await answer).status).to.equal(503)
    await sleep(600)
    const entries = await app.journalOf(id)
    expect(entries.map((e) => [e.outcome, e.httpStatus, e.detail])).to.deep.equal([
      ['created', 503, 'the store committed created after the deadline; answered 503'],
    ])
    expect(app.faulty.calls('recordJournal')).to.equal(0)
  })

  it('journals a store failure that came after the deadline, retrying until the journal takes it', async () => {
    app.faulty.setFaults({ createOrGet: { delayMs: 400, fail: always }, recordJournal: { fail: onNextCalls(2) } })
    const id = uniqueOrderId('HD')
    expect((await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)).status).to.equal(503)
    await sleep(1200)
    expect(app.faulty.calls('recordJournal')).to.equal(3)
    expect((await app.journalOf(id)).map((e) => [e.outcome, e.httpStatus, e.detail])).to.deep.equal([
      ['failed', 503, 'answered 503 at the deadline of 300 ms; the store then finished with failed'],
    ])
  })

  it('lets the retry after a late create answer the same order, with no duplicate', async () => {
    app.faulty.setFaults({ createOrGet: { delayMs: 600 } })
    const id = uniqueOrderId('HD')
    const body = orderCreatedBody({ originalOrderId: id }).body
    expect((await postHook(app.hookUrl, TOKEN, body)).status).to.equal(503)
    app.faulty.heal()
    await sleep(400)
    const retry = await postHook(app.hookUrl, TOKEN, body)
    expect(retry.status).to.equal(200)
    expect((await app.orderOf(id))?.number).to.equal((retry.json as { number: string }).number)
    expect((await app.journalOf(id)).map((j) => [j.outcome, j.httpStatus])).to.deep.equal([
      ['created', 503],
      ['duplicate', 200],
    ])
  })

  it('answers 503 quickly while the store is down, and recovers when it is back', async () => {
    app.faulty.setFaults({ createOrGet: { fail: always }, applyUpdate: { fail: always } })
    const id = uniqueOrderId('HD')
    const down = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    const downStatus = await postHook(app.hookUrl, TOKEN, statusBody('order.paid', id).body)
    expect(down.status).to.equal(503)
    expect(downStatus.status).to.equal(503)
    expect((await app.journalOf(id)).map((j) => j.outcome)).to.deep.equal(['failed', 'failed'])
    app.faulty.heal()
    const up = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    expect(up.status).to.equal(200)
    expect(up.json).to.deep.include({ status: 'created' })
  })

  it('answers 503 when the journal of a request that reached no order cannot be written (it must be, before the answer)', async () => {
    app.faulty.setFaults({ recordJournal: { fail: always } })
    const ignored = await postHook(
      app.hookUrl,
      TOKEN,
      fixtureBody('unknown-event', { originalOrderId: uniqueOrderId('HD') }),
    )
    const rejected = await postHook(app.hookUrl, TOKEN, '{"event_type":"order.created","payload":{}}')
    expect([ignored.status, rejected.status]).to.deep.equal([503, 503])
  })

  it('answers 503 when that journal write itself outlasts the deadline', async () => {
    app.faulty.setFaults({ recordJournal: { delayMs: 700 } })
    const res = await postHook(
      app.hookUrl,
      TOKEN,
      fixtureBody('unknown-event', { originalOrderId: uniqueOrderId('HD') }),
    )
    expect(res.status).to.equal(503)
    expect(res.elapsedMs).to.be.below(700)
    await sleep(500)
  })

  it('journals a rejected request whose journal write failed once, as answered 503, when the store takes it (reject policy)', async () => {
    await app.close()
    app = await startTestApp({ settings: { unreadableOrders: 'reject' } })
    app.faulty.setFaults({ recordJournal: { fail: onNextCalls(1) } })
    const id = uniqueOrderId('HD')
    const res = await postHook(
      app.hookUrl,
      TOKEN,
      JSON.stringify({ event_type: 'order.created', payload: { originalOrderId: id, positions: [] } }),
    )
    expect(res.status).to.equal(503)
    await sleep(400)
    const entries = await app.journalOf(id)
    expect(entries.map((e) => [e.outcome, e.httpStatus])).to.deep.equal([['rejected', 503]])
    expect(entries[0]?.detail).to.match(/^journal write failed: StoreUnavailable; answered 503 \(/)
  })

  it('amends to 503 the entry of a request whose journal write came after the deadline', async () => {
    app.faulty.setFaults({ recordJournal: { delayMs: 500 } })
    const id = uniqueOrderId('HD')
    const res = await postHook(app.hookUrl, TOKEN, fixtureBody('unknown-event', { originalOrderId: id }))
    expect(res.status).to.equal(503)
    // The first write lands after 500 ms; the amendment, a second write of the same request id, 500 ms later.
    await sleep(1300)
    expect((await app.journalOf(id)).map((e) => [e.outcome, e.httpStatus, e.detail])).to.deep.equal([
      ['ignored', 503, 'journal write late; answered 503'],
    ])
  })

  it('does not journal an order operation a second time at the edge', async () => {
    const id = uniqueOrderId('HD')
    expect((await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)).status).to.equal(200)
    expect((await postHook(app.hookUrl, TOKEN, statusBody('order.paid', id).body)).status).to.equal(200)
    expect(app.faulty.calls('recordJournal')).to.equal(0)
    expect((await app.journalOf(id)).map((e) => e.outcome)).to.deep.equal(['created', 'applied'])
  })

  it('answers 500 to a refusal a retry cannot fix, journals it as needing a person, and counts it apart from 503s', async () => {
    app.faulty.setFaults({
      createOrGet: {
        fail: always,
        error: storePermanent('createOrGet: SQL Server error 2628 (the same request fails the same way again)'),
      },
    })
    const id = uniqueOrderId('HP')
    const res = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    // A 5xx, not a 4xx: SberMarket keeps retrying instead of cancelling the order while a person looks.
    expect(res.status).to.equal(500)
    expect(res.json).to.deep.equal({
      error: 'store_refused',
      detail: 'the order store refused this request; it is journaled for support',
    })
    const [entry, ...more] = await app.journalOf(id)
    expect(more).to.deep.equal([])
    expect(entry).to.deep.include({ outcome: 'failed', httpStatus: 500 })
    expect(entry?.detail).to.equal(
      'needs a person: the store refused it: createOrGet: SQL Server error 2628 (the same request fails the same way again)',
    )
    const metrics = await send(`${app.internalOrigin}/metrics`, { method: 'GET' })
    expect(metrics.text).to.match(/^sbermarket_hook_store_refusals_total\{event_type="order.created"\} 1$/m)
    app.faulty.setFaults({ createOrGet: { fail: always } })
    expect(
      (await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HP') }).body)).status,
      'a transient failure stays 503',
    ).to.equal(503)
    const after = await send(`${app.internalOrigin}/metrics`, { method: 'GET' })
    expect(after.text).to.match(/^sbermarket_hook_store_refusals_total\{event_type="order.created"\} 1$/m)
  })
})
