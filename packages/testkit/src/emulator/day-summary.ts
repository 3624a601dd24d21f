import type { DayCheck, Mismatch } from './check-day.js'

/** The numbers of a played and checked day. */
export interface DaySummary {
  readonly orders: number
  /** Orders whose `order.created` was delivered with a 200 (none lost to strictness when it equals `orders`). */
  readonly createdAnswered200: number
  /** Orders read back with a review mark (undefined when the end state was not read). */
  readonly forReview?: number
  /** Orders the day sent unreadable on purpose. */
  readonly sentUnreadable: number
  /** HTTP requests made, retries included. */
  readonly requests: number
  /** Orders that ended delivered (as read back; as expected when the end state was not read). */
  readonly delivered: number
  /** Orders that ended cancelled by an `order.cancelled`. */
  readonly cancelled: number
  /** Deliveries that needed more than one attempt, and the retries they made. */
  readonly retriedDeliveries: number
  readonly retries: number
  /** Orders whose `order.created` failed all attempts. */
  readonly cancelledByMarketplace: number
  /** Other deliveries that failed all attempts (SberMarket gives up on them). */
  readonly gaveUp: number
  /** Whether the end state was read back, or only the answers were checked. */
  readonly endStateChecked: boolean
  readonly mismatches: readonly Mismatch[]
  readonly elapsedMs: number
}

const endsAs = (order: DayCheck['orders'][number], status: string): boolean =>
  order.found !== undefined
    ? order.found.status === status
    : order.acceptable.size === 1 && order.acceptable.has(status)

export const summarizeDay = (check: DayCheck, endStateChecked: boolean, elapsedMs: number): DaySummary => {
  const deliveries = check.orders.flatMap((o) => o.run.deliveries)
  const live = check.orders.filter((o) => !o.run.cancelledByMarketplace)
  const forReview = check.orders.filter((o) => o.found?.review === true).length
  return {
    orders: check.orders.length,
    createdAnswered200: check.orders.filter((o) =>
      o.run.deliveries.some((d) => d.event.eventType === 'order.created' && d.answer?.status === 200),
    ).length,
    ...(endStateChecked ? { forReview } : {}),
    sentUnreadable: check.orders.filter((o) => o.run.plan.expected.unreadable !== undefined).length,
    requests: deliveries.reduce((sum, d) => sum + d.attempts.length, 0),
    delivered: live.filter((o) => endsAs(o, 'delivered')).length,
    cancelled: live.filter((o) => endsAs(o, 'cancelled')).length,
    retriedDeliveries: deliveries.filter((d) => d.attempts.length > 1).length,
    retries: deliveries.reduce((sum, d) => sum + d.attempts.length - 1, 0),
    cancelledByMarketplace: check.orders.length - live.length,
    gaveUp: deliveries.filter((d) => !d.delivered && !d.cancelledByMarketplace).length,
    endStateChecked,
    mismatches: check.mismatches,
    elapsedMs,
  }
}

/** The summary as the command prints it: one fact a line, then the first mismatches. */
export const formatDaySummary = (summary: DaySummary, shownMismatches = 20): string => {
  const facts: [string, string | number][] = [
    ['orders', summary.orders],
    ['created answered 200', `${summary.createdAnswered200} of ${summary.orders}`],
    [
      'for review',
      summary.forReview === undefined
        ? `not read back (${summary.sentUnreadable} sent unreadable)`
        : `${summary.forReview} (${summary.sentUnreadable} sent unreadable)`,
    ],
    ['requests', summary.requests],
    ['delivered', summary.delivered],
    ['cancelled', summary.cancelled],
    ['retried', `${summary.retriedDeliveries} deliveries (${summary.retries} retries)`],
    ['cancelled by marketplace', summary.cancelledByMarketplace],
    ['gave up (other events)', summary.gaveUp],
    [
      'end state',
      summary.endStateChecked ? 'read back and checked' : 'not read back (no admin token): answers checked only',
    ],
    ['mismatches', summary.mismatches.length],
    ['elapsed', `${(summary.elapsedMs / 1000).toFixed(2)} s`],
  ]
  const lines = facts.map(([label, value]) => `${`${label}:`.padEnd(26)}${value}`)
  for (const m of summary.mismatches.slice(0, shownMismatches)) lines.push(`  ${m.originalOrderId}: ${m.problem}`)
  if (summary.mismatches.length > shownMismatches)
    lines.push(`  ... and ${summary.mismatches.length - shownMismatches} more`)
  return lines.join('\n')
}
