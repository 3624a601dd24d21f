import * as E from 'fp-ts/lib/Either.js'

const UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2 }

/** "1mb", "512kb", "1048576" -> bytes; binary units, as nginx's `client_max_body_size` reads them. */
export const parseByteSize = (text: string): E.Either<string, number> => {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match?.[2]?.toLowerCase() ?? ''
  const factor = UNITS[unit]
  if (match === null || match[1] === undefined || factor === undefined) {
    return E.left(`expected a size like 1048576, 512kb or 1mb, got ${JSON.stringify(text)}`)
  }
  const bytes = Number(match[1]) * factor
  return Number.isSafeInteger(bytes) && bytes > 0
    ? E.right(bytes)
    : E.left(`must be a positive size, got ${JSON.stringify(text)}`)
}
