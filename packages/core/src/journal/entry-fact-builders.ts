import type { ApplyUpdateResult, CreateOrGetResult } from '../order/operation-result.js'
import type { Order, OrderState } from '../order/order.js'
import type { OrderCreated, OrderUpdate } from '../order/order-event.js'
import { appliedFromOrderUuid, reachedByOrderUuid } from '../order/order-uuid-key.js'
import type { EntryFacts } from './entry-facts.js'

/** The prefix of the detail of every entry that marked an order for review: support and alerts search for it. */
export const FOR_REVIEW = 'for review: '

const joinDetails = (parts: readonly (string | null)[]): string | null => {
  const given = parts.filter((p): p is string => p !== null)
  return given.length === 0 ? null : given.join('; ')
}

/** The facts of a create that found its order: a duplicate, whatever the order holds. */
export const duplicateFacts = (eventType: string, originalOrderId: string): EntryFacts => ({
  eventType,
  originalOrderId,
  outcome: 'duplicate',
  detail: null,
})

const byUuid = (order: Order, pendingApplied: CreatedPending): string => {
  const count = appliedFromOrderUuid(order, pendingApplied)
  return count === 0 ? '' : ` (${count} kept under orderUUID ${order.content.orderUuid ?? ''})`
}
type CreatedPending = Extract<CreateOrGetResult, { _tag: 'Created' }>['pendingApplied']

/**
 * The facts of a create: `created` (noting what could not be read, and the pending updates it applied, with how many
 * were kept under its `orderUUID`) or `duplicate` (noting when `created`, keyed by `orderUUID` alone, reached an
 * order of another key: `addressedTo`).
 */
export const createFacts = (
  eventType: string,
  originalOrderId: string,
  result: CreateOrGetResult,
  created?: OrderCreated,
): EntryFacts =>
  result._tag === 'AlreadyExists'
    ? { ...duplicateFacts(eventType, originalOrderId), detail: reachedByOrderUuid(created) }
    : {
        eventType,
        originalOrderId,
        outcome: 'created',
        detail: joinDetails([
          result.order.review === undefined ? null : `${FOR_REVIEW}${result.order.review.reasons.join('; ')}`,
          result.pendingApplied.length > 0
            ? `applied ${result.pendingApplied.length} pending: ${result.pendingApplied.map((p) => p.outcome).join(', ')}${byUuid(result.order, result.pendingApplied)}`
            : null,
        ]),
      }

/**
 * The facts of an update: what `applyUpdate` decided, or `pending`; a change that could not be read says what,
 * and a change or a support action that cleared a review mark says so.
 */
export const updateFacts = (
  eventType: string,
  originalOrderId: string,
  result: ApplyUpdateResult,
  update?: OrderUpdate,
  before?: OrderState,
): EntryFacts => ({
  eventType,
  originalOrderId,
  outcome: result.outcome,
  detail: joinDetails([updateDetail(result, update, before), reachedByOrderUuid(update)]),
})

const updateDetail = (
  result: ApplyUpdateResult,
  update: OrderUpdate | undefined,
  before: OrderState | undefined,
): string | null => {
  if (update === undefined) return null
  if (update._tag === 'ChangeUnreadable') {
    const reasons = update.reasons.join('; ')
    return result.outcome === 'review'
      ? `${FOR_REVIEW}${reasons}; the change was not applied`
      : result.outcome === 'pending'
        ? `${FOR_REVIEW}${reasons}`
        : null
  }
  const cleared = result.outcome === 'applied' && before?.review !== undefined && result.order?.review === undefined
  if (!cleared) return null
  return update._tag === 'ReviewCleared'
    ? `review mark cleared by support: ${update.note}`
    : 'review mark cleared: the change read cleanly'
}
