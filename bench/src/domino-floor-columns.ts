import mssql from 'mssql'
import type { OrderContent, OrderLine } from '@domino-sm/core'

/** A column the floor writes, and its value. */
export interface FloorColumn {
  readonly column: string
  readonly type: mssql.ISqlType
  readonly value: unknown
}

const text = (column: string, length: number, value: string | undefined): FloorColumn => ({
  column,
  type: mssql.NVarChar(length),
  value: value ?? null,
})
const longText = (column: string, value: string | undefined): FloorColumn => ({
  column,
  type: mssql.NVarChar(mssql.MAX),
  value: value ?? null,
})
const bigint = (column: string, value: number | undefined): FloorColumn => ({
  column,
  type: mssql.BigInt(),
  value: value ?? null,
})
const instant = (column: string, value: Date | undefined): FloorColumn => ({
  column,
  type: mssql.DateTimeOffset(3),
  value: value ?? null,
})
const jsonList = (column: string, value: readonly string[] | undefined): FloorColumn =>
  longText(column, value === undefined ? undefined : JSON.stringify(value))

/**
 * The header of a new order as the hook writes it (docs/domino-integration.md §1): every column, the absent ones NULL
 * as the hook sends them; `domino_number` comes from the sequence in the statement. The bench bodies fit every
 * column, so nothing is cut. One line per column: a column a new migration adds is one more line here (its value for
 * a new order), and the floor's guard (`floorColumnGaps`) refuses to run until it is there.
 */
export const headerColumns = (key: string, content: OrderContent, payloadJson: string, now: Date): FloorColumn[] => [
  text('original_order_id', 64, key),
  instant('created_at', now),
  text('status', 20, 'new'),
  text('store_id', 100, content.storeId),
  text('shipment_method', 100, content.shipmentMethod),
  text('replacement_policy', 100, content.replacementPolicy),
  longText('comment', content.comment),
  text('customer_name', 400, content.customer?.name),
  text('customer_phone', 100, content.customer?.phone),
  text('customer_email', 320, content.customer?.email),
  text('address_full', 1000, content.address?.fullAddress),
  text('address_city', 200, content.address?.city),
  text('address_street', 400, content.address?.street),
  text('address_building', 100, content.address?.building),
  text('address_entrance', 100, content.address?.entrance),
  text('address_floor', 100, content.address?.floor),
  text('address_apartment', 100, content.address?.apartment),
  text('address_door_phone', 100, content.address?.doorPhone),
  text('address_lat', 50, content.address?.lat),
  text('address_lon', 50, content.address?.lon),
  { column: 'address_delivery_to_door', type: mssql.Bit(), value: content.address?.deliveryToDoor ?? null },
  text('delivery_expected_from', 64, content.delivery?.expectedFrom),
  text('delivery_expected_to', 64, content.delivery?.expectedTo),
  longText('payment_methods_json', JSON.stringify(content.paymentMethods)),
  bigint('total_price_kopecks', content.total?.totalPrice),
  bigint('discount_total_price_kopecks', content.total?.discountTotalPrice),
  text('cancellation_slug', 100, undefined),
  text('cancellation_description', 1000, undefined),
  longText('payload_json', payloadJson),
  instant('updated_at', now),
  longText('review_reasons_json', undefined),
  instant('review_marked_at', undefined),
  longText('review_unapplied_change_json', undefined),
  // Migration 0008: set only by the erasure of personal data, never by a hook request.
  instant('personal_data_erased_at', undefined),
  // Migration 0009: the payload's `orderUUID` as the hook decodes it (NULL when the body has none).
  text('order_uuid', 64, content.orderUuid),
]

/**
 * What a status event sets in the header, as `SET` clauses over the parameters `@status` and
 * `@updated_at`: a column the hook also changes on every status event (a version, say) is one more clause here.
 */
export const STATUS_UPDATE_SETS: readonly string[] = ['status = @status', 'updated_at = @updated_at']

export const lineColumns = (line: OrderLine): FloorColumn[] => [
  text('sku', 255, line.sku),
  text('name', 1000, line.name),
  bigint('original_quantity_milli', line.originalQuantity),
  bigint('quantity_milli', line.quantity),
  bigint('price_kopecks', line.price),
  bigint('discount_price_kopecks', line.discountPrice),
  bigint('total_price_kopecks', line.totalPrice),
  bigint('total_discount_price_kopecks', line.totalDiscountPrice),
  text('weight', 50, line.weight),
  text('replaced_by_sku', 255, line.replacedBySku),
  jsonList('marking_codes_json', line.markingCodes),
]

/** What a journal entry of the floor says: the facts of the hook's entry for the same event. */
export interface FloorJournal {
  readonly eventType: string
  readonly key: string
  readonly rawBody: string
  readonly outcome: 'created' | 'duplicate' | 'applied'
  readonly receivedAt: Date
}

export const journalColumns = (j: FloorJournal, requestId: string): FloorColumn[] => [
  { column: 'request_id', type: mssql.UniqueIdentifier(), value: requestId },
  instant('received_at', j.receivedAt),
  text('event_type', 100, j.eventType),
  text('original_order_id', 64, j.key),
  longText('raw_body', j.rawBody),
  text('outcome', 16, j.outcome),
  { column: 'http_status', type: mssql.SmallInt(), value: 200 },
  { column: 'duration_ms', type: mssql.Int(), value: 1 },
  text('detail', 4000, undefined),
  instant('stored_at', j.receivedAt),
  // Migration 0008: the entry a `journal replay` re-ran; a request from SberMarket replays nothing.
  bigint('replay_of', undefined),
]
