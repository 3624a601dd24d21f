/**
 * HTML escaped by construction: every value interpolated into `html` is escaped unless it is itself `Html` (made
 * by `html` or, for text known to be markup-free, nowhere else). Arrays are joined. A view cannot forget to
 * escape, because a plain string is never trusted.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
}

export const escapeHtml = (text: string): string => text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c)

type Part = Html | string | number | boolean | null | undefined | readonly Part[]

const render = (part: Part): string => {
  if (part === null || part === undefined || part === false) return ''
  if (part instanceof Html) return part.text
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('')
  return escapeHtml(String(part))
}

export const html = (strings: TemplateStringsArray, ...values: readonly Part[]): Html => {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '')
  })
  return new Html(out)
}

/** A query string from pairs (values encoded); empty values left out. */
export const query = (pairs: Readonly<Record<string, string | readonly string[] | undefined>>): string => {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(pairs)) {
    for (const v of typeof value === 'string' ? [value] : (value ?? [])) if (v !== '') params.append(key, v)
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}
