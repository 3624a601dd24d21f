import { expect } from 'chai'
import { randomUUID } from 'node:crypto'
import type { JournalEntry, Outcome } from '@domino-sm/core'
import { REVIEW_CLEARED_EVENT_TYPE } from '@domino-sm/core/internals'
import { todayFigures, TODAY_LIST_MAX } from '@domino-sm/adapter-http'
import { anOrderCreatedForReview, createdReceipt, InMemoryOrderRepository } from '@domino-sm/testkit'

const NOW = new Date(Date.UTC(2026, 11, 7, 12, 0, 0, 0))
const MINUTE = 60_000
const ago = (ms: number): Date => new Date(NOW.getTime() - ms)
const DEADLINE_MS = 4000

const entry = (receivedAt: Date, outcome: Outcome, facts: Partial<JournalEntry> = {}): JournalEntry => ({
  requestId: randomUUID(),
  receivedAt,
  eventType: 'order.paid',
  originalOrderId: 'H1',
  rawBody: null,
  outcome,
  httpStatus: outcome === 'failed' ? 503 : outcome === 'rejected' ? 400 : 200,
  durationMs: 3,
  detail: null,
  ...facts,
})

/**
 * The Today figures from the counting ports: exact counts of a day with more entries than the console ever read one by
 * one (20,000), the newest failed/rejected and near-deadline requests found from the last minutes back, support
 * actions in neither, and the marked orders oldest mark first.
 */
describe('console Today from the counting ports (in-memory store)', () => {
  // The store's clock is the commit time of an operation: a create commits 5 ms after it was received.
  let commitAt = NOW
  const orders = new InMemoryOrderRepository({ now: () => commitAt })
  const record = async (e: JournalEntry): Promise<number> => {
    const result = await orders.recordJournal(e)()
    if (result._tag === 'Left') throw new Error(result.left.reason)
    return result.right
  }
  const failedRecent: number[] = []
  const failedEarlier: number[] = []
  const near: number[] = []
  const keys = ['TD-OLD', 'TD-NEW']

  before(async function () {
    this.timeout(60_000)
    // 25,000 requests of the day, spread over it, all applied and quick; one from 25 hours ago, outside it.
    for (let i = 0; i < 25_000; i += 1) await record(entry(ago(Math.floor((i / 25_000) * 24 * 60 * MINUTE)), 'applied'))
    await record(entry(ago(25 * 60 * MINUTE), 'failed'))
    // 30 failures in the last 10 minutes, 30 between 2 and 3 hours ago (alternating failed and rejected).
    for (let i = 0; i < 30; i += 1)
      failedEarlier.push(await record(entry(ago(3 * 60 * MINUTE - i * MINUTE), i % 2 === 0 ? 'failed' : 'rejected')))
    for (let i = 0; i < 30; i += 1)
      failedRecent.push(await record(entry(ago(10 * MINUTE - i * 10_000), i % 2 === 0 ? 'failed' : 'rejected')))
    // Support actions and an entry without request id: never counted, never listed, even when newest and slow.
    await record(entry(ago(1_000), 'failed', { eventType: REVIEW_CLEARED_EVENT_TYPE, durationMs: 9_000 }))
    await record(entry(ago(1_000), 'expired', { requestId: null, durationMs: 9_000 }))
    // Three answers near the deadline, 20 hours ago: found only by the last step of the search, the whole day.
    for (let i = 0; i < 3; i += 1)
      near.push(
        await record(entry(ago(20 * 60 * MINUTE - i * MINUTE), 'applied', { durationMs: DEADLINE_MS * 0.8 + i })),
      )
    // Two orders for review, the newer created first.
    for (const [key, at] of [
      ['TD-NEW', ago(60 * MINUTE)],
      ['TD-OLD', ago(5 * 60 * MINUTE)],
    ] as const) {
      commitAt = new Date(at.getTime() + 5)
      const event = anOrderCreatedForReview({
        originalOrderId: key,
        positions: [{ id: 'A', quantity: 1, price: 'нет' }],
      })
      const created = await orders.createOrGet(event, createdReceipt(event, at))()
      if (created._tag === 'Left') throw new Error(created.left.reason)
    }
  })

  it('counts every request of the day exactly, by outcome and status, with no "at least"', async () => {
    const f = await todayFigures({ orders, clock: { now: () => NOW }, hookDeadlineMs: DEADLINE_MS })
    // 25,000 + 60 failures + 3 slow + 2 creates; not the one of 25 hours ago, not the support action, not the expired entry.
    expect(f.requests).to.equal(25_065)
    expect(f.complete).to.equal(true)
    expect(f.byOutcome).to.deep.equal({ created: 2, applied: 25_003, rejected: 30, failed: 30 })
    expect(f.byStatus).to.deep.equal({ '200': 25_005, '400': 30, '503': 30 })
    expect(f.nearDeadlineMs).to.equal(3200)
    expect(f.nearDeadlineCount).to.equal(3)
  })

  it('lists the newest failed and rejected requests, newest first, across the steps of the search', async () => {
    const f = await todayFigures({ orders, clock: { now: () => NOW }, hookDeadlineMs: DEADLINE_MS })
    expect(f.failedOrRejected.map((e) => e.id)).to.deep.equal([...failedEarlier.slice(-20), ...failedRecent].reverse())
    expect(f.failedOrRejected).to.have.length(TODAY_LIST_MAX)
    expect(f.nearDeadline.map((e) => e.id)).to.deep.equal([...near].reverse())
  })

  it('lists the orders for review oldest mark first, with how long each has waited', async () => {
    const f = await todayFigures({ orders, clock: { now: () => NOW }, hookDeadlineMs: DEADLINE_MS })
    expect(f.ordersForReview).to.equal(2)
    expect(f.review.map((r) => [r.originalOrderId, r.waitedMs])).to.deep.equal([
      [keys[0], 5 * 60 * MINUTE],
      [keys[1], 60 * MINUTE],
    ])
  })
})
