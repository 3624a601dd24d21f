import {
  ORDER_STATUSES,
  type DominoNumber,
  type Kopecks,
  type Order,
  type OrderLine,
  type OrderStatus,
  type OriginalOrderId,
  type Quantity,
  type ReviewMark,
} from '@domino-sm/core'
import { dateFromColumn, integer, present, requiredInteger, requiredText, text, unlessEmpty } from './column-readers.js'
import { RowMappingError } from './row-mapping-error.js'

/** The columns of `orders` that an order's values fill (all but the rowid `id`), in schema order. */
export const ORDER_COLUMNS = [
  'original_order_id',
  'number',
  'status',
  'store_id',
  'shipment_method',
  'replacement_policy',
  'comment',
  'customer_name',
  'customer_phone',
  'customer_email',
  'address_full',
  'address_city',
  'address_street',
  'address_building',
  'address_entrance',
  'address_floor',
  'address_apartment',
  'address_door_phone',
  'address_lat',
  'address_lon',
  'address_delivery_to_door',
  'delivery_expected_from',
  'delivery_expected_to',
  'payment_methods_json',
  'total_price_kopecks',
  'discount_total_price_kopecks',
  'cancellation_slug',
  'cancellation_description',
  'payload_json',
  'created_at',
  'updated_at',
  'review_reasons_json',
  'review_marked_at',
  'review_unapplied_change_json',
  // Migration 7.
  'order_uuid',
] as const

type OrderColumn = (typeof ORDER_COLUMNS)[number]

/** One row of `orders` as better-sqlite3 binds and returns it (NULL is `null`, booleans are 0/1). */
export type OrderRowValues = { readonly [C in OrderColumn]: string | number | null }
export type OrderRow = OrderRowValues & { readonly id: number }

/** The columns of `order_lines` but `order_id`, in schema order. */
export const LINE_COLUMNS = [
  'line_no',
  'sku',
  'name',
  'original_quantity_thousandths',
  'quantity_thousandths',
  'price_kopecks',
  'discount_price_kopecks',
  'total_price_kopecks',
  'total_discount_price_kopecks',
  'weight',
  'replaced_by_sku',
  'marking_codes_json',
] as const

type LineColumn = (typeof LINE_COLUMNS)[number]
export type LineRow = { readonly [C in LineColumn]: string | number | null }

const orNull = <V>(value: V | undefined): V | null => value ?? null

/** An order's values for its `orders` row. */
export const orderToRow = (order: Order): OrderRowValues => {
  const { content } = order
  const { customer, address, delivery, total } = content
  return {
    original_order_id: order.originalOrderId,
    number: order.number,
    status: order.status,
    store_id: orNull(content.storeId),
    shipment_method: orNull(content.shipmentMethod),
    replacement_policy: orNull(content.replacementPolicy),
    comment: orNull(content.comment),
    customer_name: orNull(customer?.name),
    customer_phone: orNull(customer?.phone),
    customer_email: orNull(customer?.email),
    address_full: orNull(address?.fullAddress),
    address_city: orNull(address?.city),
    address_street: orNull(address?.street),
    address_building: orNull(address?.building),
    address_entrance: orNull(address?.entrance),
    address_floor: orNull(address?.floor),
    address_apartment: orNull(address?.apartment),
    address_door_phone: orNull(address?.doorPhone),
    address_lat: orNull(address?.lat),
    address_lon: orNull(address?.lon),
    address_delivery_to_door: address?.deliveryToDoor === undefined ? null : address.deliveryToDoor ? 1 : 0,
    delivery_expected_from: orNull(delivery?.expectedFrom),
    delivery_expected_to: orNull(delivery?.expectedTo),
    payment_methods_json: JSON.stringify(content.paymentMethods),
    total_price_kopecks: orNull(total?.totalPrice),
    discount_total_price_kopecks: orNull(total?.discountTotalPrice),
    cancellation_slug: orNull(order.cancellation?.slug),
    cancellation_description: orNull(order.cancellation?.description),
    payload_json: order.payloadJson,
    order_uuid: orNull(content.orderUuid),
    created_at: order.createdAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
    review_reasons_json: order.review === undefined ? null : JSON.stringify(order.review.reasons),
    review_marked_at: order.review === undefined ? null : order.review.markedAt.toISOString(),
    review_unapplied_change_json: orNull(order.review?.unappliedChangeJson),
  }
}

/** An order's lines as `order_lines` rows, numbered from 1 in their order. */
export const linesToRows = (lines: readonly OrderLine[]): readonly LineRow[] =>
  lines.map((line, index) => ({
    line_no: index + 1,
    sku: line.sku,
    name: orNull(line.name),
    original_quantity_thousandths: orNull(line.originalQuantity),
    quantity_thousandths: line.quantity,
    price_kopecks: line.price,
    discount_price_kopecks: orNull(line.discountPrice),
    total_price_kopecks: orNull(line.totalPrice),
    total_discount_price_kopecks: orNull(line.totalDiscountPrice),
    weight: orNull(line.weight),
    replaced_by_sku: orNull(line.replacedBySku),
    marking_codes_json: line.markingCodes === undefined ? null : JSON.stringify(line.markingCodes),
  }))

const statusOf = (value: string): OrderStatus => {
  const status = ORDER_STATUSES.find((s) => s === value)
  if (status === undefined) throw new RowMappingError('orders.status: not a known status')
  return status
}

