import type { Kopecks } from '../money/kopecks.js'
import { QUANTITY_SCALE, type Quantity } from '../money/quantity.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Address, Customer, DeliveryWindow, OrderContent, OrderLine, OrderTotal } from '../order/order.js'
import { DECLINE, firstGiven, nonBlankText, optionalFlag, optionalScaled, optionalText, scaled, text, type Declined } from './fast-scalars.js'
import { readPayloadKey } from './order-key.js'
import { MARKING_CODE_KEYS, PAYMENT_METHOD_KEY, PAYMENT_METHODS_KEY, SHIPMENT_METHOD_KEYS, STORE_ID_KEYS } from './field-aliases.js'
import { markingCodesOf } from './marking-codes.js'
import { isAbsent } from './primitive.codec.js'
import { ADDRESS_FIELDS, CUSTOMER_FIELDS, DELIVERY_FIELDS } from './to-domain.js'
import { isJsonObject } from '../json/json-object.js'

/**
 * The hot path's decoder of an order payload: one pass from the parsed JSON straight to the domain's
 * `OrderContent`, with none of io-ts's contexts, intermediate objects and Eithers (the codecs cost about 20 us
 * and 50 KB per 1.5 KB order). `WireOrderPayload` and `to-domain.ts` stay the definition: this gives exactly
 * what they give, or `undefined` where they would reject, and then `decodeHookBody` asks them, so every error
 * message still comes from the codecs. A property test holds the two equal over generated and mutated bodies.
 */
export interface FastOrder {
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
type Json = Readonly<Record<string, unknown>>

/** What `t.UnknownRecord` accepts: the codecs' notion of an object. */

const MONEY_SCALE = 2

const markingCodes_ = (u: unknown): readonly string[] | undefined | Declined => {
  const codes = markingCodesOf(u)
  return codes === null ? DECLINE : codes
}

const line = (p: unknown): OrderLine | undefined => {
  if (!isJsonObject(p)) return undefined
  const sku = nonBlankText(p['id'])
  const quantity = scaled(p['quantity'], QUANTITY_SCALE)
  const price = scaled(p['price'], MONEY_SCALE)
  if (sku === DECLINE || quantity === DECLINE || price === DECLINE) return undefined
  const result: Mutable<OrderLine> = { sku, quantity: quantity as Quantity, price: price as Kopecks }
  const name = optionalText(p['name'])
  const originalQuantity = optionalScaled(p['originalQuantity'], QUANTITY_SCALE)
  const discountPrice = optionalScaled(p['discountPrice'], MONEY_SCALE)
  const totalPrice = optionalScaled(p['totalPrice'], MONEY_SCALE)
  const totalDiscountPrice = optionalScaled(p['totalDiscountPrice'], MONEY_SCALE)
  const weight = optionalText(p['weight'])
  const replacedBySku = optionalText(p['replacedByID'])
  const markingCodes = firstGiven(p, MARKING_CODE_KEYS, markingCodes_)
  if (markingCodes === DECLINE) return undefined
  if (name === DECLINE || originalQuantity === DECLINE || discountPrice === DECLINE || totalPrice === DECLINE) return undefined
  if (totalDiscountPrice === DECLINE || weight === DECLINE || replacedBySku === DECLINE) return undefined
  if (name !== undefined) result.name = name
  if (originalQuantity !== undefined) result.originalQuantity = originalQuantity as Quantity
  if (discountPrice !== undefined) result.discountPrice = discountPrice as Kopecks
  if (totalPrice !== undefined) result.totalPrice = totalPrice as Kopecks
  if (totalDiscountPrice !== undefined) result.totalDiscountPrice = totalDiscountPrice as Kopecks
  if (weight !== undefined) result.weight = weight
  if (replacedBySku !== undefined) result.replacedBySku = replacedBySku
  if (markingCodes !== undefined) result.markingCodes = markingCodes
  return result
}

/**
 * A group of optional text fields (`customer`, `delivery`): `null` when the wire's value is not an object or a
 * field is not text (the codecs reject that), `undefined` when absent or empty (the domain then has no group).
 */
const textGroup = <T extends object>(u: unknown, names: readonly (readonly [wire: string, domain: keyof T])[]): T | undefined | null => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return null
  let group: Record<string, string> | undefined
  for (const [wire, domain] of names) {
    const value = optionalText(u[wire])
    if (value === DECLINE) return null
    if (value !== undefined) (group ??= {})[domain as string] = value
  }
  return group as T | undefined
}

