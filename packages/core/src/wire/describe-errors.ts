import type * as t from 'io-ts'

const MAX_REPORTED = 3

/** Intersections and unions add their member's index to the context; that is no part of the field's path. */
const isCombinator = (type: t.Decoder<unknown, unknown>): boolean => {
  const tag = (type as { readonly _tag?: unknown })._tag
  return tag === 'IntersectionType' || tag === 'UnionType'
}

const pathOf = (error: t.ValidationError): string => {
  const keys: string[] = []
  error.context.forEach((entry, index) => {
    const parent = error.context[index - 1]
    if (index === 0 || parent === undefined || isCombinator(parent.type)) return
    keys.push(entry.key)
  })
  return keys.join('.')
}

/**
 * A short, client-safe description of io-ts errors: "payload.positions.0.price: not a decimal number ...".
 * Union codecs report one error per branch; only the first error of each path is kept, and at most three paths.
 */
export const describeErrors = (prefix: string, errors: t.Errors): string => {
  const seen = new Set<string>()
  const parts: string[] = []
  for (const error of errors) {
    const path = [prefix, pathOf(error)].filter((p) => p !== '').join('.')
    if (seen.has(path)) continue
    seen.add(path)
    const value = error.context[error.context.length - 1]?.actual
    const reason = value === undefined ? 'is required' : (error.message ?? 'has the wrong type')
    parts.push(`${path}: ${reason}`)
    if (parts.length === MAX_REPORTED) break
  }
  return parts.join('; ')
}
