import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type {
  ApplyUpdateResult,
  CreateOrGetResult,
  ErasureReport,
  FoundJournalRecord,
  JournalEntry,
  JournalQuery,
  JournalRecord,
  JournalSummary,
  JournalSummaryQuery,
  Journaled,
  OrderForReview,
  Order,
  OrderCreated,
  OrderRepository,
  OrderUpdate,
  OriginalOrderId,
  RepositoryError,
  RequestReceipt,
  RetentionPolicy,
  RetentionReport,
  StoreStats,
} from '@domino-sm/core'
import type { StoreWorkerClient } from './store-worker-client.js'
import type { StoreCall } from '../shared/store-protocol.js'
import { resultOfCreate, type CreateOrGetReply } from '../shared/created-reply.js'

/**
 * `OrderRepository` on the SQLite file, as the main thread sees it: each method sends plain data to the worker
 * thread that owns the connection (`StoreWorkerClient`) and maps its answer back. Nothing here blocks: the lock
 * wait, the statements, the commit and its fsync all run in the worker. Each call carries a budget of
 * `busyTimeoutMs` from the moment it is sent: the worker answers `StoreTimeout` at its end and never runs a write
 * whose budget has passed, so a write answered `StoreTimeout` has not been committed. The budget is not cut to a
 * receipt's `answerBy`: the edge answers 503 at its deadline by itself, and an operation that still commits
 * after it is journaled as answered 503 (core's `journalEntryAtCommit`), which is what the client saw.
 */
/**
 * The budget of an erasure (`personal-data erase`, a support command: no SberMarket waits for it). Bodies nested as deep
 * as a 1 MiB body allows cost the worker a few hundred milliseconds each to parse and erase, more than a hook request's
 * budget for a key with several; cut short, the erasure would leave the customer's data readable.
 */
const ERASURE_BUDGET_MS = 30_000

export class SqliteOrderRepository implements OrderRepository {
  constructor(
    private readonly client: StoreWorkerClient,
    private readonly busyTimeoutMs: number,
  ) {}

  private send<A>(call: StoreCall, budgetMs: number = this.busyTimeoutMs): TE.TaskEither<RepositoryError, A> {
    return () => this.client.call(call, Date.now() + budgetMs) as Promise<E.Either<RepositoryError, A>>
  }

  readonly createOrGet =
    (event: OrderCreated, receipt: RequestReceipt): TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>> =>
    async () =>
      E.map((reply: CreateOrGetReply) => resultOfCreate(event, reply))(
        await this.send<CreateOrGetReply>({ op: 'createOrGet', event, receipt })(),
      )

  readonly applyUpdate = (
    update: OrderUpdate,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>> => this.send({ op: 'applyUpdate', update, receipt })

  readonly recordJournal =
    (entry: JournalEntry): TE.TaskEither<RepositoryError, number> =>
    () =>
      this.send<number>({ op: 'recordJournal', entry })()

  readonly findOrder =
    (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    async () =>
      E.map((order: Order | null) => O.fromNullable(order))(
        await this.send<Order | null>({ op: 'findOrder', key: originalOrderId })(),
      )

  readonly listJournal =
    (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    () =>
      this.send<readonly JournalRecord[]>({ op: 'listJournal', key: originalOrderId })()

  readonly searchJournal =
    (query: JournalQuery): TE.TaskEither<RepositoryError, readonly FoundJournalRecord[]> =>
    () =>
      this.send<readonly FoundJournalRecord[]>({ op: 'searchJournal', query })()

  readonly summariseJournal =
    (query: JournalSummaryQuery): TE.TaskEither<RepositoryError, JournalSummary> =>
    () =>
      this.send<JournalSummary>({ op: 'summariseJournal', query })()

  readonly ordersForReview =
    (limit: number): TE.TaskEither<RepositoryError, readonly OrderForReview[]> =>
    () =>
      this.send<readonly OrderForReview[]>({ op: 'ordersForReview', limit })()

  readonly erasePersonalData = (
    originalOrderId: OriginalOrderId,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, ErasureReport> =>
    this.send(
      { op: 'erasePersonalData', key: originalOrderId, receipt },
      Math.max(this.busyTimeoutMs, ERASURE_BUDGET_MS),
    )

  readonly ping = (): TE.TaskEither<RepositoryError, void> => () => this.send<void>({ op: 'ping' })()

  readonly applyRetention =
    (policy: RetentionPolicy): TE.TaskEither<RepositoryError, RetentionReport> =>
    () =>
      this.send<RetentionReport>({ op: 'applyRetention', policy })()

  readonly stats = (): TE.TaskEither<RepositoryError, StoreStats> => () => this.send<StoreStats>({ op: 'stats' })()

  /** Drains and stops the worker; afterwards every call fails with `StoreUnavailable`. */
  close(): Promise<void> {
    return this.client.close()
  }
}
