import type Database from 'better-sqlite3'
import {
  journalSummaryOfGroups,
  MAX_REVIEW_LIST,
  OUTCOMES,
  SUPPORT_EVENT_TYPE_PREFIX,
  type JournalSummary,
  type JournalSummaryQuery,
  type OrderForReview,
  type Outcome,
} from '@domino-sm/core'
import { dateFromColumn, requiredInteger, requiredText } from './column-readers.js'
import { stringsOf } from './order-row-mapping.js'
import { RowMappingError } from './row-mapping-error.js'

/**
 * The Today counts in one statement, from the index `journal_by_received` alone (migration 8 covers every column it
 * reads). A request is what core's `isRequestEntry` says: a request id, and an event type that does not start with
 * `support.` (compared with substr, case-sensitive: LIKE would ignore case). received_at is ISO 8601 UTC text with
 * milliseconds, which sorts as time does; every value is bound.
 */
export const JOURNAL_SUMMARY_SQL = `SELECT outcome, http_status, count(*) AS requests, sum(duration_ms >= @at_least) AS at_or_above
FROM journal
WHERE received_at >= @since AND received_at < @until
  AND request_id IS NOT NULL
  AND (event_type IS NULL OR substr(event_type, 1, @prefix_length) <> @prefix)
GROUP BY outcome, http_status`

/** The marked orders, oldest mark first, by the partial index `orders_for_review` (review_marked_at, then rowid). */
export const ORDERS_FOR_REVIEW_SQL = `SELECT original_order_id, number, review_marked_at, review_reasons_json
FROM orders
WHERE review_marked_at IS NOT NULL
ORDER BY review_marked_at, id
LIMIT ?`

const outcomeOf = (value: string): Outcome => {
  const outcome = OUTCOMES.find((o) => o === value)
  if (outcome === undefined) throw new RowMappingError('journal.outcome: not a known outcome')
  return outcome
}

/** Runs the summary (a read: no lock) and folds its groups into core's `JournalSummary`. */
export const summariseJournal = (db: Database.Database, query: JournalSummaryQuery): JournalSummary => {
  const rows = db.prepare<[Record<string, string | number>], Record<string, unknown>>(JOURNAL_SUMMARY_SQL).all({
    since: query.since.toISOString(),
    until: query.until.toISOString(),
    at_least: query.durationAtLeastMs,
    prefix: SUPPORT_EVENT_TYPE_PREFIX,
    prefix_length: SUPPORT_EVENT_TYPE_PREFIX.length,
  })
  // One group per outcome and status: the requests of that pair, and how many took the threshold or longer.
  return journalSummaryOfGroups(
    rows.map((row) => ({
      outcome: outcomeOf(requiredText(row, 'outcome')),
      httpStatus: requiredInteger(row, 'http_status'),
      requests: requiredInteger(row, 'requests'),
      atOrAbove: requiredInteger(row, 'at_or_above'),
    })),
  )
}

/** Up to `limit` marked orders (at most `MAX_REVIEW_LIST`), oldest mark first. */
export const ordersForReview = (db: Database.Database, limit: number): readonly OrderForReview[] =>
  db
    .prepare<[number], Record<string, unknown>>(ORDERS_FOR_REVIEW_SQL)
    .all(Math.max(0, Math.min(Math.trunc(limit), MAX_REVIEW_LIST)))
    .map((row) => ({
      originalOrderId: requiredText(row, 'original_order_id'),
      number: requiredText(row, 'number'),
      markedAt: dateFromColumn(requiredText(row, 'review_marked_at'), 'orders.review_marked_at'),
      reasons: stringsOf(requiredText(row, 'review_reasons_json'), 'orders.review_reasons_json'),
    }))