// The names come from to-domain.ts (one place for them); the flag `delivery_to_door` is read apart from the text.
const ADDRESS_TEXT = ADDRESS_FIELDS.filter(([, field]) => field !== 'deliveryToDoor')

const address = (u: unknown): Address | undefined | null => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return null
  const toDoor = optionalFlag(u['delivery_to_door'])
  if (toDoor === DECLINE) return null
  const group = textGroup<Mutable<Address>>(u, ADDRESS_TEXT)
  if (group === null) return null
  if (toDoor === undefined) return group
  const withDoor: Mutable<Address> = group ?? {}
  withDoor.deliveryToDoor = toDoor
  return withDoor
}

const total = (u: unknown): OrderTotal | undefined | null => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return null
  const totalPrice = optionalScaled(u['totalPrice'], MONEY_SCALE)
  const discountTotalPrice = optionalScaled(u['discountTotalPrice'], MONEY_SCALE)
  if (totalPrice === DECLINE || discountTotalPrice === DECLINE) return null
  if (totalPrice === undefined && discountTotalPrice === undefined) return undefined
  const result: Mutable<OrderTotal> = {}
  if (totalPrice !== undefined) result.totalPrice = totalPrice as Kopecks
  if (discountTotalPrice !== undefined) result.discountTotalPrice = discountTotalPrice as Kopecks
  return result
}

const paymentMethods = (payload: Json): readonly string[] | null => {
  const u = payload[PAYMENT_METHODS_KEY]
  const single = optionalText(payload[PAYMENT_METHOD_KEY])
  if (single === DECLINE) return null
  if (u === undefined || u === null || u === '') return single === undefined ? [] : [single]
  if (!Array.isArray(u)) return null
  const methods: string[] = new Array<string>(u.length)
  for (let i = 0; i < u.length; i += 1) {
    const method = text(u[i])
    if (method === DECLINE) return null
    methods[i] = method
  }
  return methods
}

/**
 * The order in `payload` (already known to be an object) as `WireOrderPayload` + `toOrderContent` would give
 * it, with at least one position; `undefined` for anything they would reject (or an empty `positions`, which
 * `decodeHookBody` rejects after them).
 */
export const fastOrderPayload = (payload: Json): FastOrder | undefined => {
  const key = readPayloadKey(payload)
  const wirePositions = payload['positions']
  // An unreadable orderUUID beside a readable key: the codecs word it, and the order is read for review.
  if (key._tag === 'NoKey' || key.orderUuidProblem !== undefined || !Array.isArray(wirePositions) || wirePositions.length === 0) return undefined
  const lines: OrderLine[] = new Array<OrderLine>(wirePositions.length)
  for (let i = 0; i < wirePositions.length; i += 1) {
    const l = line(wirePositions[i])
    if (l === undefined) return undefined
    lines[i] = l
  }
  const storeId = firstGiven(payload, STORE_ID_KEYS, optionalText)
  const shipmentMethod = firstGiven(payload, SHIPMENT_METHOD_KEYS, optionalText)
  const replacementPolicy = optionalText(payload['replacementPolicy'])
  const comment = optionalText(payload['comment'])
  if (storeId === DECLINE || shipmentMethod === DECLINE || replacementPolicy === DECLINE || comment === DECLINE) return undefined
  const customer = textGroup<Customer>(payload['customer'], CUSTOMER_FIELDS)
  const addr = address(payload['address'])
  const delivery = textGroup<DeliveryWindow>(payload['delivery'], DELIVERY_FIELDS)
  const methods = paymentMethods(payload)
  const sum = total(payload['total'])
  if (customer === null || addr === null || delivery === null || methods === null || sum === null) return undefined
  const content: Mutable<OrderContent> = { positions: lines, paymentMethods: methods }
  if (key.orderUuid !== undefined) content.orderUuid = key.orderUuid
  if (storeId !== undefined) content.storeId = storeId
  if (shipmentMethod !== undefined) content.shipmentMethod = shipmentMethod
  if (replacementPolicy !== undefined) content.replacementPolicy = replacementPolicy
  if (comment !== undefined) content.comment = comment
  if (customer !== undefined) content.customer = customer
  if (addr !== undefined) content.address = addr
  if (delivery !== undefined) content.delivery = delivery
  if (sum !== undefined) content.total = sum
  return { originalOrderId: key.originalOrderId, content }
}
