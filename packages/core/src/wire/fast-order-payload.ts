import type { Kopecks } from '../money/kopecks.js'
import { QUANTITY_SCALE, type Quantity } from '../money/quantity.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Address, Customer, DeliveryWindow, OrderContent, OrderLine, OrderTotal } from '../order/order.js'
import { isJsonObject } from '../json/json-object.js'
import {
  DECLINE,
  nonBlankText,
  optionalFlag,
  optionalScaled,
  optionalText,
  scaled,
  text,
  type Declined,
} from './fast-scalars.js'
import { markingCodesOf } from './marking-codes.js'
import { readPayloadKey } from './order-key.js'
import { isAbsent } from './primitive.codec.js'
import {
  ORDER_ENTRIES,
  POSITION_FIELDS,
  POSITIONS_KEY,
  type FieldSpec,
  type Form,
  type GroupKey,
  type WireField,
} from './wire-forms.js'

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
type Read = (u: unknown) => unknown

const MONEY_SCALE = 2

const markingCodes = (u: unknown): readonly string[] | undefined | Declined => {
  const codes = markingCodesOf(u)
  return codes === null ? DECLINE : codes
}

/** Each form's reader for an optional field: `undefined` when absent, `DECLINE` where its codec fails. */
const OPTIONAL_READ_OF_FORM: { readonly [F in Form]: Read } = {
  text: optionalText,
  nonBlankText: (u) => (isAbsent(u) ? undefined : nonBlankText(u)),
  money: (u) => optionalScaled(u, MONEY_SCALE),
  quantity: (u) => optionalScaled(u, QUANTITY_SCALE),
  flag: optionalFlag,
  markingCodes,
}

/** Each form's reader for a required field: `DECLINE` when absent too. */
const REQUIRED_READ_OF_FORM: { readonly [F in Form]: Read } = {
  text,
  nonBlankText,
  money: (u) => scaled(u, MONEY_SCALE),
  quantity: (u) => scaled(u, QUANTITY_SCALE),
  flag: (u) => (isAbsent(u) ? DECLINE : optionalFlag(u)),
  markingCodes: (u) => markingCodes(u) ?? DECLINE,
}

/** A field of the table with its reader, resolved once when the module loads. */
interface Reader {
  readonly domain: string
  readonly wire: readonly string[]
  readonly read: Read
}

const readersOf = (fields: readonly FieldSpec[]): readonly Reader[] =>
  fields.map((f) => ({
    domain: f.domain,
    wire: f.wire,
    read: (f.required === undefined ? OPTIONAL_READ_OF_FORM : REQUIRED_READ_OF_FORM)[f.form],
  }))

/**
 * Reads `readers` from `source` into `target`: of a field's spellings the first given wins, and any one that cannot
 * be read makes the whole payload the codecs' (`DECLINE`). Otherwise the count of fields given.
 */
const readInto = (source: Json, readers: readonly Reader[], target: Record<string, unknown>): number | Declined => {
  let found = 0
  for (let i = 0; i < readers.length; i += 1) {
    const reader = readers[i]!
    const wire = reader.wire
    let value = reader.read(source[wire[0]!])
    if (value === DECLINE) return DECLINE
    for (let k = 1; k < wire.length; k += 1) {
      const read = reader.read(source[wire[k]!])
      if (read === DECLINE) return DECLINE
      if (value === undefined) value = read
    }
    if (value !== undefined) {
      target[reader.domain] = value
      found += 1
    }
  }
  return found
}

/**
 * A field that the fast path reads at a site of its own: `read` applied to `source[key]` there, so that V8 sees one
 * property name and one reader at each site (a loop over the table's fields sees them all: the fast path then cost
 * 35% more CPU, 1.3 us per body). The key, the other spellings and the reader still come from the table.
 */
interface SiteField {
  readonly key: string
  readonly more: readonly string[]
  readonly read: Read
}

/** The table's fields of `domains`, by domain name; a field the table does not have fails when the module loads. */
const siteFields = <T, K extends keyof T & string>(
  fields: readonly WireField<T>[],
  domains: readonly K[],
): { readonly [D in K]: SiteField } => {
  const found: Partial<Record<K, SiteField>> = {}
  for (const domain of domains) {
    const reader = readersOf(fields).find((r) => r.domain === domain)
    if (reader === undefined) throw new Error(`wire-forms.ts has no field ${domain}`)
    found[domain] = { key: reader.wire[0]!, more: reader.wire.slice(1), read: reader.read }
  }
  return found as { readonly [D in K]: SiteField }
}

