import type { JournalEntry, Outcome } from './journal-entry.js'

/** What a request was and what became of it: the part of a journal entry the domain knows. */
export interface EntryFacts {
  readonly eventType: string | null
  readonly originalOrderId: string | null
  readonly outcome: Outcome
  readonly detail: string | null
}

/** What the edge adds to the facts: the request as received, the status answered, the time taken. */
export interface Delivery {
  /** The request's id, given at arrival: its one journal entry is written under it. */
  readonly requestId: string
  readonly rawBody: string | null
  readonly receivedAt: Date
  readonly httpStatus: number
  readonly durationMs: number
}

export const journalEntry = (facts: EntryFacts, delivery: Delivery): JournalEntry => ({ ...facts, ...delivery })
