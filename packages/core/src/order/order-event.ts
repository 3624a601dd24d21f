import type { OriginalOrderId } from './order-id.js'
import type { Cancellation, OrderContent } from './order.js'
import type { ReportedStatus } from './order-status.js'

/**
 * What an event notes about its keys besides its key (docs/contract.md §3/§4; core's `order-uuid-key.ts` reads them).
 */
export interface OrderUuidNotes {
  /**
   * The `orderUUID` sent beside `originalOrderId` (its key), when it differs from it. An order created earlier under
   * that `orderUUID` alone (or with it beside another key) is this event's order when no order has its key: the store
   * looks it up by that (core's `orderUuidToFind`), so that one SberMarket order never becomes two.
   */
  readonly orderUuidBeside?: string
  /**
   * The key the event was sent under, set by core's `addressedTo` when the store found its order under another key
   * (by `orderUUID`): the journal entry notes it (`reachedByOrderUuid`).
   */
  readonly addressedFrom?: OriginalOrderId
}

/**
 * `order.created`: the whole order, to be created once. `unread` lists what of its payload could not be read
 * (absent when everything could): such an order is still created, with what could be read, and marked for review.
 */
export interface OrderCreated extends OrderUuidNotes {
  readonly _tag: 'OrderCreated'
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
  readonly payloadJson: string
  readonly unread?: readonly string[]
  /**
   * The `orderUUID` this event's key came from, set only when the payload had no `originalOrderId` (docs/contract.md
   * §3). Such a key may name an order created under its `originalOrderId`, whose `orderUuid` it is: the store looks it
   * up by that (core's `orderUuidToFind`).
   */
  readonly orderUuidKey?: string
}

/** `order.changed`: the whole order again, replacing header and lines. */
export interface OrderChanged extends OrderUuidNotes {
  readonly _tag: 'OrderChanged'
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
  readonly payloadJson: string
  /**
   * The `orderUUID` this event's key came from, set only when the payload had no `originalOrderId` (docs/contract.md
   * §3). Such a key may name an order created under its `originalOrderId`, whose `orderUuid` it is: the store looks it
   * up by that (core's `orderUuidToFind`).
   */
  readonly orderUuidKey?: string
}

/**
 * An `order.changed` whose payload could not be read whole: it changes nothing but the order's review mark,
 * which then keeps `payloadJson` for support. `reasons` say what could not be read (never empty).
 */
export interface ChangeUnreadable extends OrderUuidNotes {
  readonly _tag: 'ChangeUnreadable'
  readonly originalOrderId: OriginalOrderId
  readonly reasons: readonly string[]
  readonly payloadJson: string
  /**
   * The `orderUUID` this event's key came from, set only when the payload had no `originalOrderId` (docs/contract.md
   * §3). Such a key may name an order created under its `originalOrderId`, whose `orderUuid` it is: the store looks it
   * up by that (core's `orderUuidToFind`).
   */
  readonly orderUuidKey?: string
}

/**
 * Support cleared the review mark of an order (`review clear`): nothing else changes. The command line sends it
 * only for an order it found; were it kept pending, its body decodes to no update and the create drops it.
 */
export interface ReviewCleared {
  readonly _tag: 'ReviewCleared'
  readonly originalOrderId: OriginalOrderId
  /** Who cleared it and why, as support typed it. */
  readonly note: string
}

/** `order.paid`, `order.received`, `order.delivered`, `order.cancelled`. */
export interface StatusReported extends OrderUuidNotes {
  readonly _tag: 'StatusReported'
  readonly originalOrderId: OriginalOrderId
  readonly status: ReportedStatus
  readonly cancellation?: Cancellation
  /**
   * The `orderUUID` this event's key came from, set only when the payload had no `originalOrderId` (docs/contract.md
   * §3). Such a key may name an order created under its `originalOrderId`, whose `orderUuid` it is: the store looks it
   * up by that (core's `orderUuidToFind`).
   */
  readonly orderUuidKey?: string
}

/** An event about an order that already exists (or will: it is kept pending until then). */
export type OrderUpdate = OrderChanged | ChangeUnreadable | StatusReported | ReviewCleared

export type OrderEvent = OrderCreated | OrderUpdate

/**
 * What applying one update did. `pending` means the order did not exist yet and the update was kept; `review`
 * that the update could not be read, and the order was marked for review instead of changed.
 */
export type UpdateOutcome = 'applied' | 'stale' | 'duplicate' | 'pending' | 'review'

/** An update kept for an order that did not exist when it arrived, in the order it was received. */
export interface PendingUpdate {
  readonly update: OrderUpdate
  readonly receivedAt: Date
}

/** The outcome of one pending update applied when its order was created. */
export interface PendingApplied {
  readonly update: OrderUpdate
  readonly outcome: Exclude<UpdateOutcome, 'pending'>
}
