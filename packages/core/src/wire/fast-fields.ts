import { isJsonObject } from '../json/json-object.js'
import { QUANTITY_SCALE } from '../money/quantity.js'
import { DECLINE, nonBlankText, optionalFlag, optionalScaled, optionalText, scaled, text } from './fast-scalars.js'
import type { Declined } from './fast-scalars.js'
import { markingCodesOf } from './marking-codes.js'
import { isAbsent } from './primitive.codec.js'
import type { FieldSpec, Form, WireField } from './wire-forms.js'

/**
 * The fast path's readers of the fields of `wire-forms.ts`: each form's reader (the counterpart of the codecs'
 * `CODEC_OF_FORM`, held equal to it by `wire-forms.test.ts` and the property tests), a field's spellings read in
 * order, and the fields read at sites of their own (`SiteField`). Used by `fast-order-payload.ts`.
 */

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
export interface Reader {
  readonly domain: string
  readonly wire: readonly string[]
  readonly read: Read
}

export const readersOf = (fields: readonly FieldSpec[]): readonly Reader[] =>
  fields.map((f) => ({
    domain: f.domain,
    wire: f.wire,
    read: (f.required === undefined ? OPTIONAL_READ_OF_FORM : REQUIRED_READ_OF_FORM)[f.form],
  }))

/**
 * Reads `readers` from `source` into `target`: of a field's spellings the first given wins, and any one that cannot
 * be read makes the whole payload the codecs' (`DECLINE`). Otherwise the count of fields given.
 */
export const readInto = (
  source: Json,
  readers: readonly Reader[],
  target: Record<string, unknown>,
): number | Declined => {
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
 * 35% more CPU, 1.3 us per body). The key, the other spellings and the reader still come from the table; a field
 * with one spelling (`alone`) is read at the site, one with more by `given` (a call per field cost 0.2 us a body).
 */
export interface SiteField {
  readonly key: string
  readonly alone: boolean
  readonly wire: readonly string[]
  readonly read: Read
}

/** The table's fields of `domains`, by domain name; a field the table does not have fails when the module loads. */
export const siteFields = <T, K extends keyof T & string>(
  fields: readonly WireField<T>[],
  domains: readonly K[],
): { readonly [D in K]: SiteField } => {
  const found: Partial<Record<K, SiteField>> = {}
  for (const domain of domains) {
    const reader = readersOf(fields).find((r) => r.domain === domain)
    if (reader === undefined) throw new Error(`wire-forms.ts has no field ${domain}`)
    found[domain] = { key: reader.wire[0]!, alone: reader.wire.length === 1, wire: reader.wire, read: reader.read }
  }
  return found as { readonly [D in K]: SiteField }
}

/** A field of several spellings: the first given wins; `DECLINE` when one of them cannot be read. */
export const given = (source: Json, field: SiteField): unknown => {
  let value: unknown
  for (const key of field.wire) {
    const read = field.read(source[key])
    if (read === DECLINE) return DECLINE
    if (value === undefined) value = read
  }
  return value
}

/**
 * A group (`customer`, `address`, ...): `DECLINE` when not an object or a field cannot be read, `undefined` when
 * empty.
 */
export const groupOf = <T>(u: unknown, readers: readonly Reader[]): T | undefined | Declined => {
  if (isAbsent(u)) return undefined
  if (!isJsonObject(u)) return DECLINE
  const result: Record<string, unknown> = {}
  const found = readInto(u, readers, result)
  return found === DECLINE ? DECLINE : found === 0 ? undefined : (result as T)
}
