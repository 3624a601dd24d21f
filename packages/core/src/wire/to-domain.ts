import type { Address, Cancellation, Customer, DeliveryWindow, OrderContent, OrderLine, OrderTotal } from '../order/order.js'
import type { WireAddress, WireCustomer, WireDelivery, WireOrderPayload, WirePosition, WireTotal } from './order-payload.codec.js'
import type { WireCancellationReason, WireStatusPayload } from './status-payload.codec.js'
import { aliasPairs, MARKING_CODE_KEYS, SHIPMENT_METHOD_KEYS, STORE_ID_KEYS } from './field-aliases.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Copies the fields the wire gave a value (neither absent, null nor undefined) from `source` to `target` under
 * their domain names. Written as plain assignments rather than object spreads: this runs for every order and
 * the spreads were a measurable part of the hook's CPU time.
 */
const copyGiven = <T extends object>(target: Mutable<T>, source: object, names: readonly (readonly [wire: string, domain: keyof T])[]): void => {
  const from = source as Readonly<Record<string, unknown>>
  for (const [wire, domain] of names) {
    const value = from[wire]
    if (value !== null && value !== undefined) (target as Record<keyof T, unknown>)[domain] = value
  }
}

/** `undefined` when an object has no field, so that empty wire objects do not become empty domain ones. */
const nonEmpty = <T extends object>(value: T): T | undefined => {
  for (const _ in value) return value
  return undefined
}

const LINE_FIELDS: readonly (readonly [string, keyof OrderLine])[] = [
  ['name', 'name'],
  ['originalQuantity', 'originalQuantity'],
  ['discountPrice', 'discountPrice'],
  ['totalPrice', 'totalPrice'],
  ['totalDiscountPrice', 'totalDiscountPrice'],
  ['weight', 'weight'],
  ['replacedByID', 'replacedBySku'],
  ...aliasPairs(MARKING_CODE_KEYS, 'markingCodes'),
]
/** Wire field -> domain field of each group: one place for the names (the fast path reads them too). */
export const CUSTOMER_FIELDS: readonly (readonly [string, keyof Customer])[] = [
  ['name', 'name'],
  ['phone', 'phone'],
  ['email', 'email'],
]
export const ADDRESS_FIELDS: readonly (readonly [string, keyof Address])[] = [
  ['full_address', 'fullAddress'],
  ['city', 'city'],
  ['street', 'street'],
  ['building', 'building'],
  ['entrance', 'entrance'],
  ['floor', 'floor'],
  ['apartment', 'apartment'],
  ['door_phone', 'doorPhone'],
  ['lat', 'lat'],
  ['lon', 'lon'],
  ['delivery_to_door', 'deliveryToDoor'],
]
export const DELIVERY_FIELDS: readonly (readonly [string, keyof DeliveryWindow])[] = [
  ['expectedFrom', 'expectedFrom'],
  ['expectedTo', 'expectedTo'],
]
const TOTAL_FIELDS: readonly (readonly [string, keyof OrderTotal])[] = [
  ['totalPrice', 'totalPrice'],
  ['discountTotalPrice', 'discountTotalPrice'],
]
const HEADER_FIELDS: readonly (readonly [string, keyof OrderContent])[] = [
  ...aliasPairs(STORE_ID_KEYS, 'storeId'),
  ...aliasPairs(SHIPMENT_METHOD_KEYS, 'shipmentMethod'),
  ['replacementPolicy', 'replacementPolicy'],
  ['comment', 'comment'],
]

const toLine = (p: WirePosition): OrderLine => {
  const line: Mutable<OrderLine> = { sku: p.id, quantity: p.quantity, price: p.price }
  copyGiven(line, p, LINE_FIELDS)
  return line
}

const group = <T extends object>(source: object | null | undefined, names: readonly (readonly [string, keyof T])[]): T | undefined => {
  if (source === null || source === undefined) return undefined
  const target = {} as Mutable<T>
  copyGiven(target, source, names)
  return nonEmpty(target as T)
}

/** The payment methods: the list, or the single `paymentMethod` one receiver reads, or none. */
const paymentMethodsOf = (w: WireOrderPayload): readonly string[] =>
  w.paymentMethods ?? (w.paymentMethod === undefined || w.paymentMethod === null ? [] : [w.paymentMethod])

/** The domain content of a decoded order payload (its positions already decoded; empty only for review). */
export const toOrderContent = (w: WireOrderPayload, positions: readonly WirePosition[]): OrderContent => {
  const content: Mutable<OrderContent> = { positions: positions.map(toLine), paymentMethods: paymentMethodsOf(w) }
  if (w.orderUUID !== undefined) content.orderUuid = w.orderUUID
  copyGiven(content, w, HEADER_FIELDS)
  const customer = group<Customer>(w.customer satisfies WireCustomer | null | undefined, CUSTOMER_FIELDS)
  const address = group<Address>(w.address satisfies WireAddress | null | undefined, ADDRESS_FIELDS)
  const delivery = group<DeliveryWindow>(w.delivery satisfies WireDelivery | null | undefined, DELIVERY_FIELDS)
  const total = group<OrderTotal>(w.total satisfies WireTotal | null | undefined, TOTAL_FIELDS)
  if (customer !== undefined) content.customer = customer
  if (address !== undefined) content.address = address
  if (delivery !== undefined) content.delivery = delivery
  if (total !== undefined) content.total = total
  return content
}

const toCancellation = (reason: WireCancellationReason | string): Cancellation | undefined =>
  typeof reason === 'string'
    ? reason.trim() === '' ? undefined : { description: reason }
    : group<Cancellation>(reason, [['slug', 'slug'], ['description', 'description']])

/** The cancellation reason under whichever of its guessed names it came. */
export const cancellationOf = (p: WireStatusPayload): Cancellation | undefined => {
  const reason = p.cancellation ?? p.cancellationReason ?? p.cancellation_reason
  return reason == null ? undefined : toCancellation(reason)
}
