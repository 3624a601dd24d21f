import { isJsonObject } from '../json/json-object.js'
import type { Kopecks } from '../money/kopecks.js'
import type { Quantity } from '../money/quantity.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Address, Customer, DeliveryWindow, OrderContent, OrderLine, OrderTotal } from '../order/order.js'
import { given, groupOf, readersOf, readInto, siteFields, type Reader } from './fast-fields.js'
import { DECLINE, optionalText, text, type Declined } from './fast-scalars.js'
import { readPayloadKey } from './order-key.js'
import { isAbsent } from './primitive.codec.js'
import { ORDER_ENTRIES, POSITION_FIELDS, POSITIONS_KEY, type GroupKey } from './wire-forms.js'

/**
 * The hot path's decoder of an order payload: one pass from the parsed JSON straight to the domain's
 * `OrderContent`, with none of io-ts's contexts, intermediate objects and Eithers (the codecs cost about 20 us
 * and 50 KB per 1.5 KB order). It reads the fields and spellings of `wire-forms.ts`, as the codecs do; the codecs
 * stay the definition: this gives exactly what they give, or `undefined` where they would reject, and then
 * `decodeHookBody` asks them, so every error message still comes from the codecs. A property test holds the two
 * equal over generated and mutated bodies, and `wire-forms.test.ts` over every spelling of the table.
 */
export interface FastOrder {
  readonly originalOrderId: OriginalOrderId
  readonly content: OrderContent
}

type Json = Readonly<Record<string, unknown>>
type Mutable<T> = { -readonly [K in keyof T]: T[K] }

const L = siteFields(POSITION_FIELDS, [
  'sku',
  'quantity',
  'price',
  'name',
  'originalQuantity',
  'discountPrice',
  'totalPrice',
  'totalDiscountPrice',
  'weight',
  'replacedBySku',
  'markingCodes',
] as const)

const line = (p: unknown): OrderLine | undefined => {
  if (!isJsonObject(p)) return undefined
  const sku = L.sku.alone ? L.sku.read(p[L.sku.key]) : given(p, L.sku)
  const quantity = L.quantity.alone ? L.quantity.read(p[L.quantity.key]) : given(p, L.quantity)
  const price = L.price.alone ? L.price.read(p[L.price.key]) : given(p, L.price)
  if (sku === DECLINE || quantity === DECLINE || price === DECLINE) return undefined
  const name = L.name.alone ? L.name.read(p[L.name.key]) : given(p, L.name)
  const originalQuantity = L.originalQuantity.alone
    ? L.originalQuantity.read(p[L.originalQuantity.key])
    : given(p, L.originalQuantity)
  const discountPrice = L.discountPrice.alone ? L.discountPrice.read(p[L.discountPrice.key]) : given(p, L.discountPrice)
  const totalPrice = L.totalPrice.alone ? L.totalPrice.read(p[L.totalPrice.key]) : given(p, L.totalPrice)
  const totalDiscountPrice = L.totalDiscountPrice.alone
    ? L.totalDiscountPrice.read(p[L.totalDiscountPrice.key])
    : given(p, L.totalDiscountPrice)
  const weight = L.weight.alone ? L.weight.read(p[L.weight.key]) : given(p, L.weight)
  const replacedBySku = L.replacedBySku.alone ? L.replacedBySku.read(p[L.replacedBySku.key]) : given(p, L.replacedBySku)
  const markingCodes = L.markingCodes.alone ? L.markingCodes.read(p[L.markingCodes.key]) : given(p, L.markingCodes)
  if (name === DECLINE || originalQuantity === DECLINE || discountPrice === DECLINE) return undefined
  if (totalPrice === DECLINE || totalDiscountPrice === DECLINE) return undefined
  if (weight === DECLINE || replacedBySku === DECLINE || markingCodes === DECLINE) return undefined
  const result: Mutable<OrderLine> = { sku: sku as string, quantity: quantity as Quantity, price: price as Kopecks }
  if (name !== undefined) result.name = name as string
  if (originalQuantity !== undefined) result.originalQuantity = originalQuantity as Quantity
  if (discountPrice !== undefined) result.discountPrice = discountPrice as Kopecks
  if (totalPrice !== undefined) result.totalPrice = totalPrice as Kopecks
  if (totalDiscountPrice !== undefined) result.totalDiscountPrice = totalDiscountPrice as Kopecks
  if (weight !== undefined) result.weight = weight as string
  if (replacedBySku !== undefined) result.replacedBySku = replacedBySku as string
  if (markingCodes !== undefined) result.markingCodes = markingCodes as readonly string[]
  return result
}

