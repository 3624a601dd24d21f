import { entryOnCommit, type JournalEntry, type JournalRecord } from '@domino-sm/core'
import { journalRecordFromRow } from '../rows/journal-row-mapping.js'
import type { Row } from '../rows/column-values.js'
import type { JournalStatements } from '../sql/journal-statements.js'
import type { SqlStatement } from '../sql/sql-statement.js'

/** The journal entry of an operation and the statement that writes it, given what the key's read found of its request. */
export interface OperationJournalWrite {
  readonly written: JournalEntry
  readonly statement: SqlStatement
  /** The id of the edge's entry that `statement` rewrites; undefined when it inserts the entry. */
  readonly rewrites: number | undefined
}

/**
 * An operation writes its request's one entry: a new row, or, when the edge already journaled the request (it
 * answered before the store did), that row rewritten with core's `entryOnCommit`. `found` is the row the key's read
 * returned for the request id, under the key lock that every writer of the request's entry holds.
 */
export const operationJournalWrite = (
  journal: JournalStatements,
  entry: JournalEntry,
  found: Row | undefined,
  storedAt: Date,
): OperationJournalWrite => {
  if (found === undefined)
    return { written: entry, statement: journal.insertEntry(entry, storedAt), rewrites: undefined }
  const existing: JournalRecord = journalRecordFromRow(found)
  const written = entryOnCommit(entry, existing)
  return { written, statement: journal.rewriteEntry(existing.id, written), rewrites: existing.id }
}
