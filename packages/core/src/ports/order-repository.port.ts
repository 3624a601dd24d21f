import type * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Journaled, RequestReceipt } from '../journal/request-receipt.js'
import type { JournalEntry, JournalRecord } from '../journal/journal-entry.js'
import type { FoundJournalRecord, JournalQuery } from '../journal/journal-query.js'
import type { JournalSummary, JournalSummaryQuery, OrderForReview } from '../journal/journal-summary.js'
import type { RetentionPolicy, RetentionReport, StoreStats } from '../journal/retention.js'
import type { ErasureReport } from '../personal-data/erase-personal-data.js'
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
   * entry (`createJournalEntry`, completed at commit time; when the edge already wrote the entry of
   * `receipt.requestId`, that entry becomes `entryOnCommit(entry, existing)`). Any number of concurrent calls with one key create
   * exactly one order; all of them return it, and each one's entry is committed with its outcome. The pending updates
   * are those of every key of `pendingKeysOf(event)` (its `orderUUID` too), in the order received across them; an
   * event whose key has no order but whose `orderUuidToFind` names an order (keyed by `orderUUID` alone: an order's
   * `orderUuid`; with an `orderUUID` beside its key: the order of that key, or else an order's `orderUuid`) returns
   * that order (`AlreadyExists`, journaled `addressedTo` it).
   */
  readonly createOrGet: (
    event: OrderCreated,
    receipt: RequestReceipt,
  ) => TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>>

  /**
   * Applies an update to its order under lock (with `applyUpdate`, writing the order back when `changesOrder`), or
   * keeps it pending when the order does not exist yet (as `receipt.rawBody`, decoded again with
   * `pendingUpdateFromBody` when its order is created), and journals the request (`updateJournalEntry`, or `entryOnCommit` over an entry the edge already wrote for
   * `receipt.requestId`), all in one transaction. An update whose key has no order applies to the order that
   * `orderUuidToFind(update)` names (the order of that key when it came beside another key, else the earliest order
   * with that `orderUuid`), looked up in that transaction under that order's lock, and is decided and journaled
   * `addressedTo` it (docs/contract.md §4).
   */
  readonly applyUpdate: (
    update: OrderUpdate,
    receipt: RequestReceipt,
  ) => TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>>

  /**
   * Writes the one entry of request `entry.requestId`, for requests that reach no order operation (rejected,
   * ignored, failed) and for what the edge answered when it gave up on an operation: inserts it, or, when the
   * request already has an entry (its operation committed after all, or an earlier attempt of this write landed),
   * replaces that entry with `entryOnAnswer(existing, entry)`, atomically. Safe to retry. Answers the entry's id.
   * An entry whose `requestId` is null (not a request) is always inserted.
   */
  readonly recordJournal: (entry: JournalEntry) => TE.TaskEither<RepositoryError, number>

  readonly findOrder: (originalOrderId: OriginalOrderId) => TE.TaskEither<RepositoryError, O.Option<Order>>

  /**
   * Every journal entry that names this order, oldest first, bodies included: unbounded (an order's history can
   * hold hundreds of bodies of up to the body limit each), so no answer of the service reads it. Support's reads page
   * with `searchJournal` (core's `orderHistoryPage`, `GET /admin/journal`); this one is for tests and small tools.
   */
  readonly listJournal: (originalOrderId: string) => TE.TaskEither<RepositoryError, readonly JournalRecord[]>

  /**
   * The entries a query selects, oldest first (`journal list`, `journal replay`, an order's history, `GET /admin/journal`): at most
   * `query.limit` of them, after `query.afterId`; bodies only when `query.withBodies`. A read: it takes no lock.
   * Without bodies the store does not read them at all (not into its own memory, not across a thread or the wire):
   * a page of a key whose entries hold hundreds of large bodies costs what a page of small ones does.
   */
  readonly searchJournal: (query: JournalQuery) => TE.TaskEither<RepositoryError, readonly FoundJournalRecord[]>

  /**
   * Erases the personal data of one order key (`personal-data erase`), in one transaction under the key's lock:
   * the order's customer and address, its payload and the change kept for review (`eraseFromOrder`), the bodies of
   * the key's journal entries and pending updates that hold any (`eraseFromBody`, only where `holdsPersonalData`),
   * and journals it (`erasureJournalEntry`, under `receipt.requestId`). The order's number, lines, statuses and the
   * journal's facts stay. Safe to run again: a second run finds nothing left to erase and journals that.
   */
  readonly erasePersonalData: (
    originalOrderId: OriginalOrderId,
    receipt: RequestReceipt,
  ) => TE.TaskEither<RepositoryError, ErasureReport>

  /** Succeeds when the store can answer now; `/readyz` asks it. */
  readonly ping: () => TE.TaskEither<RepositoryError, void>

  /**
   * Applies the retention policy (see `RetentionPolicy`) in batches of `policy.batchSize`, each batch one
   * transaction. Safe when several instances run it at once: a body is cleared once, a pending update is expired
   * (deleted and journaled `expired`) by exactly one of them.
   */
  readonly applyRetention: (policy: RetentionPolicy) => TE.TaskEither<RepositoryError, RetentionReport>

  /**
   * The requests of a time range counted in the store by one query (the console's Today page), not read entry by
   * entry: support's actions are not requests (core's `isRequestEntry`), `since` is included and `until` is not. A read:
   * it takes no lock, and an index on the time received serves it in every database store.
   */
  readonly summariseJournal: (query: JournalSummaryQuery) => TE.TaskEither<RepositoryError, JournalSummary>

  /**
   * The orders that carry a review mark now, oldest mark first (orders marked at the same time in the order they
   * were created), at most `limit` of them (and never more than `MAX_REVIEW_LIST`), with the mark's time and reasons.
   * A read from the order headers alone, by the index of marked orders.
   */
  readonly ordersForReview: (limit: number) => TE.TaskEither<RepositoryError, readonly OrderForReview[]>

  /** Row counts and oldest rows per table (`journal stats`). */
  readonly stats: () => TE.TaskEither<RepositoryError, StoreStats>
}
