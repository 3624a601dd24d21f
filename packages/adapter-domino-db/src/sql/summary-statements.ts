import mssql from 'mssql'
import { MAX_REVIEW_LIST, SUPPORT_EVENT_TYPE_PREFIX, type JournalSummaryQuery } from '@domino-sm/core'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import type { SqlStatement } from './sql-statement.js'

/**
 * The T-SQL of the console's counting reads: the requests of a time range, grouped in the server, and the marked
 * orders, oldest mark first. Every value is a typed parameter; the texts never vary.
 */
export const summaryStatements = (schema: SchemaName) => {
  const journal = qualified(schema, 'journal')
  const header = qualified(schema, 'order_header')
  return {
    /**
     * One row per outcome and status answered, with the number of requests and how many took `durationAtLeastMs`
     * or longer, from `IX_journal_received_at_counts` alone (migration 0010). A request is what core's
     * `isRequestEntry` says: a request id, and an event type that does not start with `support.`. The prefix is
     * compared in a binary collation: the column has the database's, which is case-insensitive on most servers
     * and would also leave out `Support.x`, which the rule counts.
     */
    summariseJournal: (query: JournalSummaryQuery): SqlStatement => ({
      text: `SELECT j.outcome, j.http_status, COUNT_BIG(*) AS requests,
  SUM(CASE WHEN j.duration_ms >= @at_least THEN 1 ELSE 0 END) AS at_or_above
FROM ${journal} AS j
WHERE j.received_at >= @since AND j.received_at < @until
  AND j.request_id IS NOT NULL
  AND (j.event_type IS NULL OR LEFT(j.event_type, @prefix_length) COLLATE Latin1_General_100_BIN2 <> @prefix)
GROUP BY j.outcome, j.http_status;`,
      params: [
        { name: 'since', type: mssql.DateTimeOffset(3), value: query.since },
        { name: 'until', type: mssql.DateTimeOffset(3), value: query.until },
        { name: 'at_least', type: mssql.Float(), value: query.durationAtLeastMs },
        { name: 'prefix_length', type: mssql.Int(), value: SUPPORT_EVENT_TYPE_PREFIX.length },
        { name: 'prefix', type: mssql.NVarChar(SUPPORT_EVENT_TYPE_PREFIX.length), value: SUPPORT_EVENT_TYPE_PREFIX },
      ],
    }),

    /** Up to `limit` marked orders, oldest mark first, by `IX_order_header_for_review` (migration 0005). */
    ordersForReview: (limit: number): SqlStatement => ({
      text: `SELECT TOP (@limit) h.original_order_id, h.domino_number, h.review_marked_at, h.review_reasons_json
FROM ${header} AS h
WHERE h.review_marked_at IS NOT NULL
ORDER BY h.review_marked_at, h.id;`,
      params: [{ name: 'limit', type: mssql.Int(), value: Math.max(0, Math.min(Math.trunc(limit), MAX_REVIEW_LIST)) }],
    }),
  }
}
