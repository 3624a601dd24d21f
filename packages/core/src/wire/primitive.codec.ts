import * as t from 'io-ts'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { formatKopecks, parseKopecks, type Kopecks } from '../money/kopecks.js'
import { formatQuantity, parseQuantity, type Quantity } from '../money/quantity.js'
import { isRawJson } from '../json/deep-json.js'
import { MAX_ORDER_ID_LENGTH, type OriginalOrderId } from '../order/order-id.js'

/**
 * Why a string cannot be stored as written, or undefined when it can: a lone surrogate (JSON allows the escape
 * "\ud800"; no store keeps it as sent, and UTF-8 cannot carry it) or a NUL character (some stores refuse it).
 * Such text is a reason for review (docs/contract.md §2), never silently replaced by U+FFFD.
 */
export const unstorableTextReason = (s: string): string | undefined => {
  if (s.includes('\u0000')) return 'holds a NUL character, which cannot be stored'
  return (s as string & { isWellFormed(): boolean }).isWellFormed()
    ? undefined
    : 'holds a lone surrogate, which cannot be stored'
}

/**
 * `s` with what `unstorableTextReason` refuses written as JSON escapes (`\u0000`, `\ud800`), so that the text can be
 * stored and read by a person; text that has none is returned as it is. Used where the text must be kept although
 * it cannot be read (an event type, docs/contract.md §2).
 */
export const escapeUnstorableText = (s: string): string => {
  if (unstorableTextReason(s) === undefined) return s
  let out = ''
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i)
    const high = c >= 0xd800 && c <= 0xdbff
    const next = s.charCodeAt(i + 1)
    if (high && next >= 0xdc00 && next <= 0xdfff) {
      out += s[i]! + s[i + 1]!
      i += 1
    } else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) {
      out += `\\u${c.toString(16).padStart(4, '0')}`
    } else {
      out += s[i]!
    }
  }
  return out
}

/**
 * Text on the wire: a string, or a number where a producer sent one (ids, floors) kept as its decimal text; never
 * text that cannot be stored as written (`unstorableTextReason`).
 */
export const Text = new t.Type<string, string, unknown>(
  'Text',
  (u): u is string => typeof u === 'string' && unstorableTextReason(u) === undefined,
  (u, c) => {
    if (typeof u === 'number') return Number.isFinite(u) ? t.success(String(u)) : t.failure(u, c, 'expected text')
    if (typeof u !== 'string') return t.failure(u, c, 'expected text')
    const unstorable = unstorableTextReason(u)
    return unstorable === undefined ? t.success(u) : t.failure(u, c, unstorable)
  },
  t.identity,
)

/** Text that is not blank once trimmed; the trimmed form is kept. */
export const NonBlankText = new t.Type<string, string, unknown>(
  'NonBlankText',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
  (u, c) =>
    pipe(
      Text.validate(u, c),
      E.chain((s) => (s.trim() === '' ? t.failure(u, c, 'must not be blank') : t.success(s.trim()))),
    ),
  t.identity,
)

/** What `readKeyText` could not read, in words for the client and the journal. */
export interface KeyProblem {
  readonly problem: string
}

const DIGITS = /^[0-9]+$/
const INTEGER_KEY = 'a number key must be a whole number written as plain digits (no sign, fraction or exponent)'

/**
 * The text of an order key as sent (docs/contract.md §3): a string, trimmed, not blank, storable, not longer than
 * `MAX_ORDER_ID_LENGTH`; or an integer as its decimal digits **from the body's own text**, never a rounded double
 * (`decodeHookBody` re-reads a number key as `JSON.rawJSON`, see `exact-key.ts`). A key is digits: `-0`, `-5`,
 * `1.0`, `1.5` and `1e21` are no key (a producer that types the key as an integer sends its digits), and a bare
 * number beyond 2^53 (not re-read from text) is no key either, since its digits are lost.
 */
