import mssql from 'mssql'
import { OUTCOMES, type JournalEntry, type JournalRecord, type Outcome } from '@domino-sm/core'
import { RowShapeError } from '../driver/sql-error.js'
import type { ColumnSpec } from './order-columns.js'
import {
  field,
  fitText,
  readDate,
  readInteger,
  readOptionalInteger,
  readOptionalText,
  readText,
  type Row,
} from './column-values.js'

const JOURNAL = 'journal'

/** Column lengths of journal (migration 0003). */
export const JOURNAL_LENGTHS = { event_type: 100, original_order_id: 64, outcome: 16, detail: 4000 } as const

const optionalText = (value: string | null, maxLength: number): string | null =>
  value === null ? null : fitText(value, maxLength)

/**
 * The columns of an entry's facts: what an insert writes and what the rewrite of a request's one entry sets (the
 * grants give UPDATE on exactly these). `duration_ms` is an INT of whole milliseconds: a fractional duration is rounded.
 */
export const JOURNAL_REWRITE_COLUMNS: readonly ColumnSpec<JournalEntry>[] = [
  {
    column: 'event_type',
    type: mssql.NVarChar(JOURNAL_LENGTHS.event_type),
    value: (e) => optionalText(e.eventType, JOURNAL_LENGTHS.event_type),
  },
  {
    column: 'original_order_id',
    type: mssql.NVarChar(JOURNAL_LENGTHS.original_order_id),
    value: (e) => optionalText(e.originalOrderId, JOURNAL_LENGTHS.original_order_id),
  },
  { column: 'raw_body', type: mssql.NVarChar(mssql.MAX), value: (e) => e.rawBody },
  { column: 'outcome', type: mssql.NVarChar(JOURNAL_LENGTHS.outcome), value: (e) => e.outcome },
  { column: 'http_status', type: mssql.SmallInt(), value: (e) => e.httpStatus },
  {
    column: 'duration_ms',
    type: mssql.Int(),
    value: (e) => Math.max(0, Math.min(2_147_483_647, Math.round(e.durationMs))),
  },
  {
    column: 'detail',
    type: mssql.NVarChar(JOURNAL_LENGTHS.detail),
    value: (e) => optionalText(e.detail, JOURNAL_LENGTHS.detail),
  },
]

/**
 * The journal columns written for one entry: the request id and when it was received (never rewritten), the
 * facts, and `stored_at` (when the store wrote it, from the adapter's clock).
 */
export const JOURNAL_COLUMNS: readonly ColumnSpec<JournalEntry & { readonly storedAt: Date }>[] = [
  { column: 'request_id', type: mssql.UniqueIdentifier(), value: (e) => e.requestId },
  { column: 'received_at', type: mssql.DateTimeOffset(3), value: (e) => e.receivedAt },
  ...JOURNAL_REWRITE_COLUMNS,
  { column: 'stored_at', type: mssql.DateTimeOffset(3), value: (e) => e.storedAt },
  // The entry a replay came from (migration 0008); written once, with the entry, and never rewritten.
  { column: 'replay_of', type: mssql.BigInt(), value: (e) => e.replayOf ?? null },
]

export const JOURNAL_SELECT_COLUMNS = [
  'id',
  'request_id',
  'received_at',
  'event_type',
  'original_order_id',
  'raw_body',
  'outcome',
  'http_status',
  'duration_ms',
  'detail',
  'replay_of',
] as const

const isOutcome = (value: string): value is Outcome => (OUTCOMES as readonly string[]).includes(value)

/** One journal row as a record; NULL columns are `null`, as `JournalEntry` has them. */
export const journalRecordFromRow = (row: Row): JournalRecord => {
  const outcome = readText(row, JOURNAL, 'outcome')
  if (!isOutcome(outcome)) throw new RowShapeError(JOURNAL, 'outcome')
  return {
    id: readInteger(row, JOURNAL, 'id'),
    // SQL Server returns a UNIQUEIDENTIFIER in upper case; the hook writes and compares them in lower case.
    requestId: readOptionalText(row, JOURNAL, 'request_id')?.toLowerCase() ?? null,
    receivedAt: readDate(row, JOURNAL, 'received_at'),
    eventType: readOptionalText(row, JOURNAL, 'event_type') ?? null,
    originalOrderId: readOptionalText(row, JOURNAL, 'original_order_id') ?? null,
    rawBody: readOptionalText(row, JOURNAL, 'raw_body') ?? null,
    outcome,
    httpStatus: readInteger(row, JOURNAL, 'http_status'),
    durationMs: readInteger(row, JOURNAL, 'duration_ms'),
    detail: readOptionalText(row, JOURNAL, 'detail') ?? null,
    ...field('replayOf', readOptionalInteger(row, JOURNAL, 'replay_of')),
  }
}
