/**
 * The check that no value of a request reaches the text of the statement it is sent with: pure functions over what
 * the driver recorder (`driver-recorder.ts`) saw. A value spliced into T-SQL can only take a few shapes: a quoted
 * string literal (`N'Иван Петров'`, `'2026-05-24'`), a bare number (`SET LOCK_TIMEOUT 4817`), or an identifier
 * (`[...]`). Each is looked for; what the adapter writes into its texts itself (the validated schema name, its error
 * numbers, the line numbers of an INSERT row) is told apart explicitly, so that no other allowance hides a value.
 */

/** One request as the driver received it. */
export interface SentRequest {
  /** `query` and `execute` send an RPC with typed parameters; `batch` sends plain SQL. */
  readonly method: 'query' | 'batch' | 'execute'
  readonly text: string
  /** The bound parameters by name, with the values the driver sends beside the text. */
  readonly params: Readonly<Record<string, unknown>>
  /** Which code of the adapter composed the request (see `driver-recorder.ts`). */
  readonly composer: string
}

/** A value of a request found in its text, or customer data found in any text. */
export interface Violation {
  readonly composer: string
  readonly parameter: string
  readonly value: string
  readonly why: string
  readonly text: string
}

/** The pieces of a T-SQL text that can carry a value: string literals, bare numbers, bracketed identifiers. */
export interface TextTokens {
  readonly strings: readonly string[]
  readonly numbers: readonly string[]
  readonly identifiers: readonly string[]
}

const IDENTIFIER_CHAR = /[A-Za-z0-9_@#$]/

/** The literal that follows is the statement text of a nested `sp_executesql` (`EXEC sp_executesql N'...'`). */
const NESTED_STATEMENT = /sp_executesql\s+N$/i

/**
 * Splits a T-SQL text into string literals, bare numbers and bracketed identifiers, skipping `--` and block
 * comments (the migrations' comments hold apostrophes and Cyrillic) and the names of variables and parameters. The
 * statement text of a nested `sp_executesql` is T-SQL, not a value: its own tokens are taken, as if it stood in the
 * text (an update's conflict reads, `sql/update-statements.ts`).
 */
export const tokensOf = (text: string): TextTokens => {
  const strings: string[] = []
  const numbers: string[] = []
  const identifiers: string[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] ?? ''
    const next = text[i + 1] ?? ''
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i)
      i = end < 0 ? text.length : end + 1
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? text.length : end + 2
    } else if (c === "'") {
      const start = i
      let value = ''
      i += 1
      while (i < text.length) {
        if (text[i] === "'" && text[i + 1] === "'") {
          value += "'"
          i += 2
        } else if (text[i] === "'") {
          i += 1
          break
        } else {
          value += text[i]
          i += 1
        }
      }
      if (NESTED_STATEMENT.test(text.slice(0, start))) {
        const nested = tokensOf(value)
        strings.push(...nested.strings)
        numbers.push(...nested.numbers)
        identifiers.push(...nested.identifiers)
      } else strings.push(value)
    } else if (c === '[') {
      const end = text.indexOf(']', i + 1)
      identifiers.push(text.slice(i + 1, end < 0 ? text.length : end))
      i = end < 0 ? text.length : end + 1
    } else if (/[0-9]/.test(c) && !IDENTIFIER_CHAR.test(text[i - 1] ?? ' ')) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(text.slice(i)) ?? ['']
      const negative = text[i - 1] === '-' && !IDENTIFIER_CHAR.test(text[i - 2] ?? ' ') ? '-' : ''
      numbers.push(`${negative}${match[0]}`)
      i += match[0].length
    } else if (IDENTIFIER_CHAR.test(c)) {
      while (i < text.length && IDENTIFIER_CHAR.test(text[i] ?? '')) i += 1
    } else {
      i += 1
    }
  }
  return { strings, numbers, identifiers }
}

/**
 * The text with the numbers the adapter writes itself taken out: the error numbers of its THROWs, the XACT_ABORT bit
 * of its connection guard, the line numbers of a row of lines (`(@order_id, 151, @l0_0, ...)`: the position in
 * the order, fixed per chunk, never a value of the request), and the lengths of the types it declares
 * (`NVARCHAR(255)`, `VARBINARY(8)`: a new order's number `255` beside them is no splice). What remains are numbers a
 * value could have become.
 */
