/**
 * JSON of any depth. `JSON.parse` reads nesting as deep as a 1 MiB body allows (about 500,000 levels), but
 * `JSON.stringify`, a reviver and every recursive walk stop at a few thousand levels with a RangeError. The hook must
 * neither refuse an order (docs/contract.md §2) nor fail an erasure because of that, so the walks here keep their own
 * stack. Values are those `JSON.parse` gives (plain objects, arrays, strings, finite numbers, booleans, null), plus
 * `JSON.rawJSON` values (exact integer keys, `exact-key.ts`), written as their text.
 */

import { isJsonObject } from './json-object.js'

interface RawJson {
  readonly rawJSON: string
}
type JsonWithRaw = JSON & { rawJSON?: (text: string) => RawJson; isRawJSON?: (u: unknown) => boolean }
const json = JSON as JsonWithRaw

/** Whether `u` is a `JSON.rawJSON` value (false where the runtime has none). */
export const isRawJson = (u: unknown): u is RawJson => json.isRawJSON !== undefined && json.isRawJSON(u)

/** `JSON.rawJSON(text)` where the runtime has it (Node.js 21+); undefined otherwise. */
export const rawJson = (text: string): RawJson | undefined =>
  json.rawJSON === undefined ? undefined : json.rawJSON(text)

/** One open array or object of `stringifyDeep`: what is left to write of it. */
interface Frame {
  readonly close: string
  readonly items: readonly unknown[] | undefined
  readonly keys: readonly string[] | undefined
  readonly source: Readonly<Record<string, unknown>> | undefined
  index: number
  written: number
}

/**
 * `JSON.stringify(value)` without recursion, so at any depth; object members whose key `omit` names are left out
 * (at every depth), as a replacer returning undefined would leave them out.
 */
export const stringifyDeep = (value: unknown, omit?: (key: string) => boolean): string => {
  const out: string[] = []
  const stack: Frame[] = []
  const open = (u: unknown): void => {
    if (Array.isArray(u)) {
      out.push('[')
      stack.push({ close: ']', items: u, keys: undefined, source: undefined, index: 0, written: 0 })
    } else if (isJsonObject(u) && !isRawJson(u)) {
      out.push('{')
      stack.push({ close: '}', items: undefined, keys: Object.keys(u), source: u, index: 0, written: 0 })
    } else {
      out.push(isRawJson(u) ? u.rawJSON : (JSON.stringify(u) ?? 'null'))
    }
  }
  open(value)
  for (let frame = stack.at(-1); frame !== undefined; frame = stack.at(-1)) {
    if (frame.items !== undefined) {
      if (frame.index >= frame.items.length) {
        out.push(frame.close)
        stack.pop()
        continue
      }
      if (frame.index > 0) out.push(',')
      const item = frame.items[frame.index]
      frame.index += 1
      // As JSON.stringify: undefined (never from JSON.parse) is null in an array.
      open(item === undefined ? null : item)
      continue
    }
    const keys = frame.keys ?? []
    if (frame.index >= keys.length) {
      out.push(frame.close)
      stack.pop()
      continue
    }
    const key = keys[frame.index]!
    frame.index += 1
    const member = frame.source?.[key]
    if (member === undefined || (omit !== undefined && omit(key))) continue
    if (frame.written > 0) out.push(',')
    frame.written += 1
    out.push(JSON.stringify(key), ':')
    open(member)
  }
  return out.join('')
}

/** `JSON.stringify(value)`, natively while the engine's stack allows it, by `stringifyDeep` past that. */
export const stringifyJson = (value: unknown): string => {
  try {
    return JSON.stringify(value)
  } catch (error) {
    if (error instanceof RangeError) return stringifyDeep(value)
    throw error
  }
}

const OPEN_BRACE = 123
const OPEN_BRACKET = 91
const CLOSE_BRACE = 125
const CLOSE_BRACKET = 93
const QUOTE = 34
const BACKSLASH = 92

/**
 * Whether the JSON text `text` nests arrays and objects deeper than `max` levels (the outermost value is level 1).
 * Text of fewer than 2 x `max` characters cannot, and is not scanned: the hook's ordinary bodies cost nothing.
 * Strings are skipped whole (brackets in them do not count). Meant for text `JSON.parse` accepted.
 */
export const nestedDeeperThan = (text: string, max: number): boolean => {
  if (text.length <= 2 * max) return false
  let depth = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth += 1
      if (depth > max) return true
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1
    } else if (c === QUOTE) {
      // To the closing quote: one not escaped by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1)
        if (end < 0) return false
        let slashes = 0
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes += 1
        i = end
        if (slashes % 2 === 0) break
      }
    }
  }
  return false
}

const COMMA = 44
const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13

