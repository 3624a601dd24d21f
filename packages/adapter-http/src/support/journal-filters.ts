import * as E from 'fp-ts/lib/Either.js'
import { MAX_JOURNAL_PAGE, MAX_ORDER_ID_LENGTH, OUTCOMES, type JournalQuery, type Outcome } from '@domino-sm/core'
import { unstorableTextReason } from '@domino-sm/core/internals'

/** The filters of `journal list`, `journal replay` and `GET /admin/journal`, as text (from argv or the query string). */
export interface RawJournalFilters {
  readonly ids: readonly string[]
  readonly order?: string | undefined
  /** Each may be a comma-separated list. */
  readonly outcomes: readonly string[]
  readonly since?: string | undefined
  readonly until?: string | undefined
  readonly review: boolean
  readonly after?: string | undefined
  readonly limit?: string | undefined
}

/** The filters, read: a query without its page (`afterId`, `limit`) and body choice, and the page asked for. */
export interface JournalFilters {
  readonly query: Omit<JournalQuery, 'afterId' | 'limit' | 'withBodies'>
  readonly afterId?: number
  readonly limit?: number
  /** Whether any filter that selects entries was given (a replay asks for at least one). */
  readonly selective: boolean
}

/** ISO 8601 with a date and, when a time is given, an offset or Z: a time read the same on every machine. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/

/**
 * Whether the calendar date and the clock time written exist: `Date` rolls 2026-02-30 over into March and reads
 * 24:00 as the next day, and a filter must not select another day than the one written.
 */
const exists = (value: string): boolean => {
  const [, y, m, d, hh, mm] = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value) ?? []
  const day = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
  const calendar =
    day.getUTCFullYear() === Number(y) && day.getUTCMonth() === Number(m) - 1 && day.getUTCDate() === Number(d)
  return calendar && (hh === undefined || (Number(hh) <= 23 && Number(mm) <= 59))
}

const time = (name: string, value: string | undefined): E.Either<string, Date | undefined> => {
  if (value === undefined) return E.right(undefined)
  const date = new Date(value)
  return ISO_TIME.test(value) && !Number.isNaN(date.getTime()) && exists(value)
    ? E.right(date)
    : E.left(
        `${name}: expected an ISO 8601 date or time with its offset (2026-05-24, 2026-05-24T09:00:00+03:00), got "${value}"`,
      )
}

const positive = (name: string, value: string, max = Number.MAX_SAFE_INTEGER): E.Either<string, number> =>
  /^\d{1,15}$/.test(value) && Number(value) >= 1 && Number(value) <= max
    ? E.right(Number(value))
    : E.left(`${name}: expected a whole number from 1 to ${max}, got "${value}"`)

const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value)

/** Reads the filters; every bad value is named, with what was expected. */
export const parseJournalFilters = (raw: RawJournalFilters): E.Either<readonly string[], JournalFilters> => {
  const problems: string[] = []
  const ids: number[] = []
  for (const id of raw.ids) {
    const parsed = positive('--id', id)
    if (E.isLeft(parsed)) problems.push(parsed.left)
    else ids.push(parsed.right)
  }
  if (ids.length > MAX_JOURNAL_PAGE) problems.push(`--id: at most ${MAX_JOURNAL_PAGE} at once`)
  const outcomes: Outcome[] = []
  for (const outcome of raw.outcomes
    .flatMap((list) => list.split(','))
    .map((o) => o.trim())
    .filter((o) => o !== '')) {
    if (isOutcome(outcome)) outcomes.push(outcome)
    else problems.push(`--outcome: "${outcome}" is not one of ${OUTCOMES.join(', ')}`)
  }
  const order = raw.order?.trim()
  if (order !== undefined && (order === '' || order.length > MAX_ORDER_ID_LENGTH))
    problems.push(`--order: expected an order key of 1 to ${MAX_ORDER_ID_LENGTH} characters`)
  else if (order !== undefined && unstorableTextReason(order) !== undefined)
    problems.push(`--order: the order key ${unstorableTextReason(order) ?? ''}; no order has such a key`)
  const since = time('--since', raw.since)
  const until = time('--until', raw.until)
  if (E.isLeft(since)) problems.push(since.left)
  if (E.isLeft(until)) problems.push(until.left)
  const after = raw.after === undefined ? E.right(undefined) : positive('--after', raw.after)
  if (E.isLeft(after)) problems.push(after.left)
  const limit = raw.limit === undefined ? E.right(undefined) : positive('--limit', raw.limit, MAX_JOURNAL_PAGE)
  if (E.isLeft(limit)) problems.push(limit.left)
  if (problems.length > 0 || E.isLeft(since) || E.isLeft(until) || E.isLeft(after) || E.isLeft(limit))
    return E.left(problems)
  const query = {
    ...(ids.length === 0 ? {} : { ids }),
    ...(order === undefined ? {} : { originalOrderId: order }),
    ...(outcomes.length === 0 ? {} : { outcomes }),
    ...(since.right === undefined ? {} : { since: since.right }),
    ...(until.right === undefined ? {} : { until: until.right }),
    ...(raw.review ? { forReview: true } : {}),
  }
  return E.right({
    query,
    ...(after.right === undefined ? {} : { afterId: after.right }),
    ...(limit.right === undefined ? {} : { limit: limit.right }),
    selective: Object.keys(query).length > 0,
  })
}
