import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type mssql from 'mssql'
import {
  MAX_ORDER_ID_LENGTH,
  type ApplyUpdateResult,
  type Clock,
  type CreateOrGetResult,
  type JournalEntry,
  type JournalRecord,
  type Journaled,
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
import { withBudget, type OperationBudget } from './operation-budget.js'
import { applyUpdateOperation } from './operations/apply-update-operation.js'
import { createOrGetOperation } from './operations/create-or-get-operation.js'
import { operationContext, type OperationContext } from './operations/operation-context.js'
import { applyRetentionOperation, storeStatsOperation } from './operations/retention-operation.js'
import { journalRecordFromRow } from './rows/journal-row-mapping.js'
import { orderFromRows } from './rows/order-row-mapping.js'
import type { SchemaName } from './schema-name.js'
import { repositoryErrorOf } from './sql-error.js'
import { JOURNAL_ID_VARIABLE } from './sql/journal-statements.js'
import { inOneBatchTransaction, outsideTransaction } from './sql/operation-batches.js'
import { readInteger } from './rows/column-values.js'

/** What the repository needs to know of the settings. */
export interface RepositoryOptions {
  readonly schema: SchemaName
  /** The budget of one operation, all its round trips included (DOMINO_DB_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number
}

/**
 * The «Заказ СМ» store on the Domino SQL Server database. Every operation on an order key is one transaction on one
 * pooled connection (XACT_ABORT ON), under the key's application lock, inside one time budget, in two round trips:
 * the pure decisions (`openOrder`, `applyUpdate`, the journal entry) are taken between them, in TypeScript.
 * Nothing thrown leaves a method.
 */
export class MssqlOrderRepository implements OrderRepository {
  private readonly context: OperationContext

  constructor(
    private readonly pool: mssql.ConnectionPool,
    private readonly options: RepositoryOptions,
    clock: Clock,
  ) {
    this.context = operationContext(pool, options.schema, clock)
  }

  private operation<A>(name: string, body: (budget: OperationBudget) => Promise<A>): TE.TaskEither<RepositoryError, A> {
    return TE.tryCatch(
      () => withBudget(this.options.requestTimeoutMs, body),
      (error) => repositoryErrorOf(name, error),
    )
  }

  readonly createOrGet = (event: OrderCreated, receipt: RequestReceipt): TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>> =>
    this.operation('createOrGet', (budget) => createOrGetOperation(this.context, budget, event, receipt))

  readonly applyUpdate = (update: OrderUpdate, receipt: RequestReceipt): TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>> =>
    this.operation('applyUpdate', (budget) => applyUpdateOperation(this.context, budget, update, receipt))

  readonly recordJournal = (entry: JournalEntry): TE.TaskEither<RepositoryError, number> =>
    this.operation('recordJournal', async (budget) => {
      const recordsets = await outsideTransaction(this.pool, budget, [this.context.journal.insertEntry(entry, this.context.clock.now())], [JOURNAL_ID_VARIABLE])
      return readInteger(recordsets[recordsets.length - 1]?.[0] ?? {}, 'journal', JOURNAL_ID_VARIABLE)
    })

  readonly amendJournalStatus = (id: number, httpStatus: number, detail: string): TE.TaskEither<RepositoryError, void> =>
    this.operation('amendJournalStatus', async (budget) => {
      await outsideTransaction(this.pool, budget, [this.context.journal.amendStatus(id, httpStatus, detail)])
    })

  readonly findOrder = (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    this.operation('findOrder', async (budget): Promise<O.Option<Order>> => {
      if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return O.none
      const [headers, lines] = await inOneBatchTransaction(this.pool, budget, [this.context.orders.readOrder(originalOrderId, budget.lockWaitMs())])
      const header = headers?.[0]
      return header === undefined ? O.none : O.some(orderFromRows(header, lines ?? []))
    })

  readonly listJournal = (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    this.operation('listJournal', async (budget): Promise<readonly JournalRecord[]> => {
      if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return []
      const [rows] = await outsideTransaction(this.pool, budget, [this.context.journal.listByOrder(originalOrderId)])
      return (rows ?? []).map(journalRecordFromRow)
    })

  readonly ping = (): TE.TaskEither<RepositoryError, void> =>
    this.operation('ping', async (budget) => {
      await outsideTransaction(this.pool, budget, [this.context.journal.ping()])
    })

  /** Each batch of the run has its own budget of DOMINO_DB_REQUEST_TIMEOUT_MS; the run as a whole has none. */
  readonly applyRetention = (policy: RetentionPolicy): TE.TaskEither<RepositoryError, RetentionReport> =>
    TE.tryCatch(
      () => applyRetentionOperation(this.context, this.options.requestTimeoutMs, policy),
      (error) => repositoryErrorOf('applyRetention', error),
    )

  readonly stats = (): TE.TaskEither<RepositoryError, StoreStats> => this.operation('stats', (budget) => storeStatsOperation(this.context, budget))

  /** Closes the connection pool; afterwards every operation fails with StoreUnavailable. */
  close(): Promise<void> {
    return this.pool.close()
  }
}
