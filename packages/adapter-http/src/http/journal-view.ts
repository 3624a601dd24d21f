import type { FoundJournalRecord, JournalRecord } from '@domino-sm/core'

/** The facts of an entry as every admin view shows them; no body. */
export const entryFactsView = (record: JournalRecord): Record<string, unknown> => ({
  id: record.id,
  receivedAt: record.receivedAt.toISOString(),
  eventType: record.eventType,
  originalOrderId: record.originalOrderId,
  outcome: record.outcome,
  httpStatus: record.httpStatus,
  durationMs: record.durationMs,
  detail: record.detail,
})

/**
 * An entry as the admin journal list shows it: its facts, whether its body is kept, what it replays; never the
 * body (the customer's data), which only `GET /admin/journal/:id` gives, for one entry.
 */
export const journalListView = (record: FoundJournalRecord): Record<string, unknown> => ({
  ...entryFactsView(record),
  hasBody: record.hasBody,
  replayOf: record.replayOf ?? null,
})

/** One entry with its body (as kept: erased or cleared bodies are null). */
export const journalEntryView = (record: FoundJournalRecord): Record<string, unknown> => ({ ...journalListView(record), rawBody: record.rawBody })
