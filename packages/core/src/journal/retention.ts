import type { JournalEntry } from './journal-entry.js'

/**
 * What the retention policy removes in one run, so that no customer's personal data is kept forever (README
 * "Retention"). Journal entries keep their
 * facts (time, event type, key, outcome, status, duration, detail) for good; only the raw body, which holds the
 * customer's name, phone and address, is cleared. Pending updates whose order never came are deleted, each with a
 * journal entry `expired`.
 */
export interface RetentionPolicy {
  /** Entries received before this lose their raw body. */
  readonly clearBodiesReceivedBefore: Date
  /** Pending updates received before this are deleted and journaled as `expired`. */
  readonly expirePendingReceivedBefore: Date
  /** The time of this run: the `receivedAt` of the `expired` entries. */
  readonly now: Date
  /**
   * At most this many rows of each kind in one transaction, so that a run never holds the store for long; a store
   * loops over batches until nothing is left.
   */
  readonly batchSize: number
  /**
   * When set, the personal data of orders delivered or cancelled and last changed before this time is erased as
   * `personal-data erase` erases it (`OrderRepository.erasePersonalData`, each order journaled), once per order (the
   * store marks the orders it erased). Absent: off, the default (the retailer decides: README "Retention").
   */
  readonly eraseClosedOrdersBefore?: Date
}

/** What one run did. Runs on several instances at once are safe: each row is cleared or expired by one of them. */
export interface RetentionReport {
  readonly bodiesCleared: number
  readonly pendingExpired: number
  /** Orders whose personal data the run erased; absent when the policy erases none. */
  readonly ordersErased?: number
}

/** Row count and oldest row of one table (for `journal stats`). */
export interface TableStats {
  readonly table: string
  readonly rows: number
  /** The oldest `received_at` (or creation time) in the table; null when it is empty. */
  readonly oldest: Date | null
}

/** What the store holds, per table, and how many journal entries still carry a raw body. */
export interface StoreStats {
  readonly tables: readonly TableStats[]
  readonly journalBodies: number
  /** The oldest `received_at` of a journal entry that still has its raw body; null when none has. */
  readonly oldestJournalBody: Date | null
  /** Orders marked for review that no person has cleared yet (docs/contract.md §2), and the oldest mark's time. */
  readonly ordersForReview: number
  readonly oldestReviewMark: Date | null
}

/**
 * How `stats` lists the change queue of one consumer of a store that has them (the Domino store: Domino's jobs take
 * the changes): as a table of its own, `order_change[NAME]`, its rows the changes not taken yet, `oldest` the oldest
 * of them. `changeQueueConsumer` reads the name back (undefined for any other table).
 */
export const changeQueueTable = (consumer: string): string => `order_change[${consumer}]`

export const changeQueueConsumer = (table: string): string | undefined => /^order_change\[(.+)\]$/.exec(table)?.[1]

/** The journal entry of a pending update that the retention policy deleted. */
export const expiredPendingEntry = (originalOrderId: string, pendingReceivedAt: Date, now: Date): JournalEntry => ({
  requestId: null,
  receivedAt: now,
  eventType: null,
  originalOrderId,
  rawBody: null,
  outcome: 'expired',
  // Not a request: the status its own request was answered (it is journaled as `pending`, answered 200).
  httpStatus: 200,
  durationMs: 0,
  detail: `a pending update received ${pendingReceivedAt.toISOString()} was removed unapplied: its order never came`,
})
