import mssql from 'mssql'
import type { JournalEntry } from '@domino-sm/core'
import { JOURNAL_COLUMNS, JOURNAL_LENGTHS, JOURNAL_SELECT_COLUMNS } from '../rows/journal-row-mapping.js'
import { qualified, type SchemaName } from '../schema-name.js'
import type { SqlStatement } from './sql-statement.js'

/** The batch variable that receives the id of the journal entry a batch inserted. */
export const JOURNAL_ID_VARIABLE = 'journal_id'

/** The T-SQL of the journal and of the health check. */
export const journalStatements = (schema: SchemaName) => {
  const journal = qualified(schema, 'journal')
  return {
    /** Inserts one entry; its id goes to the batch variable `journal_id` (SCOPE_IDENTITY: right even under a trigger). */
    insertEntry: (entry: JournalEntry, storedAt: Date): SqlStatement => {
      const source = { ...entry, storedAt }
      const params = JOURNAL_COLUMNS.map((spec, i) => ({ name: `j${i}`, type: spec.type, value: spec.value(source) }))
      return {
        text: `INSERT INTO ${journal} (${JOURNAL_COLUMNS.map((c) => c.column).join(', ')}) VALUES (${params.map((p) => `@${p.name}`).join(', ')});
SET @journal_id = CAST(SCOPE_IDENTITY() AS BIGINT);`,
        params: [...params, { name: 'journal_id', type: mssql.BigInt(), value: null, bind: { variable: JOURNAL_ID_VARIABLE, output: true } }],
      }
    },

    /** Sets what the entry says was answered (the edge answered 503 at the deadline after the store committed). */
    amendStatus: (id: number, httpStatus: number, detail: string): SqlStatement => ({
      text: `UPDATE ${journal} SET http_status = @http_status, detail = @detail WHERE id = @id;`,
      params: [
        { name: 'id', type: mssql.BigInt(), value: id },
        { name: 'http_status', type: mssql.SmallInt(), value: httpStatus },
        { name: 'detail', type: mssql.NVarChar(JOURNAL_LENGTHS.detail), value: detail.slice(0, JOURNAL_LENGTHS.detail) },
      ],
    }),

    /** The entries of one order key, oldest first; served by the index on (original_order_id, id). */
    listByOrder: (originalOrderId: string): SqlStatement => ({
      text: `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM ${journal} WHERE original_order_id = @original_order_id ORDER BY id;`,
      params: [{ name: 'original_order_id', type: mssql.NVarChar(JOURNAL_LENGTHS.original_order_id), value: originalOrderId }],
    }),

    ping: (): SqlStatement => ({ text: 'SELECT 1 AS ok;', params: [] }),
  }
}

export type JournalStatements = ReturnType<typeof journalStatements>
