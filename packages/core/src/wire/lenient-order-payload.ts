import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { OrderContent } from '../order/order.js'
import { describeErrors } from './describe-errors.js'
import { stringifyJson } from '../json/deep-json.js'
import { readPayloadKey } from './order-key.js'
import { CODEC_OF_FORM, optionalProps, WireOrderPayload } from './order-payload.codec.js'
import { isAbsent, NonBlankText, Text, optional } from './primitive.codec.js'
import { ORDER_ENTRIES, ORDER_UUID_KEY, POSITION_FIELDS, POSITIONS_KEY } from './wire-forms.js'
import { toOrderContent } from './to-domain.js'
import { isJsonObject } from '../json/json-object.js'

/** What could be read of an order payload that the strict codecs refused, and why the rest could not. */
export interface LenientOrder {
  readonly content: OrderContent
  /** One sentence per thing that could not be read (docs/contract.md §2); never a customer's personal data. */
  readonly reasons: readonly string[]
}

type Json = Readonly<Record<string, unknown>>

const MAX_QUOTED = 40
/** A value as a reason quotes it: JSON, cut short. Only for values that are not personal data. */
const quoted = (u: unknown): string => {
  const json = stringifyJson(u) ?? String(u)
  return json.length > MAX_QUOTED ? `${json.slice(0, MAX_QUOTED)}…` : json
}

/** The codec's own message for a value it refuses (for example "not a decimal number"). */
const problemOf = (codec: t.Decoder<unknown, unknown>, u: unknown): string | undefined => {
  const decoded = codec.decode(u)
  if (E.isRight(decoded)) return undefined
  return decoded.left[0]?.message ?? 'has the wrong type'
}

/** The order's own fields, and the single value of a list (`paymentMethod`), as one set of props to check. */
const HEADER_PROPS: t.Props = Object.assign(
  {},
  ...ORDER_ENTRIES.map((entry) =>
    entry.kind === 'field'
      ? optionalProps([entry])
      : entry.kind === 'list'
        ? Object.fromEntries(entry.single.map((k) => [k, optional(Text)]))
        : {},
  ),
) as t.Props
/** The groups; those whose fields are the customer's personal data never have their values quoted in a reason. */
const GROUPS: readonly (readonly [key: string, props: t.Props, personal: boolean])[] = ORDER_ENTRIES.flatMap((entry) =>
  entry.kind === 'group' ? [[entry.wire, optionalProps(entry.fields), entry.personal] as const] : [],
)
const LISTS = ORDER_ENTRIES.flatMap((entry) => (entry.kind === 'list' ? [entry] : []))
type RequiredField = readonly [key: string, codec: t.Decoder<unknown, unknown>, name: string]
const REQUIRED_LINE_FIELDS: readonly RequiredField[] = POSITION_FIELDS.flatMap((field) =>
  field.required === undefined ? [] : [[field.wire[0], CODEC_OF_FORM[field.form], field.required] as const],
)
const OPTIONAL_LINE_PROPS: t.Props = optionalProps(POSITION_FIELDS)
/** The key of a position's SKU, which names the line in its reasons. */
const SKU_KEY: string = POSITION_FIELDS.find((field) => field.domain === 'sku')?.wire[0] ?? 'id'

/** A copy of `source` without the fields its codecs refuse, each refusal told in `reasons`. */
const keepReadable = (
  source: Json,
  props: t.Props,
  label: string,
  personal: boolean,
  reasons: string[],
): Record<string, unknown> => {
  const kept: Record<string, unknown> = { ...source }
  for (const [key, codec] of Object.entries(props)) {
    const problem = problemOf(codec, source[key])
    if (problem === undefined) continue
    delete kept[key]
    const name = label === '' ? key : `${label}.${key}`
    reasons.push(
      personal
        ? `${name} could not be read (${problem})`
        : `${name} ${quoted(source[key])} could not be read (${problem})`,
    )
  }
  return kept
}

