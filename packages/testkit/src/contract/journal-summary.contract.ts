import { randomInt } from 'node:crypto'
import { expect } from 'chai'
import {
  MAX_REVIEW_LIST,
  summariseEntries,
  type JournalEntry,
  type JournalSummaryQuery,
  type OrderRepository,
  type Outcome,
  type OriginalOrderId,
} from '@domino-sm/core'
import { REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody } from '@domino-sm/core/internals'
import { anOrderChanged, anOrderCreated, anOrderCreatedForReview, anUnreadableChange } from '../domain-builders.js'
import { newRequestId } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, receiptFor, run, type RepositoryGetter } from './contract-support.js'

const HOUR = 3_600_000

/**
 * The start of an hour no other test writes in: the store is shared by the whole suite and kept across runs, so each
 * test counts a window of its own, a random hour of 1975-1988. Those entries carry no body, so the retention contract
 * (which clears every body before its cutoffs of 1990) never sees them.
 */
const freshWindow = (): Date => new Date(Date.UTC(1975, 0, 1) + randomInt(0, 14 * 365 * 24) * HOUR)

/**
 * A random minute of 1994-1997 for the marks of a test: older than every other test's marks (1998 on), newer than
 * the bodies the retention contract counts (1990-1993), since an order for review journals its body.
 */
const freshMarkTime = (): Date => new Date(Date.UTC(1994, 0, 1) + randomInt(0, 4 * 365 * 24 * 60) * 60_000)

const at = (start: Date, ms: number): Date => new Date(start.getTime() + ms)

interface EntryInput {
  readonly offsetMs: number
  readonly outcome: Outcome
  readonly httpStatus: number
  readonly durationMs: number
  readonly eventType?: string | null
  readonly requestId?: string | null
}

const entryAt = (start: Date, input: EntryInput): JournalEntry => ({
  requestId: input.requestId === undefined ? newRequestId() : input.requestId,
  receivedAt: at(start, input.offsetMs),
  eventType: input.eventType === undefined ? 'order.paid' : input.eventType,
  originalOrderId: uniqueOrderId('SU'),
  rawBody: null,
  outcome: input.outcome,
  httpStatus: input.httpStatus,
  durationMs: input.durationMs,
  detail: null,
})

const record = async (repository: OrderRepository, start: Date, inputs: readonly EntryInput[]): Promise<void> => {
  for (const input of inputs) await run(repository.recordJournal(entryAt(start, input)))
}

/** What the store says, checked against core's `summariseEntries` over the entries the store holds in the range. */
const summaryOf = async (repository: OrderRepository, query: JournalSummaryQuery) => {
  const summary = await run(repository.summariseJournal(query))
  const held = await run(
    repository.searchJournal({ since: query.since, until: query.until, limit: 1000, withBodies: false }),
  )
  expect(summary, 'the store agrees with core over what it holds').to.deep.equal(summariseEntries(query, held))
  return summary
}

const clearMark = (repository: OrderRepository, key: string, when: Date) =>
  run(
    repository.applyUpdate(
      { _tag: 'ReviewCleared', originalOrderId: key as OriginalOrderId, note: 'checked' },
      receiptFor(REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody(key, 'checked'), when),
    ),
  )

const unreadable = (key: string, price: string): Record<string, unknown> => ({
  originalOrderId: key,
  storeID: '7',
  positions: [{ id: 'A', quantity: 1, price }],
})

/**
 * The console's counting reads (`summariseJournal`, `ordersForReview`): every store counts the requests of a range in
 * one query with core's rule of what a request is, and lists the marked orders oldest mark first.
 */
