import { memberValueSpan, rawJson } from '../json/deep-json.js'
import { isJsonObject } from '../json/json-object.js'
import { ORDER_UUID_KEY, ORIGINAL_ORDER_ID_KEY, PAYLOAD_KEY } from './wire-forms.js'

/** Whether a parsed body's payload has a key field that JSON gave as a number (a double: its digits may be lost). */
const hasNumberKey = (body: unknown): boolean => {
  if (!isJsonObject(body)) return false
  const payload = body[PAYLOAD_KEY]
  return (
    isJsonObject(payload) &&
    (typeof payload[ORIGINAL_ORDER_ID_KEY] === 'number' || typeof payload[ORDER_UUID_KEY] === 'number')
  )
}

const isNumberText = (text: string): boolean => {
  const c = text.charCodeAt(0)
  return c === 45 || (c >= 48 && c <= 57)
}

/**
 * `JSON.parse(rawBody)` whose payload's key fields, when sent as numbers, keep the body's own text as `JSON.rawJSON`
 * (docs/contract.md §3: an integer key is its decimal digits, never a rounded double: 90071992547409931 and ...929
 * are two orders), so that `readKeyText` reads its digits and `JSON.stringify` writes them back exactly.
 * A body is parsed plainly; only when a key field is a number is its text looked up, by a scan of the body's
 * members (`memberValueSpan`: the last `payload` of the envelope, the last key field in it, as `JSON.parse` takes
 * them). Not a reviver: that made such a body cost about 4 times plain parsing and 12 KB more, and a reviver recurses
 * (a RangeError a few thousand levels down). String keys, the usual form, cost nothing. Throws what `JSON.parse`
 * throws.
 */
export const parseWithExactKeys = (rawBody: string): unknown => {
  const body: unknown = JSON.parse(rawBody)
  if (!hasNumberKey(body)) return body
  const payload = (body as Record<string, Record<string, unknown>>)[PAYLOAD_KEY]
  const payloadSpan = memberValueSpan(rawBody, 0, PAYLOAD_KEY)
  if (payload === undefined || payloadSpan === undefined) return body
  for (const field of [ORIGINAL_ORDER_ID_KEY, ORDER_UUID_KEY]) {
    if (typeof payload[field] !== 'number') continue
    const span = memberValueSpan(rawBody, payloadSpan[0], field)
    const text = span === undefined ? undefined : rawBody.slice(span[0], span[1])
    const exact = text !== undefined && isNumberText(text) ? rawJson(text) : undefined
    if (exact !== undefined) payload[field] = exact
  }
  return body
}
