import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type mssql from 'mssql'
import {
  entryOnAnswer,
  MAX_ORDER_ID_LENGTH,
  type ApplyUpdateResult,
  type Clock,
  type CreateOrGetResult,
  type ErasureReport,
  type FoundJournalRecord,
  type JournalEntry,
  type JournalQuery,
  type JournalRecord,
  type JournalSummary,
  type JournalSummaryQuery,
  type Journaled,
  type OrderForReview,
  type Order,
  type OrderCreated,
  type OrderRepository,
  type OrderUpdate,
  type OriginalOrderId,
  type RepositoryError,
  type RequestReceipt,
  type RetentionPolicy,
  type RetentionReport,
  type StoreStats,
} from '@domino-sm/core'
import { withBudget, type OperationBudget } from './driver/operation-budget.js'
import { applyUpdateOperation } from './operations/apply-update-operation.js'
import { createOrGetOperation, rowWith } from './operations/create-or-get-operation.js'
import { erasureOperation } from './operations/erasure-operation.js'
import { operationContext, retryWithinBudget, type OperationContext } from './operations/operation-context.js'
import { applyRetentionOperation, storeStatsOperation } from './operations/retention-operation.js'
import { ordersForReviewOperation, summariseJournalOperation } from './operations/summary-operation.js'
import { readInteger, readOptionalFlag } from './rows/column-values.js'
import { journalRecordFromRow } from './rows/journal-row-mapping.js'
import { orderFromRows } from './rows/order-row-mapping.js'
import type { SchemaName } from './settings/schema-name.js'
import { repositoryErrorOf } from './driver/sql-error.js'
import { JOURNAL_ID_COLUMN } from './sql/journal-statements.js'
import { keyLockParams, keyLockText } from './sql/key-lock.js'
import { inTransaction, outsideTransaction } from './driver/requests.js'
import { supportStatements } from './sql/support-statements.js'
import { together, type SqlStatement } from './sql/sql-statement.js'

/**
 * The budget of support's operations (`journal list`/`replay`'s query, `personal-data erase`): no SberMarket request
 * waits for them, and a query by time or outcome over a long journal may scan more than the hook's budget allows.
 * An erasure holds its key's lock meanwhile: only requests for that one order wait.
 */
const SUPPORT_BUDGET_MS = 30_000

/** What the repository needs to know of the settings. */
export interface RepositoryOptions {
  readonly schema: SchemaName
  /** The budget of one operation, all its round trips and the wait for a connection included (DOMINO_DB_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number
}

/**
 * The «Заказ СМ» store on the Domino SQL Server database. Every write to an order key is one transaction (READ
 * COMMITTED, XACT_ABORT ON) under the key's application lock, inside one time budget. A create: begin (mssql's
 * `Transaction`), a request that locks and reads, a request that writes (the journal entry included), commit. An
 * update: a read without a lock, then one request that begins, locks, checks that the order is still as read, writes
 * and commits (`operations/apply-update-operation.ts`). The pure decisions (`openOrder`, `applyUpdate`, the journal
 * entry) are taken between the read and the write, in TypeScript.
 * Every request is parameterised; nothing thrown leaves a method. `pool` answers the pool as it is now (it throws
 * `NotConnected` while the store waits for its database).
 */
export class MssqlOrderRepository implements OrderRepository {
  private readonly context: OperationContext

  constructor(
    pool: () => mssql.ConnectionPool,
    private readonly options: RepositoryOptions,
    clock: Clock,
  ) {
    this.context = operationContext(pool, options.schema, clock)
  }

  private operation<A>(
    name: string,
    body: (budget: OperationBudget) => Promise<A>,
    budgetMs: number = this.options.requestTimeoutMs,
  ): TE.TaskEither<RepositoryError, A> {
    return TE.tryCatch(
      () => withBudget(budgetMs, body),
      (error) => repositoryErrorOf(name, error),
    )
  }

