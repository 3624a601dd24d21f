import type * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { JournalEntry, JournalRecord } from '../journal/journal-entry.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Order } from '../order/order.js'
import type { OrderCreated, OrderUpdate, PendingApplied, UpdateOutcome } from '../order/order-event.js'
import type { RepositoryError } from './repository-error.js'

/** What `createOrGet` found or made. */
export type CreateOrGetResult =
  | { readonly _tag: 'Created'; readonly order: Order; readonly pendingApplied: readonly PendingApplied[] }
  | { readonly _tag: 'AlreadyExists'; readonly order: Order }

/** What `applyUpdate` did; `order` is the order afterwards, absent when the update was kept pending. */
export interface ApplyUpdateResult {
  readonly outcome: UpdateOutcome
  readonly order?: Order
}

/**
 * The «Заказ СМ» store. Each method is one atomic operation that the store enforces itself, so that several
 * instances of the hook sharing one store stay correct. No method throws: failures are `RepositoryError`s.
 */
export interface OrderRepository {
  /**
   * Creates the order of `event` with a new Domino number, or returns the one that exists for its key.
   * One transaction: allocate the number, insert the order under the unique key, apply the updates pending for
   * it (with `openOrder`, in the order received) and drop them. Any number of concurrent calls with one key
   * create exactly one order; all of them return it.
   */
  readonly createOrGet: (event: OrderCreated, receivedAt: Date) => TE.TaskEither<RepositoryError, CreateOrGetResult>

  /**
   * Applies an update to its order under lock (with `applyUpdate`), or keeps it pending when the order does not
   * exist yet. `rawBody` is the request body the update was decoded from: pending updates are stored as it and
   * decoded again with `pendingUpdateFromBody` when their order is created.
   */
  readonly applyUpdate: (update: OrderUpdate, rawBody: string, receivedAt: Date) => TE.TaskEither<RepositoryError, ApplyUpdateResult>

  /** Appends one entry to the journal. */
  readonly recordJournal: (entry: JournalEntry) => TE.TaskEither<RepositoryError, void>

  readonly findOrder: (originalOrderId: OriginalOrderId) => TE.TaskEither<RepositoryError, O.Option<Order>>

  /** The journal entries that name this order, oldest first. */
  readonly listJournal: (originalOrderId: string) => TE.TaskEither<RepositoryError, readonly JournalRecord[]>

  /** Succeeds when the store can answer now; `/readyz` asks it. */
  readonly ping: () => TE.TaskEither<RepositoryError, void>
}