const HEADER = readersOf(ORDER_ENTRIES.flatMap((entry) => (entry.kind === 'field' ? [entry] : [])))

/** A group of the table (`customer`, `address`, ...) with its readers. */
interface GroupReader {
  readonly wire: string
  readonly readers: readonly Reader[]
}
/** A list of text (`paymentMethods`) with its single value's readers. */
interface ListReader {
  readonly list: readonly string[]
  readonly single: readonly Reader[]
}

const groupReader = (domain: GroupKey): GroupReader => {
  const entry = ORDER_ENTRIES.find((e) => e.kind === 'group' && e.domain === domain)
  if (entry?.kind !== 'group') throw new Error(`wire-forms.ts has no group ${domain}`)
  return { wire: entry.wire, readers: readersOf(entry.fields) }
}
const G = {
  customer: groupReader('customer'),
  address: groupReader('address'),
  delivery: groupReader('delivery'),
  total: groupReader('total'),
}

const listReader = (): ListReader => {
  const entry = ORDER_ENTRIES.find((e) => e.kind === 'list')
  if (entry?.kind !== 'list') throw new Error('wire-forms.ts has no list of payment methods')
  const single = entry.single.map((key) => ({ domain: entry.domain, wire: [key], read: optionalText }))
  return { list: entry.list, single }
}
const PAYMENT_METHODS = listReader()

/** A list of text (`paymentMethods`): the first list given, or else the first single value given, as a list. */
const textListOf = (payload: Json, step: ListReader): readonly string[] | Declined => {
  let one: unknown
  for (const reader of step.single) {
    const read = reader.read(payload[reader.wire[0]!])
    if (read === DECLINE) return DECLINE
    if (one === undefined) one = read
  }
  let methods: string[] | undefined
  for (const key of step.list) {
    const u = payload[key]
    if (isAbsent(u)) continue
    if (!Array.isArray(u)) return DECLINE
    const list: string[] = new Array<string>(u.length)
    for (let i = 0; i < u.length; i += 1) {
      const method = text(u[i])
      if (method === DECLINE) return DECLINE
      list[i] = method
    }
    methods ??= list
  }
  return methods ?? (one === undefined ? [] : [one as string])
}

/**
 * The order in `payload` (already known to be an object) as `WireOrderPayload` + `toOrderContent` would give
 * it, with at least one position; `undefined` for anything they would reject (or an empty `positions`, which
 * `decodeHookBody` rejects after them).
 */
export const fastOrderPayload = (payload: Json): FastOrder | undefined => {
  const key = readPayloadKey(payload)
  const wirePositions = payload[POSITIONS_KEY]
  // An unreadable orderUUID beside a readable key: the codecs word it, and the order is read for review.
  if (key._tag === 'NoKey' || key.orderUuidProblem !== undefined) return undefined
  if (!Array.isArray(wirePositions) || wirePositions.length === 0) return undefined
  const lines: OrderLine[] = new Array<OrderLine>(wirePositions.length)
  for (let i = 0; i < wirePositions.length; i += 1) {
    const l = line(wirePositions[i])
    if (l === undefined) return undefined
    lines[i] = l
  }
  // The content's fields in the order the codecs give them; paymentMethods is set below, once read.
  const content: Record<string, unknown> = { positions: lines, paymentMethods: undefined }
  if (key.orderUuid !== undefined) content['orderUuid'] = key.orderUuid
  // The order's own fields, a few per body: a loop over the table costs nothing measurable here.
  if (readInto(payload, HEADER, content) === DECLINE) return undefined
  const customer = groupOf<Customer>(payload[G.customer.wire], G.customer.readers)
  const address = groupOf<Address>(payload[G.address.wire], G.address.readers)
  const delivery = groupOf<DeliveryWindow>(payload[G.delivery.wire], G.delivery.readers)
  const paymentMethods = textListOf(payload, PAYMENT_METHODS)
  const total = groupOf<OrderTotal>(payload[G.total.wire], G.total.readers)
  if (customer === DECLINE || address === DECLINE || delivery === DECLINE) return undefined
  if (paymentMethods === DECLINE || total === DECLINE) return undefined
  content['paymentMethods'] = paymentMethods
  if (customer !== undefined) content['customer'] = customer
  if (address !== undefined) content['address'] = address
  if (delivery !== undefined) content['delivery'] = delivery
  if (total !== undefined) content['total'] = total
  return { originalOrderId: key.originalOrderId, content: content as unknown as OrderContent }
}