/** A field's value: `first` is its first spelling's, read at the caller's site; the others are read here. */
const given = (source: Json, field: SiteField, first: unknown): unknown => {
  if (first === DECLINE || field.more.length === 0) return first
  let value = first
  for (const key of field.more) {
    const read = field.read(source[key])
    if (read === DECLINE) return DECLINE
    if (value === undefined) value = read
  }
  return value
}

const L = siteFields(POSITION_FIELDS, [
  'sku', 'quantity', 'price', 'name', 'originalQuantity', 'discountPrice', 'totalPrice', 'totalDiscountPrice', 'weight',
  'replacedBySku', 'markingCodes',
] as const)

const line = (p: unknown): OrderLine | undefined => {
  if (!isJsonObject(p)) return undefined
  const sku = given(p, L.sku, L.sku.read(p[L.sku.key]))
  const quantity = given(p, L.quantity, L.quantity.read(p[L.quantity.key]))
  const price = given(p, L.price, L.price.read(p[L.price.key]))
  if (sku === DECLINE || quantity === DECLINE || price === DECLINE) return undefined
  const name = given(p, L.name, L.name.read(p[L.name.key]))
  const originalQuantity = given(p, L.originalQuantity, L.originalQuantity.read(p[L.originalQuantity.key]))
  const discountPrice = given(p, L.discountPrice, L.discountPrice.read(p[L.discountPrice.key]))
  const totalPrice = given(p, L.totalPrice, L.totalPrice.read(p[L.totalPrice.key]))
  const totalDiscountPrice = given(p, L.totalDiscountPrice, L.totalDiscountPrice.read(p[L.totalDiscountPrice.key]))
  const weight = given(p, L.weight, L.weight.read(p[L.weight.key]))
  const replacedBySku = given(p, L.replacedBySku, L.replacedBySku.read(p[L.replacedBySku.key]))
  const markingCodes = given(p, L.markingCodes, L.markingCodes.read(p[L.markingCodes.key]))
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

const HEADER_FIELDS: readonly WireField<OrderContent>[] = ORDER_ENTRIES.flatMap((entry) =>
  entry.kind === 'field' ? [entry] : [],
)
const H = siteFields(HEADER_FIELDS, ['storeId', 'shipmentMethod', 'replacementPolicy', 'comment'] as const)

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

/**
 * A group (`customer`, `address`, ...): `DECLINE` when not an object or a field cannot be read, `undefined` when
 * empty.
 */
const groupOf = <T>(u: unknown, readers: readonly Reader[]): T | undefined | Declined => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return DECLINE
  const result: Record<string, unknown> = {}
  const found = readInto(u, readers, result)
  return found === DECLINE ? DECLINE : found === 0 ? undefined : (result as T)
}

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
  const storeId = given(payload, H.storeId, H.storeId.read(payload[H.storeId.key]))
  const shipmentMethod = given(payload, H.shipmentMethod, H.shipmentMethod.read(payload[H.shipmentMethod.key]))
  const replacementPolicy = given(
    payload,
    H.replacementPolicy,
    H.replacementPolicy.read(payload[H.replacementPolicy.key]),
  )
  const comment = given(payload, H.comment, H.comment.read(payload[H.comment.key]))
  if (storeId === DECLINE || shipmentMethod === DECLINE) return undefined
  if (replacementPolicy === DECLINE || comment === DECLINE) return undefined
  const customer = groupOf<Customer>(payload[G.customer.wire], G.customer.readers)
  const address = groupOf<Address>(payload[G.address.wire], G.address.readers)
  const delivery = groupOf<DeliveryWindow>(payload[G.delivery.wire], G.delivery.readers)
  const paymentMethods = textListOf(payload, PAYMENT_METHODS)
  const total = groupOf<OrderTotal>(payload[G.total.wire], G.total.readers)
  if (customer === DECLINE || address === DECLINE || delivery === DECLINE) return undefined
  if (paymentMethods === DECLINE || total === DECLINE) return undefined
  const content: Mutable<OrderContent> = { positions: lines, paymentMethods }
  if (key.orderUuid !== undefined) content.orderUuid = key.orderUuid
  if (storeId !== undefined) content.storeId = storeId as string
  if (shipmentMethod !== undefined) content.shipmentMethod = shipmentMethod as string
  if (replacementPolicy !== undefined) content.replacementPolicy = replacementPolicy as string
  if (comment !== undefined) content.comment = comment as string
  if (customer !== undefined) content.customer = customer
  if (address !== undefined) content.address = address
  if (delivery !== undefined) content.delivery = delivery
  if (total !== undefined) content.total = total
  return { originalOrderId: key.originalOrderId, content }
}
