import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type mssql from 'mssql'
import {
  applyUpdate as decideUpdate,
  dominoNumberFromSequence,
  MAX_ORDER_ID_LENGTH,
  openOrder,
  pendingUpdateFromBody,
  type ApplyUpdateResult,
  type Clock,
  type CreateOrGetResult,
  type JournalEntry,
  type JournalRecord,
  type Order,
  type OrderCreated,
  type OrderRepository,
  type OrderUpdate,
  type OriginalOrderId,
  type PendingUpdate,
  type RepositoryError,
} from '@domino-sm/core'
import { withBudget, type OperationBudget } from './operation-budget.js'
import { readDate, readInteger, readText, type Row } from './rows/column-values.js'
import { journalRecordFromRow } from './rows/journal-row-mapping.js'
import { headerIdOf, orderFromRows } from './rows/order-row-mapping.js'
import type { SchemaName } from './schema-name.js'
import { classifySqlError, repositoryErrorOf, RowShapeError } from './sql-error.js'
import { journalStatements } from './sql/journal-statements.js'
import { lineChunks, orderStatements } from './sql/order-statements.js'
import { inTransaction, poolRunner, type StatementRunner } from './sql/transaction.js'

/** What the repository needs to know of the settings. */
export interface RepositoryOptions {
  readonly schema: SchemaName
  /** The budget of one operation, all its statements included (DOMINO_DB_REQUEST_TIMEOUT_MS). */
  readonly requestTimeoutMs: number
}

/** The recordsets of a multi-statement request, as rows. */
const recordsets = (result: mssql.IResult<unknown>): readonly (readonly Row[])[] => result.recordsets as unknown as readonly (readonly Row[])[]

const firstRow = (result: mssql.IResult<unknown>, table: string, column: string): Row => {
  const row = recordsets(result)[0]?.[0]
  if (row === undefined) throw new RowShapeError(table, column)
  return row
}

/**
 * The «Заказ СМ» store on the Domino SQL Server database. Every operation is one transaction on one pooled
 * connection (XACT_ABORT ON), inside one time budget; the pure decisions (`openOrder`, `applyUpdate`) are taken
 * inside the transaction, on data read under an update lock on the order key. Nothing thrown leaves a method.
 */
export class MssqlOrderRepository implements OrderRepository {
  private readonly orders: ReturnType<typeof orderStatements>
  private readonly journal: ReturnType<typeof journalStatements>

  constructor(
    private readonly pool: mssql.ConnectionPool,
    private readonly options: RepositoryOptions,
    private readonly clock: Clock,
  ) {
    this.orders = orderStatements(options.schema)
    this.journal = journalStatements(options.schema)
  }

  private operation<A>(name: string, body: (budget: OperationBudget) => Promise<A>): TE.TaskEither<RepositoryError, A> {
    return TE.tryCatch(
      () => withBudget(this.options.requestTimeoutMs, body),
      (error) => repositoryErrorOf(name, error),
    )
  }

  /** Runs a transaction again once when SQL Server chose it as a deadlock victim (error 1205; it was rolled back). */
  private async transaction<A>(name: string, budget: OperationBudget, work: (runner: StatementRunner) => Promise<A>): Promise<A> {
    try {
      return await inTransaction(this.pool, budget, work)
    } catch (error) {
      if (classifySqlError(name, error)._tag !== 'Deadlock' || budget.expired) throw error
      return inTransaction(this.pool, budget, work)
    }
  }

  private async insertRemainingLines(runner: StatementRunner, orderId: number, order: Order): Promise<void> {
    for (const chunk of lineChunks(order.content.positions).slice(1)) {
      await runner.run(this.orders.insertLines(orderId, chunk.lines, chunk.firstLineNo))
    }
  }

  private async readOrder(budget: OperationBudget, originalOrderId: string): Promise<Order | undefined> {
    if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return undefined
    return this.transaction('findOrder', budget, async (runner) => {
      const [headers, lines] = recordsets(await runner.run(this.orders.readOrder(originalOrderId)))
      const header = headers?.[0]
      return header === undefined ? undefined : orderFromRows(header, lines ?? [])
    })
  }

