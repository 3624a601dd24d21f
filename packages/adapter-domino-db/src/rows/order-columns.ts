import mssql from 'mssql'
import type { Order, OrderLine, OrderState } from '@domino-sm/core'
import { fitText } from './column-values.js'

/** How one column is written: its name, its parameter type and its value taken from the domain object. */
export interface ColumnSpec<S> {
  readonly column: string
  readonly type: mssql.ISqlType
  readonly value: (source: S) => unknown
}

/** An NVARCHAR(n) column: NULL when absent, cut to n code units otherwise (the payload keeps the whole text). */
const text = <S>(column: string, maxLength: number, get: (source: S) => string | undefined): ColumnSpec<S> => ({
  column,
  type: mssql.NVarChar(maxLength),
  value: (source) => {
    const value = get(source)
    return value === undefined ? null : fitText(value, maxLength)
  },
})

const longText = <S>(column: string, get: (source: S) => string | undefined): ColumnSpec<S> => ({
  column,
  type: mssql.NVarChar(mssql.MAX),
  value: (source) => get(source) ?? null,
})

/** A BIGINT of kopecks or thousandths: exact integers, NULL when absent. */
const bigint = <S>(column: string, get: (source: S) => number | undefined): ColumnSpec<S> => ({
  column,
  type: mssql.BigInt(),
  value: (source) => get(source) ?? null,
})

const instant = <S>(column: string, get: (source: S) => Date): ColumnSpec<S> => ({
  column,
  type: mssql.DateTimeOffset(3),
  value: get,
})

const optionalInstant = <S>(column: string, get: (source: S) => Date | undefined): ColumnSpec<S> => ({
  column,
  type: mssql.DateTimeOffset(3),
  value: (source) => get(source) ?? null,
})

/** A list of strings as a JSON array in an NVARCHAR(MAX) column; NULL when absent. */
const jsonList = <S>(column: string, get: (source: S) => readonly string[] | undefined): ColumnSpec<S> => ({
  column,
  type: mssql.NVarChar(mssql.MAX),
  value: (source) => {
    const list = get(source)
    return list === undefined ? null : JSON.stringify(list)
  },
})

/** Column lengths of order_header (migration 0002); `fitText` cuts to them. */
export const HEADER_LENGTHS = {
  original_order_id: 64,
  domino_number: 32,
  status: 20,
  store_id: 100,
  shipment_method: 100,
  replacement_policy: 100,
  customer_name: 400,
  customer_phone: 100,
  customer_email: 320,
  address_full: 1000,
  address_city: 200,
  address_street: 400,
  address_building: 100,
  address_entrance: 100,
  address_floor: 100,
  address_apartment: 100,
  address_door_phone: 100,
  address_lat: 50,
  address_lon: 50,
  delivery_expected_from: 64,
  delivery_expected_to: 64,
  cancellation_slug: 100,
  cancellation_description: 1000,
  // Migration 0009.
  order_uuid: 64,
} as const

const L = HEADER_LENGTHS

/** The columns of order_header written once, when the order is created. */
export const HEADER_CREATE_COLUMNS: readonly ColumnSpec<Order>[] = [
  text('original_order_id', L.original_order_id, (o) => o.originalOrderId),
  text('domino_number', L.domino_number, (o) => o.number),
  instant('created_at', (o) => o.createdAt),
]

/**
 * The columns of order_header that a status event writes (core's `decideStatus`: the status, `updatedAt`, and the
 * cancellation a cancel carries), taken from the order's state alone, in `HEADER_UPDATE_COLUMNS`' order: a store
 * that decided on the state writes them as every other write does (cut and typed by these specs).
 */
const [STATUS, CANCELLATION_SLUG, CANCELLATION_DESCRIPTION, UPDATED_AT] = [
  text<OrderState>('status', L.status, (o) => o.status),
  text<OrderState>('cancellation_slug', L.cancellation_slug, (o) => o.cancellation?.slug),
  text<OrderState>('cancellation_description', L.cancellation_description, (o) => o.cancellation?.description),
  instant<OrderState>('updated_at', (o) => o.updatedAt),
] as const
export const HEADER_STATE_UPDATE_COLUMNS: readonly ColumnSpec<OrderState>[] = [
  STATUS,
  CANCELLATION_SLUG,
  CANCELLATION_DESCRIPTION,
  UPDATED_AT,
]

