import { QUANTITY_SCALE } from '../money/quantity.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { OrderContent, OrderLine } from '../order/order.js'
import { isJsonObject } from '../json/json-object.js'
import { DECLINE, nonBlankText, optionalFlag, optionalScaled, optionalText, scaled, text, type Declined } from './fast-scalars.js'
import { markingCodesOf } from './marking-codes.js'
import { readPayloadKey } from './order-key.js'
import { isAbsent } from './primitive.codec.js'
import { ORDER_ENTRIES, POSITION_FIELDS, POSITIONS_KEY, type FieldSpec, type Form } from './wire-forms.js'

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
  fields.map((f) => ({ domain: f.domain, wire: f.wire, read: (f.required === undefined ? OPTIONAL_READ_OF_FORM : REQUIRED_READ_OF_FORM)[f.form] }))

/**
 * Reads `readers` from `source` into `target`: of a field's spellings the first given wins, and any one that cannot
 * be read makes the whole payload the codecs' (false). `found` counts the fields given.
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

const LINE = readersOf(POSITION_FIELDS)

const line = (p: unknown): OrderLine | undefined => {
  if (!isJsonObject(p)) return undefined
  const result: Record<string, unknown> = {}
  return readInto(p, LINE, result) === DECLINE ? undefined : (result as unknown as OrderLine)
}

/** The entries of an order payload with their readers. */
type Step =
  | { readonly kind: 'fields'; readonly readers: readonly Reader[] }
  | { readonly kind: 'group'; readonly wire: string; readonly domain: string; readonly readers: readonly Reader[] }
  | { readonly kind: 'list'; readonly domain: string; readonly list: readonly string[]; readonly single: readonly Reader[] }

const STEPS: readonly Step[] = ORDER_ENTRIES.map((entry): Step => {
  if (entry.kind === 'field') return { kind: 'fields', readers: readersOf([entry]) }
  if (entry.kind === 'group') return { kind: 'group', wire: entry.wire, domain: entry.domain, readers: readersOf(entry.fields) }
  return { kind: 'list', domain: entry.domain, list: entry.list, single: entry.single.map((key) => ({ domain: entry.domain, wire: [key], read: optionalText })) }
})

/** A group (`customer`, `address`, ...): `DECLINE` when not an object or a field cannot be read, `undefined` when empty. */
const groupOf = (u: unknown, readers: readonly Reader[]): object | undefined | Declined => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return DECLINE
  const result: Record<string, unknown> = {}
  const found = readInto(u, readers, result)
  return found === DECLINE ? DECLINE : found === 0 ? undefined : result
}

/** A list of text (`paymentMethods`): the first list given, or else the first single value given, as a list. */
const textListOf = (payload: Json, step: Extract<Step, { kind: 'list' }>): readonly string[] | Declined => {
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
  if (key._tag === 'NoKey' || key.orderUuidProblem !== undefined || !Array.isArray(wirePositions) || wirePositions.length === 0) return undefined
  const lines: OrderLine[] = new Array<OrderLine>(wirePositions.length)
  for (let i = 0; i < wirePositions.length; i += 1) {
    const l = line(wirePositions[i])
    if (l === undefined) return undefined
    lines[i] = l
  }
  // paymentMethods in second place, as the codecs give it; the table's list entry sets it below.
  const content: Record<string, unknown> = { positions: lines, paymentMethods: undefined }
  if (key.orderUuid !== undefined) content['orderUuid'] = key.orderUuid
  for (const step of STEPS) {
    if (step.kind === 'fields') {
      if (readInto(payload, step.readers, content) === DECLINE) return undefined
    } else if (step.kind === 'group') {
      const value = groupOf(payload[step.wire], step.readers)
      if (value === DECLINE) return undefined
      if (value !== undefined) content[step.domain] = value
    } else {
      const methods = textListOf(payload, step)
      if (methods === DECLINE) return undefined
      content[step.domain] = methods
    }
  }
  return { originalOrderId: key.originalOrderId, content: content as unknown as OrderContent }
}
