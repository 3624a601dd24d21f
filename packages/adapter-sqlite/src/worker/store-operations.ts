import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import * as O from 'fp-ts/lib/Option.js'
import {
  addressedTo,
  applyUpdate,
  changesOrder,
  createJournalEntry,
  dominoNumberFromSequence,
  entryOnAnswer,
  entryOnCommit,
  eraseBody,
  eraseFromOrder,
  erasureJournalEntry,
  expiredPendingEntry,
  retentionErasureReceipt,
  openOrder,
  orderStateOf,
  orderUuidToFind,
  pendingKeysOf,
  pendingUpdateFromBody,
  stampOf,
  updateJournalEntry,
  type ApplyUpdateResult,
  type CreateOrGetResult,
  type ErasureReport,
  type FoundJournalRecord,
  type JournalEntry,
  type JournalQuery,
  type JournalRecord,
  type JournalStamp,
  type JournalSummary,
  type JournalSummaryQuery,
  type OrderForReview,
  type Journaled,
  type Order,
  type OrderCreated,
  type OrderEvent,
  type OrderUpdate,
  type RequestReceipt,
  type RetentionPolicy,
  type RetentionReport,
  type StoreStats,
} from '@domino-sm/core'
import { dateFromColumn } from './column-readers.js'
import { createOrFindExisting } from './duplicate-key-recovery.js'
import { journalEntryToRow, journalRecordFromRow } from './journal-row-mapping.js'
import { searchJournal } from './journal-search.js'
import { ordersForReview, summariseJournal } from './journal-summary-query.js'
import { LINE_COLUMNS, linesToRows, orderFromRows, orderToRow, type OrderRow } from './order-row-mapping.js'
import { RowMappingError } from './row-mapping-error.js'
import { LINES_PER_INSERT, prepareStatements, type SqliteStatements, type TableStatsRow } from './sqlite-statements.js'

/**
 * How a write runs inside the group's transaction: `fast` with no savepoint of its own (any error aborts the whole
 * group, which is then run again `safe`); `safe` inside savepoints, so that a failure undoes that write alone.
 */
export type WriteMode = 'fast' | 'safe'

const dateOrNull = (iso: string | null, column: string): Date | null =>
  iso === null ? null : dateFromColumn(iso, column)

/**
 * The store's read-decide-write operations on one connection, run synchronously by the worker that owns it.
 * Writes assume the caller holds the write lock (`BEGIN IMMEDIATE`, see `WriteBatcher`); the decisions are core's
 * (`openOrder`, `applyUpdate`, the journal entries), completed with the time the operation runs, just before its
 * group commits.
 */
