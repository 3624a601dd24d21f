import type { Order, OrderState } from './order.js'
import type { OrderCreated, OrderEvent, PendingApplied } from './order-event.js'

/**
 * Which order an event keyed by `orderUUID` alone reaches (docs/contract.md §4). SberMarket may send an order's
 * `order.created` with both `originalOrderId` and `orderUUID`, and a later status with the `orderUUID` only: keyed by
 * it, that status would find no order and stay pending until retention expired it (a payment or a cancellation never
 * recorded). The decisions are here; the look-ups (an order by its `order_uuid`, the pending updates of a key) are the
 * stores', inside the operation's lock or transaction, so that instances racing agree.
 */

/**
 * The `orderUUID` by which a store looks for the order of `event` when no order has the event's key, or undefined:
 * - an event whose payload had no `originalOrderId` (its key is its `orderUUID`): stores take the earliest order
 *   whose `order_uuid` equals it (an order created with both keys);
 * - an event with an `orderUUID` beside its `originalOrderId` (`orderUuidBeside`): stores take the order whose key
 *   is that `orderUUID` (created under it alone), else the earliest order whose `order_uuid` equals it. Without
 *   this, a create with both keys after a create under the `orderUUID` alone would make a second order.
 * The store takes the `orderUUID`'s key lock after the event's own (the order a create with both keys takes them).
 */
export const orderUuidToFind = (event: OrderEvent): string | undefined => {
  if (event._tag === 'ReviewCleared') return undefined
  if (event.orderUuidKey !== undefined)
    return event.orderUuidKey === event.originalOrderId ? event.orderUuidKey : undefined
  return event.orderUuidBeside !== undefined && event.orderUuidBeside !== event.originalOrderId
    ? event.orderUuidBeside
    : undefined
}

/**
 * The event addressed to `order`, found by its key or by `orderUuidToFind`: its key becomes the order's, so the
 * event is decided on that order and journaled under its key (support's "what happened to order H123" finds it);
 * `addressedFrom` keeps the key it was sent under, and `orderUuidKey`/`orderUuidBeside` by which `orderUUID` it came.
 */
export const addressedTo = <E extends OrderEvent>(event: E, order: OrderState): E =>
  event.originalOrderId === order.originalOrderId
    ? event
    : { ...event, originalOrderId: order.originalOrderId, addressedFrom: event.originalOrderId }

/**
 * The note of a journal entry whose event reached its order by `orderUUID` (after `addressedTo`), or null: keyed by
 * the `orderUUID` alone, `reached by orderUUID <uuid>`; sent with an `originalOrderId` that no order has, also that
 * key, so that support reading the order's journal sees which key SberMarket sent it with (`... (sent as
 * originalOrderId H123)`).
 */
export const reachedByOrderUuid = (event: OrderEvent | undefined): string | null => {
  if (event === undefined || event._tag === 'ReviewCleared' || event.addressedFrom === undefined) return null
  if (event.orderUuidKey !== undefined) return `reached by orderUUID ${event.orderUuidKey}`
  return `reached by orderUUID ${event.orderUuidBeside ?? ''} (sent as originalOrderId ${event.addressedFrom})`
}

/**
 * The keys whose pending updates the create of `created` applies, in the order received across both: its key, and,
 * when it also carries an `orderUUID` that is not its key, that `orderUUID` (updates keyed by it alone that overtook
 * the create). A store reads and deletes the pending updates of these keys in the create's transaction, under the
 * locks of both keys (key first, then the `orderUUID`).
 */
export const pendingKeysOf = (created: OrderCreated): readonly string[] => {
  const uuid = created.content.orderUuid
  return uuid === undefined || uuid === created.originalOrderId
    ? [created.originalOrderId]
    : [created.originalOrderId, uuid]
}

/** How many of the updates a create applied were pending under another key than the order's (its `orderUUID`). */
export const appliedFromOrderUuid = (order: Order, pendingApplied: readonly PendingApplied[]): number =>
  pendingApplied.filter((p) => p.update.originalOrderId !== order.originalOrderId).length
