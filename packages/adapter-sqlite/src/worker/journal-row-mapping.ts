import { OUTCOMES, type JournalEntry, type JournalRecord, type Outcome } from '@domino-sm/core'
import { dateFromColumn, integer, present, requiredInteger, requiredText, text } from './column-readers.js'
import { RowMappingError } from './row-mapping-error.js'

/**
 * The columns of `journal` that an entry fills (all but `id` and `stored_at`). The raw body is not among them:
 * it has a row of its own in `journal_body` (see migration 3), which the retention policy deletes.
 */
export const JOURNAL_COLUMNS = [
  'request_id',
  'received_at',
  'event_type',
  'original_order_id',
  'outcome',
  'http_status',
  'duration_ms',
  'detail',
  'replay_of',
] as const

type JournalColumn = (typeof JOURNAL_COLUMNS)[number]
export type JournalRowValues = { readonly [C in JournalColumn]: string | number | null }
/** A journal row read back with its body (`raw_body` NULL when `journal_body` has no row for it). */
export type JournalRow = JournalRowValues & { readonly id: number; readonly raw_body: string | null }

/** A journal entry's values for its row; the body goes to `journal_body`. */
export const journalEntryToRow = (entry: JournalEntry): JournalRowValues => ({
  request_id: entry.requestId,
  received_at: entry.receivedAt.toISOString(),
  event_type: entry.eventType,
  original_order_id: entry.originalOrderId,
  outcome: entry.outcome,
  http_status: entry.httpStatus,
  duration_ms: entry.durationMs,
  detail: entry.detail,
  replay_of: entry.replayOf ?? null,
})

const outcomeOf = (value: string): Outcome => {
  const outcome = OUTCOMES.find((o) => o === value)
  if (outcome === undefined) throw new RowMappingError('journal.outcome: not a known outcome')
  return outcome
}

const durationOf = (value: unknown): number => {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  throw new RowMappingError('journal.duration_ms: expected a number')
}

/** A journal record back from its row; throws `RowMappingError` on a bad row. */
export const journalRecordFromRow = (row: JournalRow): JournalRecord => ({
  id: requiredInteger(row, 'id'),
  requestId: text(row, 'request_id'),
  receivedAt: dateFromColumn(requiredText(row, 'received_at'), 'journal.received_at'),
  eventType: text(row, 'event_type'),
  originalOrderId: text(row, 'original_order_id'),
  rawBody: text(row, 'raw_body'),
  outcome: outcomeOf(requiredText(row, 'outcome')),
  httpStatus: requiredInteger(row, 'http_status'),
  durationMs: durationOf(row.duration_ms),
  detail: text(row, 'detail'),
  ...present('replayOf', integer(row, 'replay_of')),
})
