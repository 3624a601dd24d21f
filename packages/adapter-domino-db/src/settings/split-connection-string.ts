import * as E from 'fp-ts/lib/Either.js'

/**
 * Splits an ADO.NET-style connection string into lower-cased keys and values. Values may be quoted with `"` or `'`
 * (the quote doubled inside) or braced ODBC-style `{...}` (`}}` inside), so that a password may hold `;` or `=`.
 */
export const splitConnectionString = (text: string): E.Either<string, ReadonlyMap<string, string>> => {
  const pairs = new Map<string, string>()
  let i = 0
  const skipBlanks = (): void => {
    while (i < text.length && /\s/.test(text.charAt(i))) i += 1
  }
  while (i < text.length) {
    skipBlanks()
    if (text.charAt(i) === ';') {
      i += 1
      continue
    }
    if (i >= text.length) break
    let key = ''
    while (i < text.length) {
      const c = text.charAt(i)
      if (c === '=' && text.charAt(i + 1) === '=') {
        key += '='
        i += 2
      } else if (c === '=' || c === ';') {
        break
      } else {
        key += c
        i += 1
      }
    }
    if (text.charAt(i) !== '=') return E.left(`DOMINO_DB_URL: "${key.trim()}" has no "=" and value`)
    i += 1
    skipBlanks()
    let value = ''
    const open = text.charAt(i)
    if (open === '"' || open === "'" || open === '{') {
      const close = open === '{' ? '}' : open
      i += 1
      let closed = false
      while (i < text.length) {
        const c = text.charAt(i)
        if (c === close && text.charAt(i + 1) === close) {
          value += close
          i += 2
        } else if (c === close) {
          closed = true
          i += 1
          break
        } else {
          value += c
          i += 1
        }
      }
      if (!closed) return E.left(`DOMINO_DB_URL: the value of "${key.trim()}" has no closing ${close}`)
      skipBlanks()
      if (i < text.length && text.charAt(i) !== ';') return E.left(`DOMINO_DB_URL: unexpected text after the quoted value of "${key.trim()}"`)
    } else {
      while (i < text.length && text.charAt(i) !== ';') {
        value += text.charAt(i)
        i += 1
      }
      value = value.trim()
    }
    const name = key.trim().toLowerCase().replace(/\s+/g, ' ')
    if (name === '') return E.left('DOMINO_DB_URL: a key is empty')
    pairs.set(name, value)
  }
  return E.right(pairs)
}