/** A column holding a JSON array of strings (payment methods, marking codes, review reasons). */
export const stringsOf = (json: string, column: string): readonly string[] => {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new RowMappingError(`${column}: not JSON`)
  }
  if (!Array.isArray(parsed) || !parsed.every((m): m is string => typeof m === 'string')) {
    throw new RowMappingError(`${column}: expected an array of strings`)
  }
  return parsed
}

const paymentMethodsOf = (json: string): readonly string[] => stringsOf(json, 'orders.payment_methods_json')

const markingCodesOf = (json: string | null): readonly string[] | null =>
  json === null ? null : stringsOf(json, 'order_lines.marking_codes_json')

/** The review mark of a row, or null: its reasons and time are set together, or neither is. */
const reviewOf = (row: OrderRow): ReviewMark | null => {
  const reasons = text(row, 'review_reasons_json')
  const markedAt = text(row, 'review_marked_at')
  if (reasons === null && markedAt === null) return null
  if (reasons === null || markedAt === null)
    throw new RowMappingError('orders.review_reasons_json and review_marked_at: one is set without the other')
  return {
    reasons: stringsOf(reasons, 'orders.review_reasons_json'),
    markedAt: dateFromColumn(markedAt, 'orders.review_marked_at'),
    ...present('unappliedChangeJson', text(row, 'review_unapplied_change_json')),
  }
}

const lineFromRow = (row: LineRow): OrderLine => ({
  sku: requiredText(row, 'sku'),
  quantity: requiredInteger(row, 'quantity_thousandths') as Quantity,
  price: requiredInteger(row, 'price_kopecks') as Kopecks,
  ...present('name', text(row, 'name')),
  ...present('originalQuantity', integer(row, 'original_quantity_thousandths') as Quantity | null),
  ...present('discountPrice', integer(row, 'discount_price_kopecks') as Kopecks | null),
  ...present('totalPrice', integer(row, 'total_price_kopecks') as Kopecks | null),
  ...present('totalDiscountPrice', integer(row, 'total_discount_price_kopecks') as Kopecks | null),
  ...present('weight', text(row, 'weight')),
  ...present('replacedBySku', text(row, 'replaced_by_sku')),
  ...present('markingCodes', markingCodesOf(text(row, 'marking_codes_json'))),
})

const deliveryToDoorOf = (value: number | null): boolean | null => (value === null ? null : value !== 0)

/** An order back from its row and its line rows (in `line_no` order); throws `RowMappingError` on a bad row. */
export const orderFromRows = (row: OrderRow, lineRows: readonly LineRow[]): Order => {
  // An order may have no lines: one created for review when none could be read (its mark may since be cleared).
  const review = reviewOf(row)
  const customer = unlessEmpty({
    ...present('name', text(row, 'customer_name')),
    ...present('phone', text(row, 'customer_phone')),
    ...present('email', text(row, 'customer_email')),
  })
  const address = unlessEmpty({
    ...present('fullAddress', text(row, 'address_full')),
    ...present('city', text(row, 'address_city')),
    ...present('street', text(row, 'address_street')),
    ...present('building', text(row, 'address_building')),
    ...present('entrance', text(row, 'address_entrance')),
    ...present('floor', text(row, 'address_floor')),
    ...present('apartment', text(row, 'address_apartment')),
    ...present('doorPhone', text(row, 'address_door_phone')),
    ...present('lat', text(row, 'address_lat')),
    ...present('lon', text(row, 'address_lon')),
    ...present('deliveryToDoor', deliveryToDoorOf(integer(row, 'address_delivery_to_door'))),
  })
  const delivery = unlessEmpty({
    ...present('expectedFrom', text(row, 'delivery_expected_from')),
    ...present('expectedTo', text(row, 'delivery_expected_to')),
  })
  const total = unlessEmpty({
    ...present('totalPrice', integer(row, 'total_price_kopecks') as Kopecks | null),
    ...present('discountTotalPrice', integer(row, 'discount_total_price_kopecks') as Kopecks | null),
  })
  const cancellation = unlessEmpty({
    ...present('slug', text(row, 'cancellation_slug')),
    ...present('description', text(row, 'cancellation_description')),
  })
  return {
    originalOrderId: requiredText(row, 'original_order_id') as OriginalOrderId,
    number: requiredText(row, 'number') as DominoNumber,
    status: statusOf(requiredText(row, 'status')),
    content: {
      paymentMethods: paymentMethodsOf(requiredText(row, 'payment_methods_json')),
      positions: lineRows.map(lineFromRow),
      ...present('orderUuid', text(row, 'order_uuid')),
      ...present('storeId', text(row, 'store_id')),
      ...present('shipmentMethod', text(row, 'shipment_method')),
      ...present('replacementPolicy', text(row, 'replacement_policy')),
      ...present('comment', text(row, 'comment')),
      ...present('customer', customer ?? null),
      ...present('address', address ?? null),
      ...present('delivery', delivery ?? null),
      ...present('total', total ?? null),
    },
    payloadJson: requiredText(row, 'payload_json'),
    ...present('cancellation', cancellation ?? null),
    ...present('review', review),
    createdAt: dateFromColumn(requiredText(row, 'created_at'), 'orders.created_at'),
    updatedAt: dateFromColumn(requiredText(row, 'updated_at'), 'orders.updated_at'),
  }
}
