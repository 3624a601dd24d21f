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
  readonly storeId?: string
  readonly shipmentMethod?: string
  readonly replacementPolicy?: string
  readonly comment?: string
  readonly customer?: Customer
  readonly address?: Address
  readonly delivery?: DeliveryWindow
  readonly paymentMethods: readonly string[]
  readonly positions: readonly [OrderLine, ...OrderLine[]]
  readonly total?: OrderTotal
}

/** Why SberMarket cancelled (the form is a guess: `cancellation {slug, description}` or `cancellationReason`). */
export interface Cancellation {
  readonly slug?: string
  readonly description?: string
}

/** A «Заказ СМ» document as the hook keeps it. */
export interface Order {
  readonly originalOrderId: OriginalOrderId
  readonly number: DominoNumber
  readonly status: OrderStatus
  readonly content: OrderContent
  /** The `payload` of the last create or change, as sent: fields the codecs do not know are kept here. */
  readonly payloadJson: string
  readonly cancellation?: Cancellation
  readonly createdAt: Date
  readonly updatedAt: Date
}