export const readKeyText = (u: unknown): string | KeyProblem => {
  let text: string
  if (typeof u === 'string') {
    const unstorable = unstorableTextReason(u)
    if (unstorable !== undefined) return { problem: unstorable }
    text = u.trim()
    if (text === '') return { problem: 'must not be blank' }
  } else if (isRawJson(u)) {
    if (!DIGITS.test(u.rawJSON)) return { problem: INTEGER_KEY }
    text = u.rawJSON
  } else if (typeof u === 'number') {
    if (!Number.isSafeInteger(u) || u < 0 || Object.is(u, -0)) return { problem: INTEGER_KEY }
    text = String(u)
  } else {
    return { problem: 'expected text' }
  }
  return text.length > MAX_ORDER_ID_LENGTH ? { problem: `longer than ${MAX_ORDER_ID_LENGTH} characters` } : text
}

/** An order key field (`originalOrderId`, `orderUUID`) as `readKeyText` reads it. */
export const OriginalOrderIdCodec = new t.Type<OriginalOrderId, string, unknown>(
  'OriginalOrderId',
  (u): u is OriginalOrderId => typeof u === 'string' && u !== '' && u.length <= MAX_ORDER_ID_LENGTH,
  (u, c) => {
    const key = readKeyText(u)
    return typeof key === 'string' ? t.success(key as OriginalOrderId) : t.failure(u, c, key.problem)
  },
  t.identity,
)

/** Roubles as a decimal string ("129.90") or number, decoded exactly into kopecks; never negative. */
export const Money = new t.Type<Kopecks, string, unknown>(
  'Money',
  (u): u is Kopecks => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    pipe(
      parseKopecks(u),
      E.fold(
        (p) => t.failure<Kopecks>(u, c, p.detail),
        (k) => (k < 0 ? t.failure<Kopecks>(u, c, 'must not be negative') : t.success(k)),
      ),
    ),
  formatKopecks,
)

/** A quantity (number or decimal string, fractional for weighed goods) in thousandths; never negative. */
export const QuantityCodec = new t.Type<Quantity, string, unknown>(
  'Quantity',
  (u): u is Quantity => typeof u === 'number' && Number.isSafeInteger(u) && u >= 0,
  (u, c) =>
    pipe(
      parseQuantity(u),
      E.fold(
        (p) => t.failure<Quantity>(u, c, p.detail),
        (q) => (q < 0 ? t.failure<Quantity>(u, c, 'must not be negative') : t.success(q)),
      ),
    ),
  formatQuantity,
)

/** Whether a wire value means "not given" in an optional field: absent, `null`, or `""` (docs/contract.md §3). */
export const isAbsent = (u: unknown): u is undefined | null | '' => u === undefined || u === null || u === ''

/** An optional field: absent, `null` and `""` all mean "not given" and decode to `undefined`. */
export const optional = <C extends t.Mixed>(codec: C): t.Type<t.TypeOf<C> | undefined, unknown, unknown> =>
  new t.Type<t.TypeOf<C> | undefined, unknown, unknown>(
    `optional(${codec.name})`,
    (u): u is t.TypeOf<C> | undefined => u === undefined || codec.is(u),
    (u, c) => (isAbsent(u) ? t.success(undefined) : (codec.validate(u, c) as t.Validation<t.TypeOf<C>>)),
    (a) => (a === undefined ? undefined : codec.encode(a)),
  )

/** Booleans as producers send them: true/false, "true"/"false", 1/0. */
export const Flag = new t.Type<boolean, boolean, unknown>(
  'Flag',
  (u): u is boolean => typeof u === 'boolean',
  (u, c) => {
    if (typeof u === 'boolean') return t.success(u)
    if (u === 'true' || u === 1 || u === '1') return t.success(true)
    if (u === 'false' || u === 0 || u === '0') return t.success(false)
    return t.failure(u, c, 'expected a boolean')
  },
  t.identity,
)