  readonly createOrGet = (
    event: OrderCreated,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>> =>
    this.operation('createOrGet', (budget) => createOrGetOperation(this.context, budget, event, receipt))

  readonly applyUpdate = (
    update: OrderUpdate,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>> =>
    this.operation('applyUpdate', (budget) => applyUpdateOperation(this.context, budget, update, receipt))

  /**
   * The request's one entry. Usually one request: insert unless the request id has an entry. When it has one (the
   * store committed the request's operation after all, or an earlier attempt of this write landed), a transaction
   * takes the order key's lock (which every operation on the key holds while it writes its entry), reads the entry
   * for update, merges with core's `entryOnAnswer`, and rewrites it.
   */
  readonly recordJournal = (entry: JournalEntry): TE.TaskEither<RepositoryError, number> =>
    this.operation('recordJournal', async (budget) => {
      const { journal } = this.context
      const storedAt = this.context.clock.now()
      const requestId = entry.requestId
      if (requestId === null) {
        const inserted = await outsideTransaction(this.context.pool, budget, journal.insertEntry(entry, storedAt))
        return readInteger(rowWith(inserted, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN)
      }
      const [rows] = await outsideTransaction(
        this.context.pool,
        budget,
        journal.insertUnlessRequestJournaled({ ...entry, requestId }, storedAt),
      )
      const row = rows?.[0]
      if (row === undefined)
        return retryWithinBudget('recordJournal', budget, () => this.rewriteAnswered(budget, { ...entry, requestId }))
      if (row['inserted'] === true || row['inserted'] === 1) return readInteger(row, 'journal', 'id')
      return retryWithinBudget('recordJournal', budget, () => this.rewriteAnswered(budget, { ...entry, requestId }))
    })

  private rewriteAnswered(
    budget: OperationBudget,
    entry: JournalEntry & { readonly requestId: string },
  ): Promise<number> {
    const { journal } = this.context
    return inTransaction(this.context.pool, budget, async (send) => {
      const key = entry.originalOrderId
      const lock: SqlStatement[] =
        key === null || key.length > MAX_ORDER_ID_LENGTH
          ? []
          : [
              {
                text: keyLockText(this.options.schema, 'Exclusive'),
                params: keyLockParams(this.options.schema, key, budget.lockWaitMs()),
              },
            ]
      const [found] = await send(together([...lock, journal.ofRequest(entry.requestId, true)]))
      const row = found?.[0]
      if (row === undefined) {
        const inserted = await send(journal.insertEntry(entry, this.context.clock.now()))
        return readInteger(rowWith(inserted, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN)
      }
      const existing = journalRecordFromRow(row)
      await send(journal.rewriteEntry(existing.id, entryOnAnswer(existing, entry)))
      return existing.id
    })
  }

  readonly findOrder = (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    this.operation('findOrder', async (budget): Promise<O.Option<Order>> => {
      if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return O.none
      const [headers, lines] = await inTransaction(this.context.pool, budget, (send) =>
        send(this.context.orders.readOrder(originalOrderId, budget.lockWaitMs())),
      )
      const header = headers?.[0]
      return header === undefined ? O.none : O.some(orderFromRows(header, lines ?? []))
    })

  readonly listJournal = (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    this.operation('listJournal', async (budget): Promise<readonly JournalRecord[]> => {
      if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return []
      const [rows] = await outsideTransaction(
        this.context.pool,
        budget,
        this.context.journal.listByOrder(originalOrderId),
      )
      return (rows ?? []).map(journalRecordFromRow)
    })

  readonly searchJournal = (query: JournalQuery): TE.TaskEither<RepositoryError, readonly FoundJournalRecord[]> =>
    this.operation(
      'searchJournal',
      async (budget): Promise<readonly FoundJournalRecord[]> => {
        if (query.originalOrderId !== undefined && query.originalOrderId.length > MAX_ORDER_ID_LENGTH) return []
        const [rows] = await outsideTransaction(
          this.context.pool,
          budget,
          supportStatements(this.options.schema).searchJournal(query),
        )
        return (rows ?? []).map((row) => ({
          ...journalRecordFromRow(row),
          hasBody: readOptionalFlag(row, 'journal', 'has_body') === true,
        }))
      },
      SUPPORT_BUDGET_MS,
    )

  /** Support's read (the console's Today page): the support budget, as `searchJournal`. */
  readonly summariseJournal = (query: JournalSummaryQuery): TE.TaskEither<RepositoryError, JournalSummary> =>
    this.operation(
      'summariseJournal',
      (budget) => summariseJournalOperation(this.context, budget, query),
      SUPPORT_BUDGET_MS,
    )

  readonly ordersForReview = (limit: number): TE.TaskEither<RepositoryError, readonly OrderForReview[]> =>
    this.operation(
      'ordersForReview',
      (budget) => ordersForReviewOperation(this.context, budget, limit),
      SUPPORT_BUDGET_MS,
    )

  readonly erasePersonalData = (
    originalOrderId: OriginalOrderId,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, ErasureReport> =>
    this.operation(
      'erasePersonalData',
      (budget) => erasureOperation(this.context, budget, originalOrderId, receipt),
      SUPPORT_BUDGET_MS,
    )

  readonly ping = (): TE.TaskEither<RepositoryError, void> =>
    this.operation('ping', async (budget) => {
      await outsideTransaction(this.context.pool, budget, this.context.journal.ping())
    })

  /** Each batch of the run has its own budget of DOMINO_DB_REQUEST_TIMEOUT_MS; the run as a whole has none. */
  readonly applyRetention = (policy: RetentionPolicy): TE.TaskEither<RepositoryError, RetentionReport> =>
    TE.tryCatch(
      () => applyRetentionOperation(this.context, this.options.requestTimeoutMs, policy),
      (error) => repositoryErrorOf('applyRetention', error),
    )

  readonly stats = (): TE.TaskEither<RepositoryError, StoreStats> =>
    this.operation('stats', (budget) => storeStatsOperation(this.context, budget))
}
