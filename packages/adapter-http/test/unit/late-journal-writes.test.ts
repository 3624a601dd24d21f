import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { createLogger, HookMetrics, LateJournalWrites, type LostEntryFacts } from '@domino-sm/adapter-http'
import { LogCapture } from '../support/test-app.js'

const facts = (requestId: string): LostEntryFacts => ({
  requestId,
  eventType: 'order.created',
  orderKey: 'H1',
  outcome: 'failed',
  httpStatus: 503,
})

/** A store write that fails its first `failures` runs, then succeeds; `runs` counts the attempts. */
const flaky = (failures: number): { readonly write: TE.TaskEither<string, number>; readonly runs: () => number } => {
  let runs = 0
  return {
    write: () => {
      runs += 1
      return Promise.resolve(runs > failures ? E.right(1) : E.left('locked'))
    },
    runs: () => runs,
  }
}

const setup = (delaysMs: readonly number[]) => {
  const logs = new LogCapture()
  const metrics = new HookMetrics({ processMetrics: false })
  return { logs, metrics, writes: new LateJournalWrites(createLogger('info', logs), metrics, delaysMs) }
}

const lostCount = async (metrics: HookMetrics): Promise<number> =>
  (await metrics.registry.getSingleMetric('sbermarket_hook_journal_entries_lost_total')?.get())?.values[0]?.value ??
  Number.NaN

describe('LateJournalWrites: the journal writes made after an answer', () => {
  it('wakes a write sleeping in a long pause when a stop begins, so a store back inside the grace takes it', async () => {
    // A 60 s pause after the first failure: without the stop's wake-up the write would sleep past any grace.
    const { writes } = setup([60_000])
    const store = flaky(1)
    writes.track(
      'r1',
      () => facts('r1'),
      () => writes.retry(store.write),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(store.runs()).to.equal(1)
    const report = await writes.settle(5_000)
    expect(report).to.deep.equal({ pendingAtStop: 1, written: 1, lost: 0 })
    expect(store.runs()).to.equal(2)
  })

  it('keeps trying during a stop past the end of its normal schedule, until the grace ends', async () => {
    const { writes, metrics } = setup([1])
    const store = flaky(5)
    writes.hurry()
    writes.track(
      'r1',
      () => facts('r1'),
      () => writes.retry(store.write),
    )
    const report = await writes.settle(5_000)
    expect(report).to.deep.equal({ pendingAtStop: 1, written: 1, lost: 0 })
    expect(store.runs()).to.equal(6)
    expect(await lostCount(metrics)).to.equal(0)
  })

  it('gives up at the end of the grace: one error line per entry with its facts only, counted once, and no more attempts', async () => {
    const { writes, logs, metrics } = setup([10])
    const stores = [flaky(Number.POSITIVE_INFINITY), flaky(Number.POSITIVE_INFINITY)]
    stores.forEach((store, i) =>
      writes.track(
        `r${i}`,
        () => facts(`r${i}`),
        () => writes.retry(store.write),
      ),
    )
    const report = await writes.settle(150)
    expect(report).to.deep.equal({ pendingAtStop: 2, written: 0, lost: 2 })
    const runsAtGiveUp = stores.map((s) => s.runs())
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(
      stores.map((s) => s.runs()),
      'attempts after giving up',
    ).to.deep.equal(runsAtGiveUp)
    const lost = logs.records().filter((r) => r['lostJournalEntry'] !== undefined)
    expect(lost.map((r) => r['lostJournalEntry'])).to.deep.equal([facts('r0'), facts('r1')])
    expect(lost.map((r) => r['level'])).to.deep.equal([50, 50])
    expect(await lostCount(metrics)).to.equal(2)
    expect(writes.pending).to.equal(0)
  })

  it('counts a write that throws as lost, once, and goes on tracking the others', async () => {
    const { writes, logs, metrics } = setup([1])
    writes.track(
      'boom',
      () => facts('boom'),
      () => Promise.reject(new Error('driver bug')),
    )
    writes.track(
      'ok',
      () => facts('ok'),
      () => writes.retry(flaky(0).write),
    )
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(writes.pending, 'both ended').to.equal(0)
    expect(await lostCount(metrics)).to.equal(1)
    const lost = logs.records().filter((r) => r['lostJournalEntry'] !== undefined)
    expect(lost.map((r) => r['lostJournalEntry'])).to.deep.equal([facts('boom')])
    expect(await writes.settle(1_000)).to.deep.equal({ pendingAtStop: 0, written: 0, lost: 0 })
  })
})
