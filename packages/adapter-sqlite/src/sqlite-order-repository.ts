import type Database from 'better-sqlite3'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import {
  applyUpdate,
  dominoNumberFromSequence,
  openOrder,
  pendingUpdateFromBody,
  storeUnavailable,
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
  type RepositoryError,
} from '@domino-sm/core'
import { dateFromColumn } from './column-readers.js'
import { createOrFindExisting } from './duplicate-key-recovery.js'
import { GroupCommit } from './group-commit.js'
import { journalEntryToRow, journalRecordFromRow } from './journal-row-mapping.js'
import { linesToRows, orderFromRows, orderToRow } from './order-row-mapping.js'
import { classifySqliteError } from './sqlite-error-classification.js'
import { RowMappingError } from './row-mapping-error.js'
import { prepareStatements, type SqliteStatements } from './sqlite-statements.js'

/**
 * `OrderRepository` on one SQLite connection. Every write runs inside a `BEGIN IMMEDIATE` transaction (a savepoint
 * of one shared by the writes queued meanwhile: `GroupCommit`): the write lock is taken before the first read, so
 * the read-decide-write of each call is serialised with every other writer of the file, in this process or
 * another. Reads run when their task starts. Anything a call throws becomes a `RepositoryError`.
 */
export class SqliteOrderRepository implements OrderRepository {
  private readonly statements: SqliteStatements
  private readonly writes: GroupCommit

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.statements = prepareStatements(db)
    this.writes = new GroupCommit(db)
  }

  /** Runs `work` when the task starts, unless the connection is closed; what it throws is classified. */
  private run<A>(operation: string, work: () => A): TE.TaskEither<RepositoryError, A> {
    return () =>
      this.db.open
        ? TE.tryCatch(async () => work(), (error) => classifySqliteError(operation, error))()
        : TE.left(storeUnavailable(`sqlite ${operation}: the store is closed`))()
  }

  /** Queues a write operation for the next group commit (see `GroupCommit`); what it throws is classified. */
  private write<A>(operation: string, work: () => A): TE.TaskEither<RepositoryError, A> {
    return () =>
      this.db.open
        ? TE.tryCatch(() => this.writes.run(work), (error) => classifySqliteError(operation, error))()
        : TE.left(storeUnavailable(`sqlite ${operation}: the store is closed`))()
  }

  /** The order of `key` with its lines, read in the caller's transaction. */
  private readOrder(key: string): Order | undefined {
    const row = this.statements.orderByKey.get(key)
    return row === undefined ? undefined : orderFromRows(row, this.statements.linesOf.all(row.id))
  }

  private insertLines(orderId: number, order: Order): void {
    for (const line of linesToRows(order.content.positions)) this.statements.insertLine.run({ ...line, order_id: orderId })
  }

  /** The transaction body of `createOrGet`: read the key, else number, open, insert and drop the pending updates. */
  private create(event: OrderCreated, receivedAt: Date): CreateOrGetResult {
    const existing = this.readOrder(event.originalOrderId)
    if (existing !== undefined) return { _tag: 'AlreadyExists', order: existing }
    const pending = this.statements.pendingOf
      .all(event.originalOrderId)
      .flatMap((row) => {
        const decoded = pendingUpdateFromBody(row.raw_body, dateFromColumn(row.received_at, 'pending_updates.received_at'))
        return O.isSome(decoded) ? [decoded.value] : []
      })
    const sequence = this.statements.nextNumber.get()
    if (sequence === undefined) throw new RowMappingError('order_number_counter: no row')
    const opening = openOrder(event, dominoNumberFromSequence(sequence), receivedAt, pending)
    const { lastInsertRowid } = this.statements.insertOrder.run(orderToRow(opening.order))
    this.insertLines(Number(lastInsertRowid), opening.order)
    // Every pending row of the key goes: the decodable ones are applied above; one that no longer decodes
    // could never apply, and its body stays in the journal.
    this.statements.deletePending.run(event.originalOrderId)
    return { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
  }

  /** The transaction body of `applyUpdate`: decide on the order read under the lock, or keep the update pending. */
  private update(update: OrderUpdate, rawBody: string, receivedAt: Date): ApplyUpdateResult {
    const row = this.statements.orderByKey.get(update.originalOrderId)
    if (row === undefined) {
      this.statements.insertPending.run(update.originalOrderId, rawBody, receivedAt.toISOString(), this.clock.now().toISOString())
      return { outcome: 'pending' }
    }
    const decision = applyUpdate(orderFromRows(row, this.statements.linesOf.all(row.id)), update, receivedAt)
    if (decision.outcome === 'applied') {
      this.statements.updateOrder.run({ ...orderToRow(decision.order), id: row.id })
      if (update._tag === 'OrderChanged') {
        this.statements.deleteLines.run(row.id)
        this.insertLines(row.id, decision.order)
      }
    }
    return { outcome: decision.outcome, order: decision.order }
  }

  readonly createOrGet = (event: OrderCreated, receivedAt: Date): TE.TaskEither<RepositoryError, CreateOrGetResult> =>
    this.write('createOrGet', () =>
      createOrFindExisting(
        () => this.db.transaction(() => this.create(event, receivedAt))(),
        () => this.readOrder(event.originalOrderId),
      ),
    )

  readonly applyUpdate = (update: OrderUpdate, rawBody: string, receivedAt: Date): TE.TaskEither<RepositoryError, ApplyUpdateResult> =>
    this.write('applyUpdate', () => this.update(update, rawBody, receivedAt))

  readonly recordJournal = (entry: JournalEntry): TE.TaskEither<RepositoryError, void> =>
    this.write('recordJournal', () => {
      this.statements.insertJournal.run({ ...journalEntryToRow(entry), stored_at: this.clock.now().toISOString() })
    })

  // Reads take no write lock: in WAL mode a deferred transaction reads one consistent snapshot (the order and its
  // lines together) without waiting for, or holding up, the writers of the other instances.
  readonly findOrder = (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    this.run('findOrder', () => O.fromNullable(this.db.transaction(() => this.readOrder(originalOrderId)).deferred()))

  readonly listJournal = (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    this.run('listJournal', () => this.statements.journalOf.all(originalOrderId).map(journalRecordFromRow))

  readonly ping = (): TE.TaskEither<RepositoryError, void> =>
    this.run('ping', () => {
      if (this.statements.counter.get() === undefined) throw new RowMappingError('order_number_counter: no row')
    })

  /** Closes the connection (SQLite checkpoints the WAL when the last one closes); afterwards every call fails with `StoreUnavailable`. */
  close(): Promise<void> {
    if (this.db.open) this.db.close()
    return Promise.resolve()
  }
}
