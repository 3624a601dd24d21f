import type { JournalEntry, Outcome } from '../journal/journal-entry.js'

/** What a request was and what became of it: the part of a journal entry the domain knows. */
export interface ReceiptFacts {
  readonly eventType: string | null
  readonly originalOrderId: string | null
  readonly outcome: Outcome
  readonly detail: string | null
}

/** What the edge adds to the facts: the request as received, the status answered, the time taken. */
export interface Delivery {
  readonly rawBody: string | null
  readonly receivedAt: Date
  readonly httpStatus: number
  readonly durationMs: number
}

export const journalEntry = (facts: ReceiptFacts, delivery: Delivery): JournalEntry => ({ ...facts, ...delivery })
