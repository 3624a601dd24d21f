import { rawJson } from '../json/deep-json.js'
import { ORDER_UUID_KEY, ORIGINAL_ORDER_ID_KEY } from './field-aliases.js'

type Json = Readonly<Record<string, unknown>>
const isRecord = (u: unknown): u is Json => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Whether a parsed body's payload has a key field that JSON gave as a number (a double: its digits may be lost). */
const hasNumberKey = (body: unknown): boolean => {
  if (!isRecord(body)) return false
  const payload = body['payload']
  return isRecord(payload) && (typeof payload[ORIGINAL_ORDER_ID_KEY] === 'number' || typeof payload[ORDER_UUID_KEY] === 'number')
}

/** Node.js 24's reviver gets the source text of a primitive as `context.source`. */
type SourceReviver = (this: unknown, key: string, value: unknown, context?: { readonly source?: string }) => unknown

/**
 * Keeps a number in a key field as the text it was sent as (`JSON.rawJSON`), so that `readKeyText` reads its
 * digits, and `JSON.stringify` writes them back exactly. Any member named like a key field is kept so, at any
 * depth: written back it is the same text, and only the payload's own key fields are read as keys.
 */
const exactKeys: SourceReviver = (key, value, context) => {
  if (typeof value !== 'number' || (key !== ORIGINAL_ORDER_ID_KEY && key !== ORDER_UUID_KEY) || context?.source === undefined) return value
  return rawJson(context.source) ?? value
}

/**
 * `JSON.parse(rawBody)` whose payload's key fields, when sent as numbers, keep the body's own text (docs/contract.md
 * §3: an integer key is its decimal digits, never a rounded double: 90071992547409931 and ...929 are two orders).
 * A body is parsed plainly; only when a key field is a number is it parsed again with a reviver (a reviver makes
 * `JSON.parse` about 4 times slower; string keys, the usual form, never pay for it). A reviver recurses: a body nested
 * too deeply for it (a few thousand levels) keeps the plain numbers, and `readKeyText` then takes only exact ones
 * (safe non-negative integers). Throws what `JSON.parse` throws.
 */
export const parseWithExactKeys = (rawBody: string): unknown => {
  const body: unknown = JSON.parse(rawBody)
  if (!hasNumberKey(body)) return body
  try {
    return JSON.parse(rawBody, exactKeys as (this: unknown, key: string, value: unknown) => unknown) as unknown
  } catch (error) {
    if (error instanceof RangeError) return body
    throw error
  }
}
