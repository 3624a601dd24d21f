import { eventKindOf, type OrderStatus, type ReportedStatus } from '@domino-sm/core'
import { judgeTransition } from '@domino-sm/core/internals'

/** The status reported by an event type, or undefined when the event reports none (`order.created`, `order.changed`). */
const reportedStatus = (eventType: string): ReportedStatus | undefined => {
  const kind = eventKindOf(eventType)
  return kind === undefined || typeof kind === 'string' ? undefined : kind.status
}

/**
 * The status an order ends in when `eventTypes` reach it, in whatever order: statuses move forward only and
 * delivered and cancelled are final, so an event that would move it back changes nothing. A day never sends
 * both `order.delivered` and `order.cancelled` for one order, so the order of arrival does not matter.
 */
export const finalStatus = (eventTypes: readonly string[]): OrderStatus => {
  const statuses = eventTypes.map(reportedStatus).filter((s): s is ReportedStatus => s !== undefined)
  const forward = statuses.filter((s) => s !== 'cancelled')
  const ordered: readonly ReportedStatus[] = statuses.includes('cancelled') ? [...forward, 'cancelled'] : forward
  let status: OrderStatus = 'new'
  for (const next of ordered) {
    if (judgeTransition(status, next) === 'advance') status = next
  }
  return status
}

/**
 * The statuses an order may be in: every event answered 2xx reached the service; an event whose delivery gave up
 * may or may not have (the service may have done it and failed to answer), so each subset of those counts.
 */
export const acceptableStatuses = (
  acknowledged: readonly string[],
  unacknowledged: readonly string[],
): ReadonlySet<string> => {
  const result = new Set<string>()
  const subsets = 1 << unacknowledged.length
  for (let mask = 0; mask < subsets; mask += 1) {
    const reached = unacknowledged.filter((_, bit) => (mask & (1 << bit)) !== 0)
    result.add(finalStatus([...acknowledged, ...reached]))
  }
  return result
}