/** The columns of order_header that `order.changed` and status events rewrite. */
export const HEADER_UPDATE_COLUMNS: readonly ColumnSpec<Order>[] = [
  STATUS,
  text('store_id', L.store_id, (o) => o.content.storeId),
  text('shipment_method', L.shipment_method, (o) => o.content.shipmentMethod),
  text('replacement_policy', L.replacement_policy, (o) => o.content.replacementPolicy),
  longText('comment', (o) => o.content.comment),
  text('customer_name', L.customer_name, (o) => o.content.customer?.name),
  text('customer_phone', L.customer_phone, (o) => o.content.customer?.phone),
  text('customer_email', L.customer_email, (o) => o.content.customer?.email),
  text('address_full', L.address_full, (o) => o.content.address?.fullAddress),
  text('address_city', L.address_city, (o) => o.content.address?.city),
  text('address_street', L.address_street, (o) => o.content.address?.street),
  text('address_building', L.address_building, (o) => o.content.address?.building),
  text('address_entrance', L.address_entrance, (o) => o.content.address?.entrance),
  text('address_floor', L.address_floor, (o) => o.content.address?.floor),
  text('address_apartment', L.address_apartment, (o) => o.content.address?.apartment),
  text('address_door_phone', L.address_door_phone, (o) => o.content.address?.doorPhone),
  text('address_lat', L.address_lat, (o) => o.content.address?.lat),
  text('address_lon', L.address_lon, (o) => o.content.address?.lon),
  { column: 'address_delivery_to_door', type: mssql.Bit(), value: (o) => o.content.address?.deliveryToDoor ?? null },
  text('delivery_expected_from', L.delivery_expected_from, (o) => o.content.delivery?.expectedFrom),
  text('delivery_expected_to', L.delivery_expected_to, (o) => o.content.delivery?.expectedTo),
  longText('payment_methods_json', (o) => JSON.stringify(o.content.paymentMethods)),
  bigint('total_price_kopecks', (o) => o.content.total?.totalPrice),
  bigint('discount_total_price_kopecks', (o) => o.content.total?.discountTotalPrice),
  CANCELLATION_SLUG,
  CANCELLATION_DESCRIPTION,
  longText('payload_json', (o) => o.payloadJson),
  UPDATED_AT,
  // The review mark (migration 0005): reasons as a JSON array, so that any reason round-trips.
  jsonList('review_reasons_json', (o) => o.review?.reasons),
  optionalInstant('review_marked_at', (o) => o.review?.markedAt),
  longText('review_unapplied_change_json', (o) => o.review?.unappliedChangeJson),
  // Migration 0009. The codecs bound it to 64 characters (MAX_ORDER_ID_LENGTH): nothing is cut.
  text('order_uuid', L.order_uuid, (o) => o.content.orderUuid),
]

/** Column lengths of order_line (migration 0002). */
export const LINE_LENGTHS = { sku: 255, name: 1000, weight: 50, replaced_by_sku: 255 } as const

/** The columns of order_line after `order_id` and `line_no`, which the statements supply. */
export const LINE_COLUMNS: readonly ColumnSpec<OrderLine>[] = [
  text('sku', LINE_LENGTHS.sku, (l) => l.sku),
  text('name', LINE_LENGTHS.name, (l) => l.name),
  bigint('original_quantity_milli', (l) => l.originalQuantity),
  bigint('quantity_milli', (l) => l.quantity),
  bigint('price_kopecks', (l) => l.price),
  bigint('discount_price_kopecks', (l) => l.discountPrice),
  bigint('total_price_kopecks', (l) => l.totalPrice),
  bigint('total_discount_price_kopecks', (l) => l.totalDiscountPrice),
  text('weight', LINE_LENGTHS.weight, (l) => l.weight),
  text('replaced_by_sku', LINE_LENGTHS.replaced_by_sku, (l) => l.replacedBySku),
  jsonList('marking_codes_json', (l) => l.markingCodes),
]
