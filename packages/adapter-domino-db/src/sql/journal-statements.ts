import mssql from 'mssql'
import type { JournalEntry } from '@domino-sm/core'
import {
  JOURNAL_COLUMNS,
  JOURNAL_LENGTHS,
  JOURNAL_REWRITE_COLUMNS,
  JOURNAL_SELECT_COLUMNS,
} from '../rows/journal-row-mapping.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import type { SqlParam, SqlStatement } from './sql-statement.js'

/** The column of the recordset that carries the id of the entry a statement wrote. */
export const JOURNAL_ID_COLUMN = 'journal_id'

/** The request id as the parameter `@request_id`. */
const requestIdParam = (requestId: string): SqlParam => ({
  name: 'request_id',
  type: mssql.UniqueIdentifier(),
  value: requestId,
})

/**
 * The values of an entry's columns (`JOURNAL_COLUMNS`, stored at `storedAt`) as parameters named `prefix` + the
 * column's position (`j0`, `j1`...), or `prefix` + the column's name (`named`: the parameters of a procedure).
 */
export const journalEntryParams = (entry: JournalEntry, storedAt: Date, prefix: string, named = true): SqlParam[] =>
  JOURNAL_COLUMNS.map((spec, i) => ({
    name: `${prefix}${named ? spec.column : String(i)}`,
    type: spec.type,
    value: spec.value({ ...entry, storedAt }),
  }))

/** The T-SQL of the journal and of the health check. */
export const journalStatements = (schema: SchemaName) => {
  const journal = qualified(schema, 'journal')
  const columns = JOURNAL_COLUMNS.map((c) => c.column).join(', ')
  const entryParams = (entry: JournalEntry, storedAt: Date, prefix: string): SqlParam[] =>
    journalEntryParams(entry, storedAt, prefix, false)
  const values = (params: readonly SqlParam[]): string => params.map((p) => `@${p.name}`).join(', ')
  return {
    /**
     * Inserts one entry and selects its id (SCOPE_IDENTITY: right even under a trigger). `prefix` keeps the
     * parameter names of several entries in one request apart.
     */
    insertEntry: (entry: JournalEntry, storedAt: Date, prefix = 'j'): SqlStatement => {
      const params = entryParams(entry, storedAt, prefix)
      return {
        text: `INSERT INTO ${journal} (${columns}) VALUES (${values(params)});
SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS ${JOURNAL_ID_COLUMN};`,
        params,
      }
    },

    /**
     * Inserts the entry of a request unless its request id already has one (the unique index UX_journal_request_id
     * is the guard; UPDLOCK, HOLDLOCK make concurrent writers of one id wait for each other instead of one failing
     * with 2601), then selects the request's entry and whether this statement inserted it.
     */
    insertUnlessRequestJournaled: (
      entry: JournalEntry & { readonly requestId: string },
      storedAt: Date,
    ): SqlStatement => {
      const params = entryParams(entry, storedAt, 'j')
      return {
        text: `DECLARE @inserted BIT = 0;
IF NOT EXISTS (SELECT 1 FROM ${journal} WITH (UPDLOCK, HOLDLOCK) WHERE request_id = @request_id)
BEGIN
  INSERT INTO ${journal} (${columns}) VALUES (${values(params)});
  SET @inserted = 1;
END;
SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')}, @inserted AS inserted FROM ${journal} WHERE request_id = @request_id;`,
        params: [requestIdParam(entry.requestId), ...params],
      }
    },

    /**
     * The entry of one request id, if any (a seek on UX_journal_request_id). `forUpdate`: with UPDLOCK, so that the
     * entry cannot change between this read and the rewrite of the same transaction.
     */
    ofRequest: (requestId: string, forUpdate: boolean): SqlStatement => ({
      text: `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM ${journal}${forUpdate ? ' WITH (UPDLOCK)' : ''} WHERE request_id = @request_id;`,
      params: [requestIdParam(requestId)],
    }),

    /**
     * Rewrites entry `id` with `entry` (the one entry of its request, merged by core's `entryOnCommit` or
     * `entryOnAnswer`); the id, the request id, when it was received and stored stay. Selects the id.
     */
    rewriteEntry: (id: number, entry: JournalEntry): SqlStatement => {
      const params = JOURNAL_REWRITE_COLUMNS.map((spec, i) => ({
        name: `w${i}`,
        type: spec.type,
        value: spec.value(entry),
      }))
      return {
        text: `UPDATE ${journal} SET ${JOURNAL_REWRITE_COLUMNS.map((c, i) => `${c.column} = @w${i}`).join(', ')} WHERE id = @journal_row;
SELECT @journal_row AS ${JOURNAL_ID_COLUMN};`,
        params: [...params, { name: 'journal_row', type: mssql.BigInt(), value: id }],
      }
    },

    /** The entries of one order key, oldest first; served by the index on (original_order_id, id). */
    listByOrder: (originalOrderId: string): SqlStatement => ({
      text: `SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM ${journal} WHERE original_order_id = @original_order_id ORDER BY id;`,
      params: [
        { name: 'original_order_id', type: mssql.NVarChar(JOURNAL_LENGTHS.original_order_id), value: originalOrderId },
      ],
    }),

    ping: (): SqlStatement => ({ text: 'SELECT 1 AS ok;', params: [] }),
  }
}

export type JournalStatements = ReturnType<typeof journalStatements>
