import type { DominoNumber, OriginalOrderId } from './order-id.js'
import type { Cancellation, OrderContent } from './order.js'
import type { ReportedStatus } from './order-status.js'

/** `order.created`: the whole order, to be created once. */
export interface OrderCreated {
  readonly _tag: 'OrderCreated'
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
  readonly payloadJson: string
}

/** `order.changed`: the whole order again, replacing header and lines. */
export interface OrderChanged {
  readonly _tag: 'OrderChanged'
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
  readonly payloadJson: string
}

/** `order.paid`, `order.received`, `order.delivered`, `order.cancelled`. */
export interface StatusReported {
  readonly _tag: 'StatusReported'
  readonly originalOrderId: OriginalOrderId
  readonly status: ReportedStatus
  readonly cancellation?: Cancellation
}

/** An event about an order that already exists (or will: it is kept pending until then). */
export type OrderUpdate = OrderChanged | StatusReported

export type OrderEvent = OrderCreated | OrderUpdate

/** What applying one update did. `pending` means the order did not exist yet and the update was kept. */
export type UpdateOutcome = 'applied' | 'stale' | 'duplicate' | 'pending'

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

export type { DominoNumber }
