import type { Order, OrderLine } from '@domino-sm/core'
import {
  field,
  nonEmpty,
  readInteger,
  readOptionalFlag,
  readOptionalInteger,
  readOptionalText,
  readText,
  type Row,
} from './column-values.js'
import { stateFromRow, stringsOf } from './order-state-mapping.js'

const HEADER = 'order_header'
const LINE = 'order_line'

/** The order_header columns the adapter reads, in the order of `HEADER_UPDATE_COLUMNS` after the key columns. */
export const HEADER_SELECT_COLUMNS = [
  'id',
  'original_order_id',
  'domino_number',
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
  'order_uuid',
] as const

export const LINE_SELECT_COLUMNS = [
  'line_no',
  'sku',
  'name',
  'original_quantity_milli',
  'quantity_milli',
  'price_kopecks',
  'discount_price_kopecks',
  'total_price_kopecks',
  'total_discount_price_kopecks',
  'weight',
  'replaced_by_sku',
  'marking_codes_json',
] as const

const paymentMethodsOf = (row: Row): readonly string[] =>
  stringsOf(readText(row, HEADER, 'payment_methods_json'), HEADER, 'payment_methods_json')

/** One order_line row as a domain line (quantities in thousandths, money in kopecks, as stored). */
export const lineFromRow = (row: Row): OrderLine => {
  const text = (column: string): string | undefined => readOptionalText(row, LINE, column)
  const integer = (column: string): number | undefined => readOptionalInteger(row, LINE, column)
  const codes = text('marking_codes_json')
  return {
    sku: readText(row, LINE, 'sku'),
    quantity: readInteger(row, LINE, 'quantity_milli') as OrderLine['quantity'],
    price: readInteger(row, LINE, 'price_kopecks') as OrderLine['price'],
    ...field('name', text('name')),
    ...field('originalQuantity', integer('original_quantity_milli') as OrderLine['originalQuantity']),
    ...field('discountPrice', integer('discount_price_kopecks') as OrderLine['discountPrice']),
    ...field('totalPrice', integer('total_price_kopecks') as OrderLine['totalPrice']),
    ...field('totalDiscountPrice', integer('total_discount_price_kopecks') as OrderLine['totalDiscountPrice']),
    ...field('weight', text('weight')),
    ...field('replacedBySku', text('replaced_by_sku')),
    ...field('markingCodes', codes === undefined ? undefined : stringsOf(codes, LINE, 'marking_codes_json')),
  }
}

/**
 * An order from its order_header row and its order_line rows (in line_no order): its state (`stateFromRow`), its
 * content and payload. Absent values (NULL columns, column groups that are all NULL) stay absent, so that what was
 * created reads back deep-equal.
 */
export const orderFromRows = (row: Row, lineRows: readonly Row[]): Order => {
  const text = (column: string): string | undefined => readOptionalText(row, HEADER, column)
  // An order may have no lines: one created for review when none could be read (its mark may since be cleared).
  const positions = lineRows.map(lineFromRow)
  const customer = nonEmpty({
    ...field('name', text('customer_name')),
    ...field('phone', text('customer_phone')),
    ...field('email', text('customer_email')),
  })
  const address = nonEmpty({
    ...field('fullAddress', text('address_full')),
    ...field('city', text('address_city')),
    ...field('street', text('address_street')),
    ...field('building', text('address_building')),
    ...field('entrance', text('address_entrance')),
    ...field('floor', text('address_floor')),
    ...field('apartment', text('address_apartment')),
    ...field('doorPhone', text('address_door_phone')),
    ...field('lat', text('address_lat')),
    ...field('lon', text('address_lon')),
    ...field('deliveryToDoor', readOptionalFlag(row, HEADER, 'address_delivery_to_door')),
  })
  const delivery = nonEmpty({
    ...field('expectedFrom', text('delivery_expected_from')),
    ...field('expectedTo', text('delivery_expected_to')),
  })
  type Money = NonNullable<NonNullable<Order['content']['total']>['totalPrice']>
  const total = nonEmpty({
    ...field('totalPrice', readOptionalInteger(row, HEADER, 'total_price_kopecks') as Money | undefined),
    ...field(
      'discountTotalPrice',
      readOptionalInteger(row, HEADER, 'discount_total_price_kopecks') as Money | undefined,
    ),
  })
  return {
    ...stateFromRow(row),
    content: {
      positions,
      paymentMethods: paymentMethodsOf(row),
      ...field('orderUuid', text('order_uuid')),
      ...field('storeId', text('store_id')),
      ...field('shipmentMethod', text('shipment_method')),
      ...field('replacementPolicy', text('replacement_policy')),
      ...field('comment', text('comment')),
      ...field('customer', customer),
      ...field('address', address),
      ...field('delivery', delivery),
      ...field('total', total),
    },
    payloadJson: readText(row, HEADER, 'payload_json'),
  }
}

/** The surrogate key of an order_header row, to address its lines. */
export const headerIdOf = (row: Row): number => readInteger(row, HEADER, 'id')
