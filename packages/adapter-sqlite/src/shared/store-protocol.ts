import type {
  JournalEntry,
  JournalQuery,
  JournalSummaryQuery,
  OriginalOrderId,
  OrderCreated,
  OrderUpdate,
  RepositoryError,
  RequestReceipt,
  RetentionPolicy,
} from '@domino-sm/core'
import type { ResolvedSqliteSettings } from '../main-thread/sqlite-settings.js'

/**
 * What the main thread asks the store's worker. Plain data only (structured clone): the worker runs core's
 * decisions itself, so nothing but events, receipts and results crosses the thread boundary.
 * `expiresAt` (epoch ms) is the operation's budget: past it the worker answers `StoreTimeout` without running it.
 */
export type StoreCall =
  | { readonly op: 'createOrGet'; readonly event: OrderCreated; readonly receipt: RequestReceipt }
  | { readonly op: 'applyUpdate'; readonly update: OrderUpdate; readonly receipt: RequestReceipt }
  | { readonly op: 'recordJournal'; readonly entry: JournalEntry }
  | { readonly op: 'findOrder'; readonly key: string }
  | { readonly op: 'listJournal'; readonly key: string }
  | { readonly op: 'ping' }
  | { readonly op: 'applyRetention'; readonly policy: RetentionPolicy }
  | { readonly op: 'stats' }
  | { readonly op: 'searchJournal'; readonly query: JournalQuery }
  | { readonly op: 'summariseJournal'; readonly query: JournalSummaryQuery }
  | { readonly op: 'ordersForReview'; readonly limit: number }
  | { readonly op: 'erasePersonalData'; readonly key: OriginalOrderId; readonly receipt: RequestReceipt }

export type StoreRequest = StoreCall & { readonly id: number; readonly expiresAt: number }

/** Tells the worker to finish what it holds, close its connection and exit. */
interface CloseRequest {
  readonly op: 'close'
}

/**
 * The requests of one turn of the main thread's event loop go as one message (an array when there are several), and
 * the replies to one group commit come back as one: every message is a structured clone, a wake-up of the other
 * thread and an event dispatched there, which under load cost more than the copying itself.
 */
export type ToWorker = StoreRequest | readonly StoreRequest[] | CloseRequest

/** The worker's answer to one request. */
export type StoreReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: RepositoryError }

/** Sent once the worker's connection is open (or could not be). */
export type WorkerStatus = { readonly status: 'ready' } | { readonly status: 'failed'; readonly reason: string }

export type FromWorker = StoreReply | readonly StoreReply[] | WorkerStatus

/** Whether a message holds several requests or replies (`ToWorker`, `FromWorker`). */
export const isBatch = <A>(message: A | readonly A[]): message is readonly A[] => Array.isArray(message)

/** What a worker is started with (`workerData`). */
export interface StoreWorkerData {
  readonly role: 'store' | 'checkpointer'
  readonly settings: ResolvedSqliteSettings
  /** The checkpointer runs a PASSIVE checkpoint this often. */
  readonly checkpointEveryMs: number
}
