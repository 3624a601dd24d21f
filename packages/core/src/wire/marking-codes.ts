import * as t from 'io-ts'
import { MARKING_CODE_VALUE_WIRE } from './wire-forms.js'
import { isAbsent, unstorableTextReason } from './primitive.codec.js'

/** A marking code that could not be read: the caller (codec or fast path) refuses the whole field. */
const UNREADABLE_CODES = null

const codeText = (u: unknown): string | undefined | null => {
  if (isAbsent(u)) return undefined
  if (typeof u === 'number') return Number.isFinite(u) ? String(u) : null
  if (typeof u !== 'string') return null
  return unstorableTextReason(u) === undefined ? u : null
}

const codeOf = (u: unknown): string | undefined | null => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return codeText(u)
  const fields = u as Readonly<Record<string, unknown>>
  for (const key of MARKING_CODE_VALUE_WIRE) {
    const code = codeText(fields[key])
    if (code !== undefined) return code
  }
  return undefined
}

/**
 * The marking codes of one position in every shape accepted (docs/contract.md §3): a list of `{"value": "..."}`
 * (seen), of `{"code"|"cis": ...}` or of strings, a single object or a single string. Blank codes are dropped;
 * `undefined` when none is left (or the field is absent), `null` when a code is not text or cannot be stored.
 * Codes are kept exactly as sent, control characters such as the GS separator included.
 */
export const markingCodesOf = (u: unknown): readonly string[] | undefined | null => {
  const items = Array.isArray(u) ? u : [u]
  const codes: string[] = []
  for (const item of items) {
    const code = codeOf(item)
    if (code === null) return UNREADABLE_CODES
    if (code !== undefined && code.trim() !== '') codes.push(code)
  }
  return codes.length === 0 ? undefined : codes
}

/** `markingCodesOf` as a codec: the definition the fast path shares. */
export const MarkingCodes = new t.Type<readonly string[] | undefined, unknown, unknown>(
  'MarkingCodes',
  (u): u is readonly string[] | undefined =>
    u === undefined || (Array.isArray(u) && u.every((c) => typeof c === 'string')),
  (u, c) => {
    const codes = markingCodesOf(u)
    return codes === UNREADABLE_CODES ? t.failure(u, c, 'expected marking codes as text') : t.success(codes)
  },
  t.identity,
)
