import type * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Journaled, RequestReceipt } from '../journal/journal-at-commit.js'
import type { JournalEntry, JournalRecord } from '../journal/journal-entry.js'
import type { RetentionPolicy, RetentionReport, StoreStats } from '../journal/retention.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Order } from '../order/order.js'
import type { OrderCreated, OrderUpdate } from '../order/order-event.js'
import type { ApplyUpdateResult, CreateOrGetResult } from '../order/operation-result.js'

export type { ApplyUpdateResult, CreateOrGetResult }
import type { RepositoryError } from './repository-error.js'

/**
 * The «Заказ СМ» store. Each method is one atomic operation that the store enforces itself, so that several
 * instances of the hook sharing one store stay correct. No method throws: failures are `RepositoryError`s.
 */
export interface OrderRepository {
  /**
   * Creates the order of `event` with a new Domino number, or returns the one that exists for its key, and
   * journals the request. One transaction: allocate the number, insert the order under the unique key, apply the
   * updates pending for it (with `openOrder`, in the order received), drop them, and insert the request's journal
   * entry (`createJournalEntry`, completed at commit time). Any number of concurrent calls with one key create
   * exactly one order; all of them return it, and each one's entry is committed with its outcome.
   */
  readonly createOrGet: (event: OrderCreated, receipt: RequestReceipt) => TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>>

  /**
   * Applies an update to its order under lock (with `applyUpdate`, writing the order back when `changesOrder`), or
   * keeps it pending when the order does not exist yet (as `receipt.rawBody`, decoded again with
   * `pendingUpdateFromBody` when its order is created), and journals the request (`updateJournalEntry`), all in one transaction.
   */
  readonly applyUpdate: (update: OrderUpdate, receipt: RequestReceipt) => TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>>

  /**
   * Appends one entry to the journal: for requests that reach no order operation (rejected, ignored, failed).
   * Answers the new entry's id (for `amendJournalStatus`, when the answer turned out otherwise).
   */
  readonly recordJournal: (entry: JournalEntry) => TE.TaskEither<RepositoryError, number>

  /**
   * Sets the status and detail of a committed entry: the edge answered 503 at the deadline while the store, still
   * working, committed just in time and journaled 200. Rare; the entry then says what the client saw.
   */
  readonly amendJournalStatus: (id: number, httpStatus: number, detail: string) => TE.TaskEither<RepositoryError, void>

  readonly findOrder: (originalOrderId: OriginalOrderId) => TE.TaskEither<RepositoryError, O.Option<Order>>

  /** The journal entries that name this order, oldest first. */
  readonly listJournal: (originalOrderId: string) => TE.TaskEither<RepositoryError, readonly JournalRecord[]>

  /** Succeeds when the store can answer now; `/readyz` asks it. */
  readonly ping: () => TE.TaskEither<RepositoryError, void>

  /**
   * Applies the retention policy (see `RetentionPolicy`) in batches of `policy.batchSize`, each batch one
   * transaction. Safe when several instances run it at once: a body is cleared once, a pending update is expired
   * (deleted and journaled `expired`) by exactly one of them.
   */
  readonly applyRetention: (policy: RetentionPolicy) => TE.TaskEither<RepositoryError, RetentionReport>

  /** Row counts and oldest rows per table (`journal stats`). */
  readonly stats: () => TE.TaskEither<RepositoryError, StoreStats>
}