/** The index after the string that starts (with its quote) at `start`. */
const stringEnd = (text: string, start: number): number => {
  let i = start
  for (;;) {
    const end = text.indexOf('"', i + 1)
    if (end < 0) return text.length
    let slashes = 0
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes += 1
    if (slashes % 2 === 0) return end + 1
    i = end
  }
}

/** The index after the value that starts at `start` (a string, an array or object with all it holds, or a literal). */
const valueEnd = (text: string, start: number): number => {
  const first = text.charCodeAt(start)
  if (first === QUOTE) return stringEnd(text, start)
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let i = start
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isBlank(c)) break
      i += 1
    }
    return i
  }
  let depth = 0
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) i = stringEnd(text, i) - 1
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth -= 1
      if (depth === 0) return i + 1
    }
  }
  return text.length
}

/** JSON text without the blanks between its tokens; strings as written. */
const withoutBlanks = (text: string): string => {
  const out: string[] = []
  let kept = 0
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = stringEnd(text, i) - 1
    } else if (isBlank(c)) {
      if (i > kept) out.push(text.slice(kept, i))
      kept = i + 1
    }
  }
  if (text.length > kept) out.push(text.slice(kept))
  return out.join('')
}

/**
 * The JSON text `text` (which `JSON.parse` accepted) without the object members whose key `omit` names, at any
 * depth, and without blanks between tokens; everything else exactly as written: numbers keep their digits (an
 * integer key beyond 2^53, `1.50`), strings their escapes. Passes over the text, no recursion, so any depth.
 */
export const omitMembersFromText = (source: string, omit: (key: string) => boolean): string =>
  omitMembers(source, omit).text

/** `omitMembersFromText`, and how many members it left out. */
export const omitMembers = (
  source: string,
  omit: (key: string) => boolean,
): { readonly text: string; readonly removed: number } => {
  const text = withoutBlanks(source)
  let removed = 0
  const out: string[] = []
  let kept = 0
  const inObject: boolean[] = []
  let expectKey = false
  // Whether no member of the innermost open object has been kept so far.
  let noneKept = false
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      const end = stringEnd(text, i)
      if (inObject.at(-1) === true && expectKey) {
        expectKey = false
        if (!omit(JSON.parse(text.slice(i, end)) as string)) {
          noneKept = false
        } else {
          removed += 1
          const memberEnd = valueEnd(text, end + 1)
          if (!noneKept) {
            // A member was kept before it: it goes with the comma before it.
            if (i - 1 > kept) out.push(text.slice(kept, i - 1))
            kept = memberEnd
          } else {
            // The first member: it goes with the comma after it, if another member follows (then expected next).
            if (i > kept) out.push(text.slice(kept, i))
            const followed = text.charCodeAt(memberEnd) === COMMA
            kept = followed ? memberEnd + 1 : memberEnd
            expectKey = followed
          }
          i = kept
          continue
        }
      }
      i = end
      continue
    }
    if (c === OPEN_BRACE) {
      inObject.push(true)
      expectKey = true
      noneKept = true
    } else if (c === OPEN_BRACKET) {
      inObject.push(false)
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      inObject.pop()
      expectKey = false
      // Back in an enclosing object, the member that held this value was kept.
      noneKept = false
    } else if (c === COMMA) {
      expectKey = inObject.at(-1) === true
    }
    i += 1
  }
  if (text.length > kept) out.push(text.slice(kept))
  return { text: out.join(''), removed }
}

/**
 * Where the value of the member `name` of the JSON object that starts at `objectStart` in `text` lies: [start, end)
 * of its text; the last such member, as `JSON.parse` keeps the last of duplicate keys; undefined when there is none
 * or `text` is no object there. Keys are compared as `JSON.parse` reads them (escapes decoded). Meant for text
 * `JSON.parse` accepted; no recursion, so any depth.
 */
export const memberValueSpan = (
  text: string,
  objectStart: number,
  name: string,
): readonly [number, number] | undefined => {
  const skipBlanks = (from: number): number => {
    let i = from
    while (isBlank(text.charCodeAt(i))) i += 1
    return i
  }
  let i = skipBlanks(objectStart)
  if (text.charCodeAt(i) !== OPEN_BRACE) return undefined
  let found: readonly [number, number] | undefined
  i = skipBlanks(i + 1)
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = stringEnd(text, i)
    const token = text.slice(i + 1, keyEnd - 1)
    const key = token.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : token
    const start = skipBlanks(skipBlanks(keyEnd) + 1)
    const end = valueEnd(text, start)
    if (key === name) found = [start, end]
    i = skipBlanks(end)
    if (text.charCodeAt(i) !== COMMA) break
    i = skipBlanks(i + 1)
  }
  return found
}