export const withoutAdapterNumbers = (text: string): string =>
  text
    .replace(
      /\b(N?VARCHAR|N?CHAR|VARBINARY|DATETIMEOFFSET|DECIMAL|NUMERIC)\s*\(\s*[0-9]+(\s*,\s*[0-9]+)?\s*\)/gi,
      '$1(#)',
    )
    .replace(/THROW\s+[0-9]+\s*,/g, 'THROW #,')
    .replace(/@@OPTIONS\s*&\s*[0-9]+/g, '@@OPTIONS & #')
    .replace(/\(@order_id,\s*[0-9]+,/g, '(@order_id, #,')

/** The schema names a text qualifies objects with (`[schema].[object]`): the only identifiers the adapter varies. */
const schemasOf = (text: string): readonly string[] => [
  ...new Set([...text.matchAll(/\[([A-Za-z_][A-Za-z0-9_]{0,127})\]\.\[/g)].map((m) => m[1] ?? '')),
]

/**
 * The text as it would read on any schema: each schema name (those the text qualifies objects with, and `known`
 * ones, for a text that names its schema only in a literal, like migration 0001's CREATE SCHEMA) replaced by
 * `{schema}`, where it stands as a name of its own or as the stem of the hook's role (`<schema>_hook`).
 */
export const normalisedText = (text: string, known: Iterable<string> = []): string => {
  const schemas = [...new Set([...schemasOf(text), ...known])].sort((a, b) => b.length - a.length)
  return schemas.reduce(
    (t, schema) =>
      t.replace(new RegExp(`(?<![A-Za-z0-9_])${schema}(?=_hook(?![A-Za-z0-9_])|(?![A-Za-z0-9_]))`, 'g'), '{schema}'),
    text,
  )
}

/** A word that the T-SQL of the adapter may well contain by itself (`paid` in `paid_at`): checked only where a value could be spliced. */
const WORD_LIKE = /^[A-Za-z_][A-Za-z0-9_.]*$/
const DIGITS = /^-?[0-9]+(\.[0-9]+)?$/

/** Values of fewer characters (and numbers under 10) cannot be told from the adapter's own SQL and carry no personal data. */
const MIN_TEXT_LENGTH = 3
const MIN_NUMBER = 10

const show = (value: string): string => (value.length > 60 ? `${value.slice(0, 57)}...` : value)

/**
 * Where one parameter value of a request occurs in the request's text, if anywhere: as (part of) a string literal,
 * as a bare number, as a date, or anywhere at all for a value that no T-SQL word looks like (a name, a phone, an
 * address, a UUID, a body).
 */
const findValue = (
  value: unknown,
  text: string,
  tokens: TextTokens,
  numbers: readonly string[],
): { shown: string; why: string } | undefined => {
  if (value === null || value === undefined || typeof value === 'boolean' || Buffer.isBuffer(value)) return undefined
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined
    const iso = value.toISOString()
    const day = iso.slice(0, 10)
    return text.includes(day) ? { shown: iso, why: `its date ${day} is in the text` } : undefined
  }
  if (typeof value === 'number' || typeof value === 'bigint') {
    const rendered = String(value)
    if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) < MIN_NUMBER)) return undefined
    if (typeof value === 'bigint' && value < BigInt(MIN_NUMBER) && value > -BigInt(MIN_NUMBER)) return undefined
    return numbers.includes(rendered) ? { shown: rendered, why: 'it is a number of the text' } : undefined
  }
  if (typeof value !== 'string' || value.length < MIN_TEXT_LENGTH) return undefined
  const inLiteral = tokens.strings.find((literal) => literal.includes(value))
  if (inLiteral !== undefined) return { shown: value, why: `it is in the string literal '${show(inLiteral)}'` }
  if (DIGITS.test(value))
    return numbers.includes(value) ? { shown: value, why: 'it is a number of the text' } : undefined
  if (WORD_LIKE.test(value)) {
    // The validated schema name is the one identifier the adapter puts into its texts (docs/domino-integration.md).
    const asIdentifier =
      tokens.identifiers.some((identifier) => identifier === value) && !schemasOf(text).includes(value)
    return asIdentifier ? { shown: value, why: 'it is a bracketed identifier of the text' } : undefined
  }
  return text.includes(value) ? { shown: value, why: 'it occurs in the text' } : undefined
}

const DATE_LIKE = /[0-9]{4}-[0-9]{2}-[0-9]{2}/
const UUID_LIKE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i
const NON_ASCII = /[^\p{ASCII}]/u

/**
 * What no string literal of an adapter text may look like, whatever the parameters: text outside ASCII (the
 * adapter's own literals are English; customer data here is Cyrillic), a date, a UUID (a request id).
 */
const suspiciousLiteral = (literal: string): string | undefined => {
  if (NON_ASCII.test(literal)) return 'a string literal holds non-ASCII text (customer data?)'
  if (DATE_LIKE.test(literal)) return 'a string literal holds a date'
  if (UUID_LIKE.test(literal)) return 'a string literal holds a UUID'
  return undefined
}

/**
 * Every violation of one request: a value of its parameters in its text, a string literal no adapter text has, or
 * one of `customerData` (strings of the test fixtures) anywhere in the text.
 */
