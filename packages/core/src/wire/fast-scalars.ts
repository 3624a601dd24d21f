import { parseScaledDecimal } from '../money/scaled-decimal.js'
import { isAbsent, unstorableTextReason } from './primitive.codec.js'

/**
 * The scalar readers of the fast path (`fast-order-payload.ts`). Each gives exactly what its codec in
 * `primitive.codec.ts` decodes, or `DECLINE` where the codec would fail (or where the reader does not want to
 * decide): the caller then leaves the whole body to the codecs, which describe the error. `undefined` is an
 * optional field that is absent or null. The property test `fast-decode.property.test.ts` holds them equal.
 */
export const DECLINE: unique symbol = Symbol('decline')
export type Declined = typeof DECLINE

/** `Text`: a string that can be stored as written, or a finite number as its decimal text. */
export const text = (u: unknown): string | Declined =>
  typeof u === 'string'
    ? unstorableTextReason(u) === undefined
      ? u
      : DECLINE
    : typeof u === 'number' && Number.isFinite(u)
      ? String(u)
      : DECLINE

/** `optional(Text)`: absent, null and "" are not given. */
export const optionalText = (u: unknown): string | undefined | Declined => (isAbsent(u) ? undefined : text(u))

/** `NonBlankText`: trimmed, not blank. */
export const nonBlankText = (u: unknown): string | Declined => {
  const t = text(u)
  if (t === DECLINE) return DECLINE
  const trimmed = t.trim()
  return trimmed === '' ? DECLINE : trimmed
}

const POWERS = [1, 10, 100, 1000]
/** Whole parts below this times 10^scale (scale <= 3) stay far inside Number.MAX_SAFE_INTEGER: plain arithmetic is exact. */
const WHOLE_LIMIT = 1e12

/**
 * A non-negative decimal string in the grammar of `parseScaledDecimal` (already trimmed), scaled by 10^scale with
 * exact integer arithmetic; `DECLINE` for anything else, including the rare long numbers that the BigInt path of
 * `parseScaledDecimal` handles (the caller asks it then).
 */
const scanDecimal = (s: string, scale: number): number | Declined => {
  const n = s.length
  let i = 0
  let negative = false
  let c = s.charCodeAt(0)
  if (c === 43 || c === 45) {
    negative = c === 45
    i = 1
  }
  let whole = 0
  const wholeStart = i
  for (; i < n; i += 1) {
    c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    whole = whole * 10 + (c - 48)
  }
  if (i === wholeStart || whole >= WHOLE_LIMIT) return DECLINE
  let fraction = 0
  let fractionDigits = 0
  if (i < n && (c === 46 || c === 44)) {
    // Trailing zeros of the fraction do not count towards the scale ("129.900" is 2 places).
    let digits = 0
    for (i += 1; i < n; i += 1) {
      c = s.charCodeAt(i)
      if (c < 48 || c > 57) break
      digits += 1
      if (c !== 48) {
        if (digits > scale) return DECLINE
        fraction = fraction * POWERS[digits - fractionDigits]! + (c - 48)
        fractionDigits = digits
      }
    }
  }
  if (i !== n) return DECLINE
  const value = whole * POWERS[scale]! + fraction * POWERS[scale - fractionDigits]!
  // "-0.00" is zero (and +0); any other negative amount is refused by the codecs.
  return negative && value !== 0 ? DECLINE : value
}

/**
 * `Money` (scale 2) and `QuantityCodec` (scale 3): a non-negative decimal string or number, exactly scaled.
 * Integers and short decimals are scanned here; whatever the scan declines is asked of `parseScaledDecimal`,
 * the codecs' own parser, so that the two cannot differ on the long tail.
 */
export const scaled = (u: unknown, scale: number): number | Declined => {
  let found: number | Declined
  if (typeof u === 'number') {
    // A JSON -0 stays -0, as in the codecs: io-ts keeps the input value when the decoded one is === to it (0 === -0).
    if (Number.isInteger(u) && u >= 0 && u < WHOLE_LIMIT) return u * POWERS[scale]!
    if (!Number.isFinite(u)) return DECLINE
    found = scanDecimal(String(u), scale)
  } else if (typeof u === 'string') {
    found = scanDecimal(u.trim(), scale)
  } else {
    return DECLINE
  }
  if (found !== DECLINE) return found
  const parsed = parseScaledDecimal(u, scale)
  return parsed._tag === 'Right' && parsed.right >= 0 ? parsed.right : DECLINE
}

/** `optional(Money)` / `optional(QuantityCodec)`. */
export const optionalScaled = (u: unknown, scale: number): number | undefined | Declined =>
  isAbsent(u) ? undefined : scaled(u, scale)

/** `optional(Flag)`: true/false, "true"/"false", 1/0, "1"/"0". */
export const optionalFlag = (u: unknown): boolean | undefined | Declined => {
  if (isAbsent(u)) return undefined
  if (typeof u === 'boolean') return u
  if (u === 'true' || u === 1 || u === '1') return true
  if (u === 'false' || u === 0 || u === '0') return false
  return DECLINE
}