const readLine = (u: unknown, index: number, reasons: string[]): Record<string, unknown> | undefined => {
  const label = `position ${index + 1}`
  if (!isJsonObject(u)) {
    reasons.push(`${label} is not an object; it was not read`)
    return undefined
  }
  const sku = E.getOrElseW(() => undefined)(NonBlankText.decode(u[SKU_KEY]))
  const named = sku === undefined ? label : `${label} (SKU ${quoted(sku)})`
  const missing = REQUIRED_LINE_FIELDS.flatMap(([key, codec, name]) => {
    const problem = problemOf(codec, u[key])
    if (problem === undefined) return []
    return [
      isAbsent(u[key]) ? `the ${name} is missing` : `the ${name} ${quoted(u[key])} could not be read (${problem})`,
    ]
  })
  if (missing.length > 0) {
    reasons.push(`${named}: ${missing.join(', ')}; the line was not recorded`)
    return undefined
  }
  const lineReasons: string[] = []
  const kept = keepReadable(u, OPTIONAL_LINE_PROPS, '', false, lineReasons)
  for (const r of lineReasons) reasons.push(`${named}: ${r}`)
  return kept
}

const readPositions = (u: unknown, reasons: string[]): unknown[] => {
  if (isAbsent(u)) {
    reasons.push('no positions were sent')
    return []
  }
  if (!Array.isArray(u)) {
    reasons.push('positions is not a list; no line could be read')
    return []
  }
  if (u.length === 0) {
    reasons.push('the list of positions is empty')
    return []
  }
  const lines = u.flatMap((p, i) => readLine(p, i, reasons) ?? [])
  if (lines.length === 0) reasons.push('no position could be read')
  return lines
}

/** A list of text (`paymentMethods`): not a list, it is left out; a list, its items that cannot be read are. */
const readTextList = (payload: Json, key: string, cleaned: Record<string, unknown>, reasons: string[]): void => {
  const u = payload[key]
  if (problemOf(optional(t.array(Text)), u) === undefined) return
  if (!Array.isArray(u)) {
    delete cleaned[key]
    reasons.push(`${key} ${quoted(u)} could not be read (expected a list)`)
    return
  }
  cleaned[key] = u.filter((m, i) => {
    const problem = problemOf(Text, m)
    if (problem !== undefined) reasons.push(`payment method ${i + 1} ${quoted(m)} could not be read (${problem})`)
    return problem === undefined
  })
}

/**
 * Reads what can be read of an order payload (an object with a readable key) that the strict codecs refused: every
 * field they refuse is left out, and so is every position without a readable id, quantity and price; the rest is
 * decoded by the codecs themselves, so a payload they accept reads the same here. For orders created, or changes
 * kept, for review (docs/contract.md §2).
 */
export const readOrderLeniently = (payload: Json): LenientOrder => {
  const reasons: string[] = []
  const cleaned = keepReadable(payload, HEADER_PROPS, '', false, reasons)
  const key = readPayloadKey(payload)
  if (key._tag === 'Key' && key.orderUuidProblem !== undefined) {
    delete cleaned[ORDER_UUID_KEY]
    reasons.push(`${ORDER_UUID_KEY} ${quoted(payload[ORDER_UUID_KEY])} could not be read (${key.orderUuidProblem})`)
  }
  for (const [key, props, personal] of GROUPS) {
    const group = payload[key]
    if (isAbsent(group)) continue
    if (!isJsonObject(group)) {
      delete cleaned[key]
      reasons.push(`${key} is not an object; it was not read`)
      continue
    }
    cleaned[key] = keepReadable(group, props, key, personal, reasons)
  }
  for (const list of LISTS) for (const key of list.list) readTextList(payload, key, cleaned, reasons)
  cleaned[POSITIONS_KEY] = readPositions(payload[POSITIONS_KEY], reasons)
  const wire = WireOrderPayload.decode(cleaned)
  if (E.isRight(wire)) return { content: toOrderContent(wire.right, wire.right.positions), reasons }
  // Not expected: every field the codecs know was checked above. Keep what the header says and say why.
  reasons.push(`the order could not be read: ${describeErrors('payload', wire.left)}`)
  return { content: { positions: [], paymentMethods: [] }, reasons }
}
