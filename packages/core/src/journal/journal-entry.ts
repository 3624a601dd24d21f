/**
 * What became of one authenticated request (docs/contract.md §4):
 * - `created`: `order.created` made a new order; `duplicate`: it or a status repeated what we have.
 * - `applied`: an update changed the order; `stale`: it would have moved the order back, or came after a final status.
 * - `pending`: its order does not exist yet; it is kept and applied when the order is created.
 * - `review`: an `order.changed` that could not be read: nothing applied, the order marked for review.
 * - `ignored`: an event type the hook does not handle; `rejected`: a body that could not be understood.
 * - `failed`: the store could not answer.
 * - `expired`: not a request: the retention policy removed a pending update whose order never came (its own
 *   request is journaled as `pending`).
 */
export type Outcome =
  'created' | 'duplicate' | 'applied' | 'stale' | 'pending' | 'review' | 'ignored' | 'rejected' | 'failed' | 'expired'

export const OUTCOMES: readonly Outcome[] = [
  'created',
  'duplicate',
  'applied',
  'stale',
  'pending',
  'review',
  'ignored',
  'rejected',
  'failed',
  'expired',
]

/** One journal line: support reads these, and a rejected or failed request can be replayed from `rawBody`. */
export interface JournalEntry {
  /**
   * The request's id, given at arrival (a UUID: the edge uses `crypto.randomUUID()`): a request has one entry, and
   * every store keeps it unique, so the operation's entry, the edge's entry and a late amendment are one row
   * (`entryOnCommit`, `entryOnAnswer`). Null only for entries that are not requests (`expired`).
   */
  readonly requestId: string | null
  readonly receivedAt: Date
  /** The event type as sent, when the body had one. */
  readonly eventType: string | null
  readonly originalOrderId: string | null
  /** The body exactly as received (null when it was refused unread: wrong content type, too large). */
  readonly rawBody: string | null
  readonly outcome: Outcome
  readonly httpStatus: number
  readonly durationMs: number
  /** Why it was rejected, failed or answered late; never holds personal data the body did not already hold. */
  readonly detail: string | null
  /**
   * The id of the entry whose body this request re-ran (`journal replay`); absent for a request as SberMarket sent it.
   * A replay is a request of its own, with its own id and entry: the original keeps what happened then.
   */
  readonly replayOf?: number
}

/** A journal entry as stored, with the store's sequence number (oldest first). */
export interface JournalRecord extends JournalEntry {
  readonly id: number
}
