import mssql from 'mssql'
import { MAX_JOURNAL_PAGE, MAX_ORDER_ID_LENGTH, type JournalQuery } from '@domino-sm/core'
import { JOURNAL_LENGTHS, JOURNAL_SELECT_COLUMNS } from '../rows/journal-row-mapping.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import type { SqlParam, SqlStatement } from './sql-statement.js'

const keyParam = (originalOrderId: string): SqlParam => ({
  name: 'original_order_id',
  type: mssql.NVarChar(MAX_ORDER_ID_LENGTH),
  value: originalOrderId,
})

/**
 * The T-SQL of support's reads and writes: the journal query (`journal list`, `journal replay`, the admin API) and
 * the erasure of one key's personal data. Every value is a typed parameter; lists (ids, outcomes) get one parameter
 * each, named by position, so the text depends only on how many were given.
 */
export const supportStatements = (schema: SchemaName) => {
  const journal = qualified(schema, 'journal')
  const header = qualified(schema, 'order_header')
  const pending = qualified(schema, 'pending_update')
  return {
    /**
     * One page of the journal, oldest first (the clustered key). `has_body` is read either way; the body only when
     * asked for, so that a list never carries the customer's data over the wire.
     */
    searchJournal: (query: JournalQuery): SqlStatement => {
      const where: string[] = []
      const params: SqlParam[] = [
        { name: 'page', type: mssql.Int(), value: Math.max(0, Math.min(query.limit, MAX_JOURNAL_PAGE)) },
      ]
      if (query.ids !== undefined) {
        const ids = query.ids.map((value, i): SqlParam => ({ name: `id${i}`, type: mssql.BigInt(), value }))
        where.push(ids.length === 0 ? '1 = 0' : `j.id IN (${ids.map((p) => `@${p.name}`).join(', ')})`)
        params.push(...ids)
      }
      if (query.originalOrderId !== undefined) {
        where.push('j.original_order_id = @original_order_id')
        params.push({
          name: 'original_order_id',
          type: mssql.NVarChar(JOURNAL_LENGTHS.original_order_id),
          value: query.originalOrderId,
        })
      }
      if (query.outcomes !== undefined) {
        const outcomes = query.outcomes.map((value, i): SqlParam => ({
          name: `outcome${i}`,
          type: mssql.NVarChar(JOURNAL_LENGTHS.outcome),
          value,
        }))
        where.push(outcomes.length === 0 ? '1 = 0' : `j.outcome IN (${outcomes.map((p) => `@${p.name}`).join(', ')})`)
        params.push(...outcomes)
      }
      if (query.since !== undefined) {
        where.push('j.received_at >= @since')
        params.push({ name: 'since', type: mssql.DateTimeOffset(3), value: query.since })
      }
      if (query.until !== undefined) {
        where.push('j.received_at < @until')
        params.push({ name: 'until', type: mssql.DateTimeOffset(3), value: query.until })
      }
      if (query.durationAtLeastMs !== undefined) {
        where.push('j.duration_ms >= @duration_at_least')
        params.push({ name: 'duration_at_least', type: mssql.Float(), value: query.durationAtLeastMs })
      }
      if (query.forReview === true) {
        where.push(
          `EXISTS (SELECT 1 FROM ${header} AS h WHERE h.original_order_id = j.original_order_id AND h.review_marked_at IS NOT NULL)`,
        )
      }
      if (query.afterId !== undefined) {
        where.push('j.id > @after_id')
        params.push({ name: 'after_id', type: mssql.BigInt(), value: query.afterId })
      }
      const columns = JOURNAL_SELECT_COLUMNS.map((c) =>
        c === 'raw_body' && !query.withBodies ? 'CAST(NULL AS NVARCHAR(MAX)) AS raw_body' : `j.${c}`,
      )
      return {
        text: `SELECT TOP (@page) ${columns.join(', ')}, CAST(CASE WHEN j.raw_body IS NULL THEN 0 ELSE 1 END AS BIT) AS has_body
FROM ${journal} AS j${where.length === 0 ? '' : `\nWHERE ${where.join('\n  AND ')}`}
ORDER BY j.id;`,
        params,
      }
    },

    /**
     * The bodies an erasure of one key reads, under the key's lock (taken by the order read sent with it): the
     * key's journal entries that keep a body, and its pending updates, each locked for the rewrite (UPDLOCK).
     */
    bodiesOfKey: (originalOrderId: string): SqlStatement => ({
      text: `SELECT id, raw_body FROM ${journal} WITH (UPDLOCK) WHERE original_order_id = @original_order_id AND raw_body IS NOT NULL ORDER BY id;
SELECT id, raw_body FROM ${pending} WITH (UPDLOCK) WHERE original_order_id = @original_order_id ORDER BY id;`,
      params: [keyParam(originalOrderId)],
    }),

    /** Journal entry `id` keeps `rawBody` instead (NULL: the body goes). `i` keeps several apart in one request. */
    rewriteJournalBody: (id: number, rawBody: string | null, i: number): SqlStatement => ({
      text: `UPDATE ${journal} SET raw_body = @jb${i} WHERE id = @ji${i};`,
      params: [
        { name: `jb${i}`, type: mssql.NVarChar(mssql.MAX), value: rawBody },
        { name: `ji${i}`, type: mssql.BigInt(), value: id },
      ],
    }),

    /** Order `orderId` had its personal data erased at `at` (the retention policy erases an order once). */
    markErased: (orderId: number, at: Date): SqlStatement => ({
      text: `UPDATE ${header} SET personal_data_erased_at = @erased_at WHERE id = @order_id;`,
      params: [
        { name: 'erased_at', type: mssql.DateTimeOffset(3), value: at },
        { name: 'order_id', type: mssql.BigInt(), value: orderId },
      ],
    }),

    /** Up to `limit` keys of orders delivered or cancelled, last changed before `closedBefore`, not erased yet, oldest first. */
    closedNotErased: (closedBefore: Date, limit: number): SqlStatement => ({
      text: `SELECT TOP (@limit) original_order_id FROM ${header}
WHERE personal_data_erased_at IS NULL AND status IN (N'delivered', N'cancelled') AND updated_at < @closed_before
ORDER BY updated_at;`,
      params: [
        { name: 'limit', type: mssql.Int(), value: limit },
        { name: 'closed_before', type: mssql.DateTimeOffset(3), value: closedBefore },
      ],
    }),

    /** Pending update `id` keeps `rawBody` instead. */
    rewritePendingBody: (id: number, rawBody: string, i: number): SqlStatement => ({
      text: `UPDATE ${pending} SET raw_body = @pb${i} WHERE id = @pi${i};`,
      params: [
        { name: `pb${i}`, type: mssql.NVarChar(mssql.MAX), value: rawBody },
        { name: `pi${i}`, type: mssql.BigInt(), value: id },
      ],
    }),
  }
}
