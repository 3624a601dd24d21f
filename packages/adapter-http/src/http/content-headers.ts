/**
 * What the hook accepts of a body's headers, decided from the headers alone, before a byte of the body is read
 * (docs/contract.md §2: JSON, with or without a charset). The one place that says which charsets and content codings pass.
 */

/** A content coding the hook decodes itself; anything else is answered 415. */
export type ContentCoding = 'identity' | 'gzip' | 'deflate' | 'br'

/** The codings accepted, as README.md lists them; `x-gzip` is gzip's old name (RFC 9110 §8.4.1.3). */
const CODINGS: ReadonlyMap<string, ContentCoding> = new Map([
  ['gzip', 'gzip'],
  ['x-gzip', 'gzip'],
  ['deflate', 'deflate'],
  ['br', 'br'],
])

export type HeaderVerdict<A> =
  { readonly _tag: 'Accepted'; readonly value: A } | { readonly _tag: 'Refused'; readonly detail: string }

const accepted = <A>(value: A): HeaderVerdict<A> => ({ _tag: 'Accepted', value })
const refused = <A>(detail: string): HeaderVerdict<A> => ({ _tag: 'Refused', detail })

/** A header value as it may be quoted back in a detail: short printable ASCII, or a placeholder. */
const shown = (value: string): string => (/^[\x21-\x7e]{1,40}$/.test(value) ? `"${value}"` : '(unprintable)')

const isJsonType = (mediaType: string): boolean =>
  mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType)

/**
 * `application/json` or a `+json` type, case-insensitive, whose charset, if any, is UTF-8 (`utf-8` or `utf8`, any
 * case, quoted or not). JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset would be stored with
 * its letters replaced, so it is refused rather than guessed at.
 */
export const checkContentType = (header: string): HeaderVerdict<'json'> => {
  if (header.trim() === '') return refused('Content-Type is missing; expected application/json')
  const [mediaType = '', ...parameters] = header.split(';')
  if (!isJsonType(mediaType.trim().toLowerCase())) return refused('Content-Type must be application/json')
  for (const parameter of parameters) {
    const equals = parameter.indexOf('=')
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue
    const charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
    if (!['utf-8', 'utf8'].includes(charset.toLowerCase())) {
      return refused(
        `charset ${shown(charset)} is not supported: the body must be UTF-8 (charset=utf-8, or no charset)`,
      )
    }
  }
  return accepted('json')
}

/**
 * The body's content coding: none (`identity`), or one of gzip, deflate, br. Node joins repeated headers with
 * commas; a body coded twice over, or in a coding not listed, is refused.
 */
export const checkContentEncoding = (header: string | undefined): HeaderVerdict<ContentCoding> => {
  const codings = (header ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  if (codings.length === 0) return accepted('identity')
  const [only] = codings
  const coding = only === undefined || codings.length > 1 ? undefined : CODINGS.get(only)
  if (coding === undefined) {
    return refused(
      `Content-Encoding ${shown(header ?? '')} is not supported: send the body uncompressed, or compressed once with gzip, deflate or br`,
    )
  }
  return accepted(coding)
}
