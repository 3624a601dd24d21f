import type { Kopecks } from '../money/kopecks.js'
import type { Quantity } from '../money/quantity.js'
import type { DominoNumber, OriginalOrderId } from './order-id.js'
import type { OrderStatus } from './order-status.js'

/** One line of the order's товарная часть. */
export interface OrderLine {
  /** The retailer's SKU (`positions[].id`). */
  readonly sku: string
  readonly name?: string
  readonly originalQuantity?: Quantity
  readonly quantity: Quantity
  readonly price: Kopecks
  readonly discountPrice?: Kopecks
  readonly totalPrice?: Kopecks
  readonly totalDiscountPrice?: Kopecks
  /** Weight in grams, as text: the wire's form is not settled, so it is kept, not computed with. */
  readonly weight?: string
  readonly replacedBySku?: string
  /**
   * The marking codes of marked goods («Честный знак»), as sent (`markingCode: [{"value": "..."}]` and the other
   * forms in docs/contract.md §3): without them the retailer cannot sell the line. Absent when none were sent.
   */
  readonly markingCodes?: readonly string[]
}

export interface Customer {
  readonly name?: string
  readonly phone?: string
  readonly email?: string
}

export interface Address {
  readonly fullAddress?: string
  readonly city?: string
  readonly street?: string
  readonly building?: string
  readonly entrance?: string
  readonly floor?: string
  readonly apartment?: string
  readonly doorPhone?: string
  readonly lat?: string
  readonly lon?: string
  readonly deliveryToDoor?: boolean
}

export interface DeliveryWindow {
  /** ISO 8601 with offset, kept as sent. */
  readonly expectedFrom?: string
  readonly expectedTo?: string
}

export interface OrderTotal {
  readonly totalPrice?: Kopecks
  readonly discountTotalPrice?: Kopecks
}

/** What `order.created` and `order.changed` say about an order: everything but its identity and status. */
export interface OrderContent {
  /**
   * The newer Kuper API's order identifier (`orderUUID`, `"retailer-slug:<uuid>"`), kept for support and Domino
   * (docs/contract.md §3). It is the order's key when the payload has no `originalOrderId`; a change that does not
   * send it keeps the one the order has.
   */
  readonly orderUuid?: string
  readonly storeId?: string
  readonly shipmentMethod?: string
  readonly replacementPolicy?: string
  readonly comment?: string
  readonly customer?: Customer
  readonly address?: Address
  readonly delivery?: DeliveryWindow
  readonly paymentMethods: readonly string[]
  /**
   * The lines that could be read, in the order sent. At least one, unless the order carries a review mark that
   * says why (an `order.created` whose positions could not be read is still created, for review).
   */
  readonly positions: readonly OrderLine[]
  readonly total?: OrderTotal
}

/** Why SberMarket cancelled (the form is a guess: `cancellation {slug, description}` or `cancellationReason`). */
export interface Cancellation {
  readonly slug?: string
  readonly description?: string
}

/**
 * The mark of an order that a person must look at before Domino's jobs act on it: SberMarket sent something the
 * hook could not read, and answered 200 all the same, because a 4xx makes SberMarket cancel the order
 * (docs/contract.md §2). Domino's jobs hold marked orders back; support clears the mark (`review clear`), and so
 * does a later `order.changed` that reads cleanly.
 */
export interface ReviewMark {
  /** What could not be read, one sentence each, in words support understands; never empty. */
  readonly reasons: readonly string[]
  /** When the event that raised the mark arrived. */
  readonly markedAt: Date
  /**
   * The `payload` of an `order.changed` that could not be read and was therefore not applied, as sent: what
   * support applies by hand. Absent when the mark came from the `order.created`.
   */
  readonly unappliedChangeJson?: string
}

/**
 * What a status event's decision reads and writes of an order, and all that its journal entry and its change row
 * read (core's `decideStatus`, `updateFacts`; a store's change queue): the order's identity, status, cancellation,
 * review mark and times, without its content and payload. A store may decide a status event on this alone, so that
 * it reads and carries only these columns for the commonest event (docs/domino-integration.md §5); what an update
 * answers (`ApplyUpdateResult.order`) is this.
 */
export interface OrderState {
  readonly originalOrderId: OriginalOrderId
  readonly number: DominoNumber
  readonly status: OrderStatus
  readonly cancellation?: Cancellation
  /** Present while the order waits for a person: see `ReviewMark`. */
  readonly review?: ReviewMark
  readonly createdAt: Date
  readonly updatedAt: Date
}

/** A «Заказ СМ» document as the hook keeps it: its state, its content and the payload it was last sent with. */
export interface Order extends OrderState {
  readonly content: OrderContent
  /** The `payload` of the last create or change, as sent: fields the codecs do not know are kept here. */
  readonly payloadJson: string
}
