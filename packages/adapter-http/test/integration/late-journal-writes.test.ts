import { expect } from 'chai'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { storeUnavailable, type OrderRepository } from '@domino-sm/core'
import { statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook } from '../support/http-client.js'
import { startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const REQUESTS = 6

/** The memory store behind a switch: while `down`, every journal write fails as a store that cannot be reached. */
const switchable =
  (state: { down: boolean }) =>
  (orders: OrderRepository): OrderRepository => ({
    ...orders,
    // Decided at each run of the task, not when it is made: the late writes run one task again and again.
    recordJournal: (entry) => () =>
      state.down ? TE.left(storeUnavailable('switched off by the test'))() : orders.recordJournal(entry)(),
  })

/** The value of a counter without labels in the app's registry. */
const counter = async (app: TestApp, name: string): Promise<number> => {
  const metric = await app.metrics.registry.getSingleMetric(name)?.get()
  return metric?.values[0]?.value ?? Number.NaN
}

/**
 * Requests journaled at the edge (an event type the hook does not handle: `ignored`), whose journal write fails:
 * each is answered 503 and its entry left to the late writes, which the stop then settles.
 */
const answered503 = async (app: TestApp): Promise<readonly string[]> => {
  const keys = Array.from({ length: REQUESTS }, () => uniqueOrderId('HLJ'))
  const answers = await Promise.all(
    keys.map((key) => postHook(app.hookUrl, TOKEN, statusBody('order.something_new', key).body)),
  )
  expect(answers.map((a) => a.status)).to.deep.equal(keys.map(() => 503))
  return keys
}

describe('the journal writes made after an answer, at a stop (memory store behind a switch, real socket)', function () {
  this.timeout(30_000)
  let app: TestApp | undefined
  afterEach(() => app?.close())

  it('writes every entry when the store comes back inside the grace, and counts none lost', async () => {
    const store = { down: true }
    app = await startTestApp({ wrapOrders: switchable(store) })
    const keys = await answered503(app)
    expect(app.lateJournal.pending).to.equal(REQUESTS)
    const settling = app.lateJournal.settle(5000)
    setTimeout(() => (store.down = false), 300)
    const report = await settling
    expect(report).to.deep.equal({ pendingAtStop: REQUESTS, written: REQUESTS, lost: 0 })
    for (const key of keys)
      expect((await app.journalOf(key)).map((r) => [r.outcome, r.httpStatus])).to.deep.equal([['ignored', 503]])
    expect(await counter(app, 'sbermarket_hook_journal_entries_lost_total')).to.equal(0)
  })

  it('logs each entry still unwritten at the end of the grace as one error line, and counts it in the metric', async () => {
    const store = { down: true }
    app = await startTestApp({ wrapOrders: switchable(store) })
    const keys = await answered503(app)
    expect(await counter(app, 'sbermarket_hook_journal_entries_lost_total'), 'before the stop').to.equal(0)
    const report = await app.lateJournal.settle(300)
    expect(report).to.deep.equal({ pendingAtStop: REQUESTS, written: 0, lost: REQUESTS })
    expect(await counter(app, 'sbermarket_hook_journal_entries_lost_total')).to.equal(REQUESTS)
    const lost = app.logs.records().filter((r) => r['lostJournalEntry'] !== undefined)
    expect(lost).to.have.length(REQUESTS)
    expect(lost.map((r) => (r['lostJournalEntry'] as { orderKey: string }).orderKey).sort()).to.deep.equal(
      [...keys].sort(),
    )
    for (const r of lost)
      expect(r['lostJournalEntry']).to.include({
        eventType: 'order.something_new',
        outcome: 'ignored',
        httpStatus: 503,
      })
    // Given up: the store back afterwards gets no late write (the line is the one record), and no second line comes.
    store.down = false
    await new Promise((resolve) => setTimeout(resolve, 400))
    for (const key of keys) expect(await app.journalOf(key)).to.have.length(0)
    expect(app.logs.records().filter((r) => r['lostJournalEntry'] !== undefined)).to.have.length(REQUESTS)
  })

  it('gives an entry up after its retries while the service runs: one line, counted', async () => {
    const store = { down: true }
    app = await startTestApp({ wrapOrders: switchable(store), lateJournalDelaysMs: [10, 10] })
    const res = await postHook(app.hookUrl, TOKEN, statusBody('order.something_new', uniqueOrderId('HLJ')).body)
    expect(res.status).to.equal(503)
    const until = Date.now() + 5000
    while (app.lateJournal.pending > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(app.lateJournal.pending).to.equal(0)
    expect(await counter(app, 'sbermarket_hook_journal_entries_lost_total')).to.equal(1)
    expect(app.logs.records().filter((r) => r['lostJournalEntry'] !== undefined)).to.have.length(1)
  })
})