  readonly createOrGet = (event: OrderCreated, receivedAt: Date): TE.TaskEither<RepositoryError, CreateOrGetResult> =>
    this.operation('createOrGet', async (budget) => {
      try {
        return await this.transaction('createOrGet', budget, async (runner): Promise<CreateOrGetResult> => {
          const [headers, lines, pendingRows] = recordsets(await runner.run(this.orders.lockOrder(event.originalOrderId, true)))
          const existing = headers?.[0]
          if (existing !== undefined) return { _tag: 'AlreadyExists', order: orderFromRows(existing, lines ?? []) }
          const sequence = readInteger(firstRow(await runner.run(this.orders.nextNumber()), 'domino_number_seq', 'next_number'), 'domino_number_seq', 'next_number')
          const pending: PendingUpdate[] = (pendingRows ?? []).flatMap((row) => {
            const update = pendingUpdateFromBody(readText(row, 'pending_update', 'raw_body'), readDate(row, 'pending_update', 'received_at'))
            return O.isSome(update) ? [update.value] : []
          })
          const opening = openOrder(event, dominoNumberFromSequence(sequence), receivedAt, pending)
          const firstLines = lineChunks(opening.order.content.positions)[0]?.lines ?? []
          const inserted = firstRow(await runner.run(this.orders.insertOrder(opening.order, firstLines)), 'order_header', 'id')
          await this.insertRemainingLines(runner, readInteger(inserted, 'order_header', 'id'), opening.order)
          return { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
        })
      } catch (error) {
        // The key lock makes this rare; the unique index makes it safe: another instance inserted the key first.
        if (classifySqlError('createOrGet', error)._tag !== 'DuplicateKey') throw error
        const order = await this.readOrder(budget, event.originalOrderId)
        if (order === undefined) throw error
        return { _tag: 'AlreadyExists', order }
      }
    })

  readonly applyUpdate = (update: OrderUpdate, rawBody: string, receivedAt: Date): TE.TaskEither<RepositoryError, ApplyUpdateResult> =>
    this.operation('applyUpdate', (budget) =>
      this.transaction('applyUpdate', budget, async (runner): Promise<ApplyUpdateResult> => {
        const [headers, lines] = recordsets(await runner.run(this.orders.lockOrder(update.originalOrderId, false)))
        const header = headers?.[0]
        if (header === undefined) {
          await runner.run(this.orders.insertPending(update.originalOrderId, rawBody, receivedAt, this.clock.now()))
          return { outcome: 'pending' }
        }
        const decision = decideUpdate(orderFromRows(header, lines ?? []), update, receivedAt)
        if (decision.outcome === 'applied') {
          const orderId = headerIdOf(header)
          if (update._tag === 'OrderChanged') {
            const firstLines = lineChunks(decision.order.content.positions)[0]?.lines ?? []
            await runner.run(this.orders.updateOrder(orderId, decision.order, firstLines))
            await this.insertRemainingLines(runner, orderId, decision.order)
          } else {
            await runner.run(this.orders.updateOrder(orderId, decision.order))
          }
        }
        return { outcome: decision.outcome, order: decision.order }
      }),
    )

  readonly recordJournal = (entry: JournalEntry): TE.TaskEither<RepositoryError, void> =>
    this.operation('recordJournal', async (budget) => {
      await poolRunner(this.pool, budget).run(this.journal.insertEntry(entry, this.clock.now()))
    })

  readonly findOrder = (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    this.operation('findOrder', async (budget) => O.fromNullable(await this.readOrder(budget, originalOrderId)))

  readonly listJournal = (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    this.operation('listJournal', async (budget): Promise<readonly JournalRecord[]> => {
      if (originalOrderId.length > MAX_ORDER_ID_LENGTH) return []
      const result = await poolRunner(this.pool, budget).run(this.journal.listByOrder(originalOrderId))
      return (recordsets(result)[0] ?? []).map(journalRecordFromRow)
    })

  readonly ping = (): TE.TaskEither<RepositoryError, void> =>
    this.operation('ping', async (budget) => {
      await poolRunner(this.pool, budget).run(this.journal.ping())
    })

  /** Closes the connection pool; afterwards every operation fails with StoreUnavailable. */
  close(): Promise<void> {
    return this.pool.close()
  }
}
