import type { JournalEntry } from './journal-entry.js'

/**
 * A hook request as the store journals it, in the same transaction as the order operation it causes, so that an
 * order never exists without the entry of the request that made or changed it (a process killed between two
 * transactions would lose the entry).
 */
export interface RequestReceipt {
  /** The request's id (see `JournalEntry.requestId`): the operation writes the request's one entry under it. */
  readonly requestId: string
  /** When the request's bytes arrived: the deadline and the duration count from here. */
  readonly receivedAt: Date
  /**
   * When the answer is due (`receivedAt` + the hook's deadline). An operation that commits later than this is
   * journaled as answered 503, because the edge has answered 503 by then.
   */
  readonly answerBy: Date
  /** The event type as sent. */
  readonly eventType: string
  /** The body exactly as received. */
  readonly rawBody: string
  /** The entry this request replays (`JournalEntry.replayOf`); absent for a request from SberMarket. */
  readonly replayOf?: number
}

/** What the journal says of a committed operation: the entry's id and the status it records as answered. */
export interface JournalStamp {
  readonly id: number
  readonly httpStatus: number
  readonly detail: string | null
}

/** The store's result of an operation, and the journal entry committed with it. */
export interface Journaled<A> {
  readonly result: A
  readonly journal: JournalStamp
}

/** The stamp of a stored entry. */
export const stampOf = (id: number, entry: JournalEntry): JournalStamp => ({
  id,
  httpStatus: entry.httpStatus,
  detail: entry.detail,
})