export const journalSummaryContract = (repository: RepositoryGetter): void => {
  describe('the journal summarised in the store', () => {
    it('counts the requests of a range by outcome and by status answered (408, 503 among them), and those at or above the threshold', async () => {
      const start = freshWindow()
      await record(repository(), start, [
        { offsetMs: 1_000, outcome: 'created', httpStatus: 200, durationMs: 12 },
        { offsetMs: 2_000, outcome: 'created', httpStatus: 200, durationMs: 3_199 },
        { offsetMs: 3_000, outcome: 'applied', httpStatus: 200, durationMs: 3_200 },
        { offsetMs: 4_000, outcome: 'failed', httpStatus: 503, durationMs: 4_001 },
        { offsetMs: 5_000, outcome: 'failed', httpStatus: 500, durationMs: 7 },
        { offsetMs: 6_000, outcome: 'rejected', httpStatus: 408, durationMs: 30_000 },
        { offsetMs: 7_000, outcome: 'rejected', httpStatus: 400, durationMs: 1 },
        { offsetMs: 8_000, outcome: 'ignored', httpStatus: 200, durationMs: 0, eventType: null },
        { offsetMs: 9_000, outcome: 'created', httpStatus: 503, durationMs: 4_000 },
      ])
      const summary = await summaryOf(repository(), { since: start, until: at(start, HOUR), durationAtLeastMs: 3_200 })
      expect(summary).to.deep.equal({
        requests: 9,
        byOutcome: [
          { outcome: 'created', count: 3 },
          { outcome: 'applied', count: 1 },
          { outcome: 'ignored', count: 1 },
          { outcome: 'rejected', count: 2 },
          { outcome: 'failed', count: 2 },
        ],
        byStatus: [
          { httpStatus: 200, count: 4 },
          { httpStatus: 400, count: 1 },
          { httpStatus: 408, count: 1 },
          { httpStatus: 500, count: 1 },
          { httpStatus: 503, count: 2 },
        ],
        atOrAbove: 4,
      })
    })

    it('leaves out support actions (support.*, as written) and entries with no request id; other event types count', async () => {
      const start = freshWindow()
      const base = { outcome: 'applied', httpStatus: 200, durationMs: 5 } as const
      await record(repository(), start, [
        { ...base, offsetMs: 1, eventType: REVIEW_CLEARED_EVENT_TYPE },
        { ...base, offsetMs: 2, eventType: 'support.personal-data-erased' },
        { ...base, offsetMs: 3, eventType: 'support.' },
        { ...base, offsetMs: 4, outcome: 'expired', requestId: null, eventType: null },
        { ...base, offsetMs: 5, outcome: 'rejected', httpStatus: 400, requestId: null },
        // Requests: the rule is a prefix, compared case by case, as core's isRequestEntry does.
        { ...base, offsetMs: 6, eventType: 'Support.review-cleared' },
        { ...base, offsetMs: 7, eventType: 'SUPPORT.X' },
        { ...base, offsetMs: 8, eventType: 'support' },
        { ...base, offsetMs: 9, eventType: 'order.support.x' },
        { ...base, offsetMs: 10, eventType: ' support.x' },
        { ...base, offsetMs: 11, eventType: 'supportx' },
      ])
      const summary = await summaryOf(repository(), { since: start, until: at(start, HOUR), durationAtLeastMs: 5 })
      expect(summary).to.deep.equal({
        requests: 6,
        byOutcome: [{ outcome: 'applied', count: 6 }],
        byStatus: [{ httpStatus: 200, count: 6 }],
        atOrAbove: 6,
      })
    })

    it('counts from `since` included to `until` excluded, to the millisecond', async () => {
      const start = freshWindow()
      const since = at(start, 10 * 60_000)
      const until = at(start, 20 * 60_000)
      const entry = (offsetMs: number, httpStatus: number): EntryInput => ({
        offsetMs,
        outcome: 'duplicate',
        httpStatus,
        durationMs: 1,
      })
      await record(repository(), start, [
        entry(10 * 60_000 - 1, 201),
        entry(10 * 60_000, 202),
        entry(20 * 60_000 - 1, 203),
        entry(20 * 60_000, 204),
      ])
      const summary = await summaryOf(repository(), { since, until, durationAtLeastMs: 0 })
      expect(summary.byStatus).to.deep.equal([
        { httpStatus: 202, count: 1 },
        { httpStatus: 203, count: 1 },
      ])
      expect(summary.requests).to.equal(2)
      expect(summary.atOrAbove).to.equal(2)
      expect(
        (await summaryOf(repository(), { since, until: since, durationAtLeastMs: 0 })).requests,
        'an empty range',
      ).to.equal(0)
    })

    it('answers zero and empty lists for a range with no entry', async () => {
      const start = freshWindow()
      expect(
        await summaryOf(repository(), { since: start, until: at(start, HOUR), durationAtLeastMs: 0 }),
      ).to.deep.equal({ requests: 0, byOutcome: [], byStatus: [], atOrAbove: 0 })
    })

    it("counts a request's one entry once, as last answered, and the entries the order operations write", async () => {
      const start = freshWindow()
      const requestId = newRequestId()
      await record(repository(), start, [
        { offsetMs: 1_000, outcome: 'applied', httpStatus: 200, durationMs: 4_500, requestId },
      ])
      await record(repository(), start, [
        { offsetMs: 1_000, outcome: 'failed', httpStatus: 503, durationMs: 4_000, requestId },
      ])
      await createAt(repository(), anOrderCreated({ originalOrderId: uniqueOrderId('SU') }), at(start, 2_000))
      const summary = await summaryOf(repository(), { since: start, until: at(start, HOUR), durationAtLeastMs: 4_000 })
      expect(summary.requests).to.equal(2)
      expect(summary.byOutcome.find((c) => c.outcome === 'created')?.count).to.equal(1)
    })
  })

  describe('the journal searched by the time taken', () => {
    it('finds the entries that took at least durationAtLeastMs (the threshold included), with the other filters', async () => {
      const start = freshWindow()
      await record(repository(), start, [
        { offsetMs: 1, outcome: 'created', httpStatus: 200, durationMs: 3_199 },
        { offsetMs: 2, outcome: 'created', httpStatus: 200, durationMs: 3_200 },
        { offsetMs: 3, outcome: 'failed', httpStatus: 503, durationMs: 4_000 },
        { offsetMs: 4, outcome: 'applied', httpStatus: 200, durationMs: 0 },
      ])
      const range = { since: start, until: at(start, HOUR), limit: 10, withBodies: false } as const
      const near = await run(repository().searchJournal({ ...range, durationAtLeastMs: 3_200 }))
      expect(near.map((e) => e.durationMs)).to.deep.equal([3_200, 4_000])
      expect(
        (await run(repository().searchJournal({ ...range, durationAtLeastMs: 3_200, outcomes: ['created'] }))).map(
          (e) => e.durationMs,
        ),
      ).to.deep.equal([3_200])
      expect(await run(repository().searchJournal({ ...range, durationAtLeastMs: 4_001 }))).to.deep.equal([])
      expect((await run(repository().searchJournal({ ...range, durationAtLeastMs: 0 }))).length).to.equal(4)
    })
  })

  describe('the orders marked for review, oldest mark first', () => {
    const mine = async (keys: readonly string[]) => {
      const all = await run(repository().ordersForReview(MAX_REVIEW_LIST))
      const times = all.map((o) => o.markedAt.getTime())
      expect(times, 'the whole list is oldest mark first').to.deep.equal([...times].sort((a, b) => a - b))
      return all.filter((o) => keys.includes(o.originalOrderId))
    }

    it('lists each marked order with its number, mark time and reasons; a cleared or unmarked order is not listed', async () => {
      const t = freshMarkTime()
      const [late, early, cleared, unmarked, byChange] = ['RL', 'RL', 'RL', 'RL', 'RL'].map(uniqueOrderId) as [
        string,
        string,
        string,
        string,
        string,
      ]
      const lateEvent = anOrderCreatedForReview(unreadable(late, 'бесплатно'))
      const lateOrder = await createAt(repository(), lateEvent, at(t, 3 * 60_000))
      const earlyEvent = anOrderCreatedForReview(unreadable(early, 'x'))
      const earlyOrder = await createAt(repository(), earlyEvent, at(t, 60_000))
      await createAt(repository(), anOrderCreatedForReview(unreadable(cleared, 'y')), at(t, 0))
      await clearMark(repository(), cleared, at(t, 4 * 60_000))
      await createAt(repository(), anOrderCreated({ originalOrderId: unmarked }), at(t, 0))
      const byChangeOrder = await createAt(repository(), anOrderCreated({ originalOrderId: byChange }), at(t, 0))
      const change = anUnreadableChange({ originalOrderId: byChange, positions: 'нет' })
      await applyAt(repository(), change, at(t, 2 * 60_000))
      expect(await mine([late, early, cleared, unmarked, byChange])).to.deep.equal([
        {
          originalOrderId: early,
          number: earlyOrder.order.number,
          markedAt: at(t, 60_000),
          reasons: earlyEvent.unread,
        },
        {
          originalOrderId: byChange,
          number: byChangeOrder.order.number,
          markedAt: at(t, 2 * 60_000),
          reasons: change.update.reasons,
        },
        {
          originalOrderId: late,
          number: lateOrder.order.number,
          markedAt: at(t, 3 * 60_000),
          reasons: lateEvent.unread,
        },
      ])
      // A change that reads cleanly clears the mark too.
      await applyAt(repository(), anOrderChanged({ originalOrderId: early }), at(t, 5 * 60_000))
      expect((await mine([late, early, byChange])).map((o) => o.originalOrderId)).to.deep.equal([byChange, late])
    })

    it('orders marks of the same time in the order the orders were created', async () => {
      const t = freshMarkTime()
      const keys = ['RT', 'RT', 'RT'].map(uniqueOrderId)
      for (const key of keys) await createAt(repository(), anOrderCreatedForReview(unreadable(key, 'z')), t)
      expect((await mine(keys)).map((o) => o.originalOrderId)).to.deep.equal(keys)
    })

    it('answers at most `limit` orders, the oldest marks, and none for a limit of 0 or less', async () => {
      const first = await run(repository().ordersForReview(MAX_REVIEW_LIST))
      if (first.length < 2)
        await createAt(repository(), anOrderCreatedForReview(unreadable(uniqueOrderId('RM'), 'w')), freshMarkTime())
      const all = await run(repository().ordersForReview(MAX_REVIEW_LIST))
      expect(all.length).to.be.at.least(2)
      expect(await run(repository().ordersForReview(2))).to.deep.equal(all.slice(0, 2))
      expect(await run(repository().ordersForReview(1))).to.deep.equal(all.slice(0, 1))
      expect(await run(repository().ordersForReview(0))).to.deep.equal([])
      expect(await run(repository().ordersForReview(-5))).to.deep.equal([])
    })
  })
}
