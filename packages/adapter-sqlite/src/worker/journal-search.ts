import type Database from 'better-sqlite3'
import { MAX_JOURNAL_PAGE, type FoundJournalRecord, type JournalQuery } from '@domino-sm/core'
import { JOURNAL_COLUMNS, journalRecordFromRow, type JournalRow } from './journal-row-mapping.js'

type Param = string | number

/**
 * The SQL of one journal query: a WHERE clause per filter given, every value bound (lists as one JSON parameter
 * read with json_each), oldest first by id. `forReview` joins the order's review mark (the partial index
 * `orders_for_review` holds exactly the marked orders). Bodies are joined only when asked for; `has_body` always.
 */
export const journalSearchSql = (query: JournalQuery): { readonly sql: string; readonly params: readonly Param[] } => {
  const where: string[] = []
  const params: Param[] = []
  const add = (clause: string, ...values: Param[]): void => {
    where.push(clause)
    params.push(...values)
  }
  if (query.ids !== undefined) add('j.id IN (SELECT value FROM json_each(?))', JSON.stringify(query.ids))
  if (query.originalOrderId !== undefined) add('j.original_order_id = ?', query.originalOrderId)
  if (query.outcomes !== undefined) add('j.outcome IN (SELECT value FROM json_each(?))', JSON.stringify(query.outcomes))
  // received_at is ISO 8601 in UTC with milliseconds (toISOString): as text it sorts as time does.
  if (query.since !== undefined) add('j.received_at >= ?', query.since.toISOString())
  if (query.until !== undefined) add('j.received_at < ?', query.until.toISOString())
  if (query.durationAtLeastMs !== undefined) add('j.duration_ms >= ?', query.durationAtLeastMs)
  if (query.forReview === true)
    add('j.original_order_id IN (SELECT original_order_id FROM orders WHERE review_marked_at IS NOT NULL)')
  if (query.afterId !== undefined) add('j.id > ?', query.afterId)
  const body = query.withBodies ? 'b.raw_body' : 'NULL AS raw_body'
  const sql = `SELECT j.id, ${JOURNAL_COLUMNS.map((c) => `j.${c}`).join(', ')}, ${body}, b.journal_id IS NOT NULL AS has_body
FROM journal AS j LEFT JOIN journal_body AS b ON b.journal_id = j.id
${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`}
ORDER BY j.id LIMIT ?`
  return { sql, params: [...params, Math.max(0, Math.min(query.limit, MAX_JOURNAL_PAGE))] }
}

/** Runs a journal query on the connection (a read: no lock is taken). */
export const searchJournal = (db: Database.Database, query: JournalQuery): readonly FoundJournalRecord[] => {
  const { sql, params } = journalSearchSql(query)
  return db
    .prepare<Param[], JournalRow & { readonly has_body: number }>(sql)
    .all(...params)
    .map((row) => ({ ...journalRecordFromRow(row), hasBody: row.has_body === 1 }))
}