export const violationsOf = (request: SentRequest, customerData: readonly string[] = []): Violation[] => {
  const found: Violation[] = []
  // The literals as on any schema: the validated schema name the adapter writes into a literal itself (the hook's
  // role, `N'<schema>_hook'`, beside a create's values in one batch) is no value, and a value that happens to be
  // part of it (a number `853` in `sm_test_4904285308_hook`) is not found in it.
  const tokens = tokensOf(normalisedText(request.text))
  const numbers = tokensOf(withoutAdapterNumbers(request.text)).numbers
  const at = (parameter: string, value: string, why: string): Violation => ({
    composer: request.composer,
    parameter,
    value,
    why,
    text: request.text,
  })
  for (const [name, value] of Object.entries(request.params)) {
    const hit = findValue(value, request.text, tokens, numbers)
    if (hit !== undefined) found.push(at(`@${name}`, hit.shown, hit.why))
  }
  for (const literal of tokens.strings) {
    const why = suspiciousLiteral(literal)
    if (why !== undefined) found.push(at('(none)', show(literal), why))
  }
  for (const data of customerData) {
    if (data.length >= MIN_TEXT_LENGTH && request.text.includes(data))
      found.push(at('(fixture)', data, 'customer data of the fixtures occurs in the text'))
  }
  return found
}

/** What a recording comes to: its size, its distinct texts (per composer), its string literals, and its violations. */
export interface TextSummary {
  readonly requests: number
  readonly distinctTexts: number
  /** Distinct texts once the schema name is replaced: what SQL Server's plan cache would hold on one schema. */
  readonly distinctNormalisedTexts: number
  readonly perComposer: ReadonlyMap<string, { readonly requests: number; readonly texts: ReadonlySet<string> }>
  /** The string literals of all texts (normalised), each once. */
  readonly literals: ReadonlySet<string>
  readonly violations: readonly Violation[]
}

/**
 * Keeps the requests of a whole test run and judges them when asked (`summary`), not as they are sent: the check
 * reads every text once per value (a create of 150 lines has some 1700 values and a text of 25 kB), which would
 * otherwise run inside the operations' time budgets.
 */
export class TextTally {
  private readonly requests: SentRequest[] = []

  constructor(private readonly customerData: readonly string[] = []) {}

  add(request: SentRequest): void {
    this.requests.push(request)
  }

  summary(): TextSummary {
    const schemas = new Set(this.requests.flatMap((r) => schemasOf(r.text)))
    const raw = new Map<string, string>()
    const perComposer = new Map<string, { requests: number; texts: Set<string> }>()
    const violations: Violation[] = []
    for (const request of this.requests) {
      const entry = perComposer.get(request.composer) ?? { requests: 0, texts: new Set<string>() }
      entry.requests += 1
      perComposer.set(request.composer, entry)
      const text = raw.get(request.text) ?? normalisedText(request.text, schemas)
      raw.set(request.text, text)
      entry.texts.add(text)
      violations.push(...violationsOf(request, this.customerData))
    }
    const normalised = new Set(raw.values())
    const literals = new Set<string>()
    for (const text of normalised) for (const literal of tokensOf(text).strings) literals.add(literal)
    return {
      requests: this.requests.length,
      distinctTexts: raw.size,
      distinctNormalisedTexts: normalised.size,
      perComposer,
      literals,
      violations,
    }
  }
}

/** A summary of a list of requests. */
export const summarise = (requests: readonly SentRequest[], customerData: readonly string[] = []): TextSummary => {
  const tally = new TextTally(customerData)
  for (const request of requests) tally.add(request)
  return tally.summary()
}

/** A few lines for the test output. */
export const describeSummary = (summary: TextSummary): string[] => {
  const composers = [...summary.perComposer.entries()].sort((a, b) => b[1].texts.size - a[1].texts.size)
  const largest = composers[0]
  return [
    `requests recorded: ${summary.requests}; distinct statement texts: ${summary.distinctTexts} (${summary.distinctNormalisedTexts} once the schema name is set aside)`,
    `largest text count per composer: ${largest === undefined ? 'none' : `${largest[1].texts.size} (${largest[0]})`}`,
    ...composers.map(([composer, entry]) => `  ${composer}: ${entry.requests} requests, ${entry.texts.size} texts`),
    `string literals in all texts: ${[...summary.literals].map((l) => `'${show(l)}'`).join(', ') || 'none'}`,
    `violations: ${summary.violations.length}`,
  ]
}

const around = (text: string, value: string): string => {
  const at = Math.max(0, text.indexOf(value.endsWith('...') ? value.slice(0, -3) : value))
  return text.slice(Math.max(0, at - 60), at + 60).replace(/\s+/g, ' ')
}

/** The violations, readably, for a failure message. */
export const describeViolations = (violations: readonly Violation[], limit = 10): string =>
  violations
    .slice(0, limit)
    .map((v) => `${v.composer}: ${v.parameter} = ${show(v.value)}: ${v.why}\n    in: ...${around(v.text, v.value)}...`)
    .join('\n')
