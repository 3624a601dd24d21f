import type { JournalRecord, Outcome } from './journal-entry.js'

/**
 * Which journal entries support asks for (`journal list`, `journal replay`, an order's history, `GET /admin/journal`). Every filter
 * given must hold; an absent one does not filter. Entries come oldest first (by id), after `afterId`, at most `limit`.
 */
export interface JournalQuery {
  /** Only these entry ids. */
  readonly ids?: readonly number[]
  /** Only entries of this order key. */
  readonly originalOrderId?: string
  /** Only entries with one of these outcomes. */
  readonly outcomes?: readonly Outcome[]
  /** Received at or after this time. */
  readonly since?: Date
  /** Received before this time. */
  readonly until?: Date
  /** Only entries that took at least this many milliseconds (the answers near the deadline). */
  readonly durationAtLeastMs?: number
  /** Only entries of orders that carry a review mark now (`Order.review`). */
  readonly forReview?: boolean
  /** Entries with a greater id (the cursor of the next page). */
  readonly afterId?: number
  /** At most this many entries. */
  readonly limit: number
  /**
   * Whether the raw bodies are read: a list of many entries does not need them (and should not carry personal
   * data), a replay does. Without, every `rawBody` is null and `hasBody` says whether one is kept.
   */
  readonly withBodies: boolean
}

/** An entry as a query finds it: `hasBody` says whether its raw body is still kept, read or not. */
export interface FoundJournalRecord extends JournalRecord {
  readonly hasBody: boolean
}

/** The most entries one query answers; pages beyond it go on with `afterId`. */
export const MAX_JOURNAL_PAGE = 1000

/**
 * Whether a record satisfies a query's filters (not the page: `afterId`, `limit`); `forReview` is the store's to
 * judge, with `markedForReview`. The in-memory store uses it, and the stores' tests compare their SQL to it.
 */
export const matchesJournalQuery = (
  query: JournalQuery,
  record: {
    readonly id: number
    readonly originalOrderId: string | null
    readonly outcome: Outcome
    readonly receivedAt: Date
    readonly durationMs: number
  },
  markedForReview: (originalOrderId: string) => boolean,
): boolean =>
  (query.ids === undefined || query.ids.includes(record.id)) &&
  (query.originalOrderId === undefined || record.originalOrderId === query.originalOrderId) &&
  (query.outcomes === undefined || query.outcomes.includes(record.outcome)) &&
  (query.since === undefined || record.receivedAt.getTime() >= query.since.getTime()) &&
  (query.until === undefined || record.receivedAt.getTime() < query.until.getTime()) &&
  (query.durationAtLeastMs === undefined || record.durationMs >= query.durationAtLeastMs) &&
  (query.forReview !== true || (record.originalOrderId !== null && markedForReview(record.originalOrderId)))
