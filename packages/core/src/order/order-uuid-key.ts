import type { Order } from './order.js'
import type { OrderCreated, OrderEvent, PendingApplied } from './order-event.js'

/**
 * Which order an event keyed by `orderUUID` alone reaches (docs/contract.md §4). SberMarket may send an order's
 * `order.created` with both `originalOrderId` and `orderUUID`, and a later status with the `orderUUID` only: keyed by
 * it, that status would find no order and stay pending until retention expired it (a payment or a cancellation never
 * recorded). The decisions are here; the look-ups (an order by its `order_uuid`, the pending updates of a key) are the
 * stores', inside the operation's lock or transaction, so that instances racing agree.
 */

/**
 * The `orderUUID` by which a store looks for the order of `event` when no order has the event's key: set only for an
 * event whose payload had no `originalOrderId` (its key is its `orderUUID`). Stores take the earliest order whose
 * `order_uuid` equals it.
 */
export const orderUuidToFind = (event: OrderEvent): string | undefined =>
  event._tag !== 'ReviewCleared' && event.orderUuidKey !== undefined && event.orderUuidKey === event.originalOrderId ? event.orderUuidKey : undefined

/**
 * The event addressed to `order`, found by its key or by `orderUuidToFind`: its key becomes the order's, so the
 * event is decided on that order and journaled under its key (support's "what happened to order H123" finds it);
 * `orderUuidKey` still says by which `orderUUID` it came.
 */
export const addressedTo = <E extends OrderEvent>(event: E, order: Order): E =>
  event.originalOrderId === order.originalOrderId ? event : { ...event, originalOrderId: order.originalOrderId }

/** The note of a journal entry whose event reached its order by `orderUUID` (after `addressedTo`), or null. */
export const reachedByOrderUuid = (event: OrderEvent | undefined): string | null =>
  event !== undefined && event._tag !== 'ReviewCleared' && event.orderUuidKey !== undefined && event.orderUuidKey !== event.originalOrderId
    ? `reached by orderUUID ${event.orderUuidKey}`
    : null

/**
 * The keys whose pending updates the create of `created` applies, in the order received across both: its key, and,
 * when it also carries an `orderUUID` that is not its key, that `orderUUID` (updates keyed by it alone that overtook
 * the create). A store reads and deletes the pending updates of these keys in the create's transaction, under the
 * locks of both keys (key first, then the `orderUUID`).
 */
export const pendingKeysOf = (created: OrderCreated): readonly string[] => {
  const uuid = created.content.orderUuid
  return uuid === undefined || uuid === created.originalOrderId ? [created.originalOrderId] : [created.originalOrderId, uuid]
}

/** How many of the updates a create applied were pending under another key than the order's (its `orderUUID`). */
export const appliedFromOrderUuid = (order: Order, pendingApplied: readonly PendingApplied[]): number =>
  pendingApplied.filter((p) => p.update.originalOrderId !== order.originalOrderId).length