export class StoreOperations {
  private readonly s: SqliteStatements

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.s = prepareStatements(db)
  }

  get statements(): SqliteStatements {
    return this.s
  }

  /** Runs `work` in a savepoint: on a throw, its writes are undone and the error goes on. */
  savepoint<A>(work: () => A): A {
    this.s.savepoint.run()
    try {
      const result = work()
      this.s.release.run()
      return result
    } catch (error) {
      this.s.rollbackTo.run()
      this.s.release.run()
      throw error
    }
  }

  private readOrder(key: string): Order | undefined {
    const row = this.s.orderByKey.get(key)
    return row === undefined ? undefined : orderFromRows(row, this.s.linesOf.all(row.id))
  }

  /**
   * The row of the order an event is about: the order of its key, or else, by core's `orderUuidToFind`: the order
   * whose key is that `orderUUID` (one sent beside another key), or the earliest order with that `order_uuid` (the
   * partial index of migration 7 finds it). Read inside the caller's write transaction, so no other writer comes
   * between this and the write.
   */
  private orderRowOf(event: OrderEvent): OrderRow | undefined {
    const row = this.s.orderByKey.get(event.originalOrderId)
    const uuid = row === undefined ? orderUuidToFind(event) : undefined
    if (uuid === undefined) return row
    return (uuid === event.originalOrderId ? undefined : this.s.orderByKey.get(uuid)) ?? this.s.orderByUuid.get(uuid)
  }

  private orderOf(event: OrderEvent): Order | undefined {
    const row = this.orderRowOf(event)
    return row === undefined ? undefined : orderFromRows(row, this.s.linesOf.all(row.id))
  }

  /** Every line of the order, up to `LINES_PER_INSERT` per statement (one statement for any real order). */
  private insertLines(orderId: number, order: Order): void {
    const rows = linesToRows(order.content.positions)
    for (let from = 0; from < rows.length; from += LINES_PER_INSERT) {
      const chunk = rows.slice(from, from + LINES_PER_INSERT)
      const values: (string | number | null)[] = []
      for (const row of chunk) {
        values.push(orderId)
        for (const column of LINE_COLUMNS) values.push(row[column])
      }
      this.s.insertLines(chunk.length).run(...values)
    }
  }

  private journal(entry: JournalEntry, storedAt: Date): number {
    const id = Number(
      this.s.insertJournal.run({ ...journalEntryToRow(entry), stored_at: storedAt.toISOString() }).lastInsertRowid,
    )
    this.insertBodyOf(id, entry)
    return id
  }

  private insertBodyOf(id: number, entry: JournalEntry): void {
    if (entry.rawBody !== null) this.s.insertBody.run(id, entry.receivedAt.toISOString(), entry.rawBody)
  }

  /**
   * The one entry of a request: inserted, or, when its request id already has an entry, that entry rewritten
   * (body included) with `merge(existing)`. Answers the id and what was written. Runs inside the caller's write
   * transaction, so nothing comes between the read and the write.
   */
  private journalOnce(
    entry: JournalEntry,
    storedAt: Date,
    merge: (existing: JournalEntry) => JournalEntry,
  ): { readonly id: number; readonly written: JournalEntry } {
    if (entry.requestId === null) return { id: this.journal(entry, storedAt), written: entry }
    // The usual case, a request's first entry, in one statement; the look-up only when the request has one.
    const inserted = this.s.insertJournalUnlessRequested.run({
      ...journalEntryToRow(entry),
      stored_at: storedAt.toISOString(),
    })
    if (inserted.changes > 0) {
      const id = Number(inserted.lastInsertRowid)
      this.insertBodyOf(id, entry)
      return { id, written: entry }
    }
    const row = this.s.journalOfRequest.get(entry.requestId)
    if (row === undefined) throw new RowMappingError('journal: an entry of the request conflicted, then was not found')
    const written = merge(journalRecordFromRow(row))
    this.s.rewriteJournal.run({ ...journalEntryToRow(written), id: row.id })
    this.s.deleteBody.run(row.id)
    if (written.rawBody !== null) this.s.insertBody.run(row.id, written.receivedAt.toISOString(), written.rawBody)
    return { id: row.id, written }
  }

  /** The journal entry of an operation, under its request id (`entryOnCommit` over an entry the edge wrote first). */
  private journalOperation(entry: JournalEntry, committedAt: Date): JournalStamp {
    const { id, written } = this.journalOnce(entry, committedAt, (existing) => entryOnCommit(entry, existing))
    return stampOf(id, written)
  }

  private create(event: OrderCreated, receivedAt: Date): CreateOrGetResult {
    const existing = this.orderOf(event)
    if (existing !== undefined) return { _tag: 'AlreadyExists', order: existing }
    // Taken (deleted) at once: decodable ones are applied below; one that no longer decodes could never apply,
    // and its body stays in the journal. RETURNING gives no order, so they are sorted by id (= order received),
    // across the key and the orderUUID (`pendingKeysOf`).
    const pending = pendingKeysOf(event)
      .flatMap((key) => this.s.takePending.all(key))
      .sort((a, b) => a.id - b.id)
      .flatMap((row) => {
        const decoded = pendingUpdateFromBody(
          row.raw_body,
          dateFromColumn(row.received_at, 'pending_updates.received_at'),
        )
        return O.isSome(decoded) ? [decoded.value] : []
      })
    const sequence = this.s.nextNumber.get()
    if (sequence === undefined) throw new RowMappingError('order_number_counter: no row')
    const opening = openOrder(event, dominoNumberFromSequence(sequence), receivedAt, pending)
    const { lastInsertRowid } = this.s.insertOrder.run(orderToRow(opening.order))
    this.insertLines(Number(lastInsertRowid), opening.order)
    return { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
  }

  /** `createOrGet` and its journal entry. `safe`: a UNIQUE violation (a writer that skipped the lock) answers the order found. */
  createOrGet(event: OrderCreated, receipt: RequestReceipt, mode: WriteMode): Journaled<CreateOrGetResult> {
    const result =
      mode === 'fast'
        ? this.create(event, receipt.receivedAt)
        : createOrFindExisting(
            () => this.savepoint(() => this.create(event, receipt.receivedAt)),
            () => this.readOrder(event.originalOrderId),
          )
    const committedAt = this.now()
    const addressed = addressedTo(event, result.order)
    const entry = createJournalEntry(receipt, addressed.originalOrderId, result, committedAt, addressed)
    return { result, journal: this.journalOperation(entry, committedAt) }
  }

  /** `applyUpdate` and its journal entry: decide on the order read under the lock, or keep the update pending. */
  applyUpdate(received: OrderUpdate, receipt: RequestReceipt): Journaled<ApplyUpdateResult> {
    const committedAt = this.now()
    const row = this.orderRowOf(received)
    let result: ApplyUpdateResult
    let before: Order | undefined
    let update = received
    if (row === undefined) {
      this.s.insertPending.run(
        received.originalOrderId,
        receipt.rawBody,
        receipt.receivedAt.toISOString(),
        committedAt.toISOString(),
      )
      result = { outcome: 'pending' }
    } else {
      before = orderFromRows(row, this.s.linesOf.all(row.id))
      update = addressedTo(received, before)
      const decision = applyUpdate(before, update, receipt.receivedAt)
      if (changesOrder(decision.outcome)) {
        this.s.updateOrder.run({ ...orderToRow(decision.order), id: row.id })
        if (update._tag === 'OrderChanged' && decision.outcome === 'applied') {
          this.s.deleteLines.run(row.id)
          this.insertLines(row.id, decision.order)
        }
      }
      result = { outcome: decision.outcome, order: orderStateOf(decision.order) }
    }
    const entry = updateJournalEntry(receipt, update, result, committedAt, before)
    return { result, journal: this.journalOperation(entry, committedAt) }
  }

  recordJournal(entry: JournalEntry): number {
    return this.journalOnce(entry, this.now(), (existing) => entryOnAnswer(existing, entry)).id
  }

  /**
   * Erases the personal data of one key (see `OrderRepository.erasePersonalData`) under the caller's write lock:
   * the order row (lines untouched), the key's journal bodies and pending bodies that hold any, and the entry.
   */
  erasePersonalData(key: string, receipt: RequestReceipt): ErasureReport {
    const row = this.s.orderByKey.get(key)
    if (row !== undefined) {
      this.s.updateOrder.run({
        ...orderToRow(eraseFromOrder(orderFromRows(row, this.s.linesOf.all(row.id)))),
        id: row.id,
      })
      this.s.markErased.run(this.now().toISOString(), row.id)
    }
    let journalBodiesErased = 0
    // One parse and one scan per body (eraseBody): a body nested as deep as 1 MiB allows costs hundreds of ms to parse.
    for (const body of this.s.bodiesOfKey.all(key)) {
      const erasure = eraseBody(body.raw_body)
      if (erasure._tag === 'Clean') continue
      if (erasure.body === null) this.s.deleteBody.run(body.journal_id)
      else this.s.rewriteBody.run(erasure.body, body.journal_id)
      journalBodiesErased += 1
    }
    let pendingBodiesErased = 0
    for (const pending of this.s.pendingOfKey.all(key)) {
      const erasure = eraseBody(pending.raw_body)
      if (erasure._tag === 'Clean') continue
      this.s.rewritePending.run(erasure.body ?? '{}', pending.id)
      pendingBodiesErased += 1
    }
    const committedAt = this.now()
    const counts = { orderFound: row !== undefined, journalBodiesErased, pendingBodiesErased }
    const entry = erasureJournalEntry(receipt, key, counts, committedAt)
    return { ...counts, journal: this.journalOperation(entry, committedAt) }
  }

  /** One batch of the retention policy, under the caller's write lock: at most `batchSize` rows of each kind. */
  retentionBatch(policy: RetentionPolicy): RetentionReport {
    const bodiesCleared = this.s.clearBodies.run(
      policy.clearBodiesReceivedBefore.toISOString(),
      policy.batchSize,
    ).changes
    const expired = this.s.expirePending
      .all(policy.expirePendingReceivedBefore.toISOString(), policy.batchSize)
      .sort((a, b) => a.id - b.id)
    const storedAt = this.now()
    for (const row of expired) {
      this.journal(
        expiredPendingEntry(
          row.original_order_id,
          dateFromColumn(row.received_at, 'pending_updates.received_at'),
          policy.now,
        ),
        storedAt,
      )
    }
    const closedBefore = policy.eraseClosedOrdersBefore
    if (closedBefore === undefined) return { bodiesCleared, pendingExpired: expired.length }
    const keys = this.s.closedNotErased.all(closedBefore.toISOString(), policy.batchSize)
    for (const key of keys)
      this.erasePersonalData(key, retentionErasureReceipt(key, closedBefore, policy.now, randomUUID()))
    return { bodiesCleared, pendingExpired: expired.length, ordersErased: keys.length }
  }

  // Reads take no write lock: in WAL mode a deferred transaction reads one consistent snapshot (the order and its
  // lines together) without waiting for, or holding up, the writers of the other instances.
  findOrder(key: string): Order | null {
    this.s.beginRead.run()
    try {
      return this.readOrder(key) ?? null
    } finally {
      this.s.commit.run()
    }
  }

  listJournal(key: string): readonly JournalRecord[] {
    return this.s.journalOf.all(key).map(journalRecordFromRow)
  }

  searchJournal(query: JournalQuery): readonly FoundJournalRecord[] {
    return searchJournal(this.db, query)
  }

  summariseJournal(query: JournalSummaryQuery): JournalSummary {
    return summariseJournal(this.db, query)
  }

  ordersForReview(limit: number): readonly OrderForReview[] {
    return ordersForReview(this.db, limit)
  }

  ping(): void {
    if (this.s.counter.get() === undefined) throw new RowMappingError('order_number_counter: no row')
  }

  stats(): StoreStats {
    this.s.beginRead.run()
    try {
      const table = (name: 'orders' | 'order_lines' | 'pending_updates' | 'journal') => {
        const row: TableStatsRow | undefined = this.s.stats[name].get()
        return { table: name, rows: row?.rows ?? 0, oldest: dateOrNull(row?.oldest ?? null, `${name}: oldest`) }
      }
      const tables = [table('orders'), table('order_lines'), table('pending_updates'), table('journal')]
      const bodies = this.s.stats.journalBodies.get()
      const marks = this.s.stats.reviewMarks.get()
      return {
        tables,
        journalBodies: bodies?.rows ?? 0,
        oldestJournalBody: dateOrNull(bodies?.oldest ?? null, 'journal: oldest body'),
        ordersForReview: marks?.rows ?? 0,
        oldestReviewMark: dateOrNull(marks?.oldest ?? null, 'orders: oldest review mark'),
      }
    } finally {
      this.s.commit.run()
    }
  }
}
