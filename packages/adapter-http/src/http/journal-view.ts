import type { FoundJournalRecord, JournalPage, JournalRecord } from '@domino-sm/core'
import { withinBytes } from '@domino-sm/core/internals'

/**
 * The longest text of an entry's event type and detail a view shows: what the SQL Server store keeps of them
 * (`JOURNAL_LENGTHS` of adapter-domino-db), so that every store shows the same, and one entry's facts stay a few KB
 * whatever was sent; the bound of a page's bytes (`ADMIN_PAGE_BYTES`) rests on it.
 */
const SHOWN_EVENT_TYPE_CHARS = 100
const SHOWN_DETAIL_CHARS = 4000

const shown = (text: string | null, max: number): string | null =>
  text === null || text.length <= max ? text : `${text.slice(0, max - 1)}…`

/** The facts of an entry as every admin view shows them; no body. */
const entryFactsView = (record: JournalRecord): Record<string, unknown> => ({
  id: record.id,
  receivedAt: record.receivedAt.toISOString(),
  eventType: shown(record.eventType, SHOWN_EVENT_TYPE_CHARS),
  originalOrderId: record.originalOrderId,
  outcome: record.outcome,
  httpStatus: record.httpStatus,
  durationMs: record.durationMs,
  detail: shown(record.detail, SHOWN_DETAIL_CHARS),
})

/**
 * An entry as the admin lists show it (an order's history, the journal): its facts, whether its body is kept, what
 * it replays; never the body (the customer's data, up to the body limit each), which only `GET /admin/journal/:id`
 * gives, for one entry, with the same facts.
 */
export const journalListView = (record: FoundJournalRecord): Record<string, unknown> => ({
  ...entryFactsView(record),
  hasBody: record.hasBody,
  replayOf: record.replayOf ?? null,
})

/** One entry with its body (as kept: erased or cleared bodies are null). */
export const journalEntryView = (record: FoundJournalRecord): Record<string, unknown> => ({
  ...journalListView(record),
  rawBody: record.rawBody,
})

/**
 * The most bytes of entries (as JSON, UTF-8) one admin list answer holds: a page stops early, with its cursor, rather
 * than grow past it. One entry's view is a few KB at most (above), so a page always holds dozens.
 */
const ADMIN_PAGE_BYTES = 256 * 1024

/** A page of entries as the admin lists answer it: the entries' views within `ADMIN_PAGE_BYTES`, and the cursor `next`. */
export const journalPageView = (
  page: JournalPage,
  maxBytes: number = ADMIN_PAGE_BYTES,
): { readonly entries: readonly Record<string, unknown>[]; readonly next: number | null } => {
  const bounded = withinBytes(
    page,
    (entry) => Buffer.byteLength(JSON.stringify(journalListView(entry)), 'utf8') + 1,
    maxBytes,
  )
  return { entries: bounded.entries.map(journalListView), next: bounded.next }
}
