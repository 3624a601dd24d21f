import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  addressedTo,
  applyUpdate,
  changesOrder,
  createJournalEntry,
  dominoNumberFromSequence,
  entryOnAnswer,
  entryOnCommit,
  eraseFromBody,
  eraseFromOrder,
  erasureJournalEntry,
  expiredPendingEntry,
  holdsPersonalData,
  isFinalStatus,
  retentionErasureReceipt,
  matchesJournalQuery,
  MAX_JOURNAL_PAGE,
  MAX_REVIEW_LIST,
  summariseEntries,
  openOrder,
  orderStateOf,
  orderUuidToFind,
  pendingKeysOf,
  pendingUpdateFromBody,
  stampOf,
  storeFailure,
  storeUnavailable,
  updateJournalEntry,
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
  type PendingUpdate,
  type RepositoryError,
  type RequestReceipt,
  type RetentionPolicy,
  type RetentionReport,
  type StoreStats,
} from '@domino-sm/core'

const systemClock: Clock = { now: () => new Date() }

/** An update kept for an order that does not exist yet, as a database would keep it: the raw body. */
interface StoredPending {
  readonly originalOrderId: string
  readonly rawBody: string
  readonly receivedAt: Date
}

/** The outcome of an operation, decided, and the change that carries it out. */
interface Planned<A> {
  readonly result: A
  readonly commit: () => void
}

const copyDate = (date: Date): Date => new Date(date.getTime())

/**
 * A copy of an order that shares nothing mutable with it: every object and array of the content is copied one
 * level deep (their fields are all primitives) and the dates are new. Written out rather than `structuredClone`,
 * which cost the benchmark a tenth of the hook's CPU time.
 */
const copyOrder = (order: Order): Order => {
  const { content } = order
  return {
    ...order,
    content: {
      ...content,
      paymentMethods: [...content.paymentMethods],
      positions: content.positions.map((line) =>
        line.markingCodes === undefined ? { ...line } : { ...line, markingCodes: [...line.markingCodes] },
      ),
      ...(content.customer === undefined ? {} : { customer: { ...content.customer } }),
      ...(content.address === undefined ? {} : { address: { ...content.address } }),
      ...(content.delivery === undefined ? {} : { delivery: { ...content.delivery } }),
      ...(content.total === undefined ? {} : { total: { ...content.total } }),
    },
    ...(order.cancellation === undefined ? {} : { cancellation: { ...order.cancellation } }),
    ...(order.review === undefined
      ? {}
      : { review: { ...order.review, reasons: [...order.review.reasons], markedAt: copyDate(order.review.markedAt) } }),
    createdAt: copyDate(order.createdAt),
    updatedAt: copyDate(order.updatedAt),
  }
}

const copyRecord = (record: JournalRecord): JournalRecord => ({ ...record, receivedAt: copyDate(record.receivedAt) })

/**
 * An `OrderRepository` in memory, with the semantics the database stores give: every call does its
 * read-decide-write synchronously, inside one tick, so concurrent calls are serialised like transactions, and an
 * operation's journal entry is written in the same step as its order change. For tests and for running the hook
 * without a database; its content is lost when the process ends.
 */
export class InMemoryOrderRepository implements OrderRepository {
  private readonly orders = new Map<string, Order>()
  /**
   * The key of the first order that had each `orderUuid`, as the database's index on `order_uuid` finds it. An
   * order.changed may replace an order's orderUUID, so an entry is checked against the order before it is trusted.
   */
  private readonly keyOfOrderUuid = new Map<string, string>()
  /** Pending updates in the order received, across keys (as a table with an identity column). */
  private pending: StoredPending[] = []
  private readonly journal: JournalRecord[] = []
  /** The keys whose order's personal data was erased (the retention policy erases an order once). */
  private readonly erased = new Set<string>()
  /** Where the entry of each request id is in `journal`. */
  private readonly journalIndexOfRequest = new Map<string, number>()
  private lastNumber = 0
  private lastJournalId = 0
  private closed = false

  /** `clock` gives the commit time of each operation (whether it committed after `answerBy`). */
  constructor(private readonly clock: Clock = systemClock) {}

  /** Runs `operation` atomically: synchronously, once the task is started, with no await inside. */
  private atomically<A>(name: string, operation: () => A): TE.TaskEither<RepositoryError, A> {
    return () => {
      if (this.closed) return Promise.resolve(E.left(storeUnavailable(`in-memory store is closed (${name})`)))
      try {
        return Promise.resolve(E.right(operation()))
      } catch (error) {
        return Promise.resolve(
          E.left(storeFailure(`in-memory ${name} failed: ${error instanceof Error ? error.name : 'unknown error'}`)),
        )
      }
    }
  }

  /** Refuses an entry by throwing; accepts every entry here. A test subclass overrides it to prove atomicity. */
  protected checkJournalEntry(_entry: JournalEntry): void {}

  private append(entry: JournalEntry): number {
    this.checkJournalEntry(entry)
    this.lastJournalId += 1
    this.journal.push({ ...entry, id: this.lastJournalId, receivedAt: copyDate(entry.receivedAt) })
    if (entry.requestId !== null) this.journalIndexOfRequest.set(entry.requestId, this.journal.length - 1)
    return this.lastJournalId
  }

  /**
   * Writes the one entry of a request: appends it, or rewrites the entry already there under its request id with
   * `merge(existing)`. Retention never removes entries, so an index into `journal` stays valid.
   */
  private writeEntry(entry: JournalEntry, merge: (existing: JournalEntry) => JournalEntry): number {
    const index = entry.requestId === null ? undefined : this.journalIndexOfRequest.get(entry.requestId)
    const existing = index === undefined ? undefined : this.journal[index]
    if (index === undefined || existing === undefined) return this.append(entry)
    const merged = merge(existing)
    this.checkJournalEntry(merged)
    this.journal[index] = { ...merged, id: existing.id, receivedAt: copyDate(merged.receivedAt) }
    return existing.id
  }

  /**
   * The decision of a create and the change that carries it out. Nothing is changed until `commit` runs, after
   * the journal entry was appended: an entry that cannot be written leaves the store as it was.
   */
  private create(event: OrderCreated, receivedAt: Date): Planned<CreateOrGetResult> {
    const existing = this.orderOf(event)
    if (existing !== undefined)
      return { result: { _tag: 'AlreadyExists', order: copyOrder(existing) }, commit: () => undefined }
    // The pending updates of its key and of its orderUUID, in the order received across both (`pending` is in that order).
    const keys = new Set(pendingKeysOf(event))
    const kept = this.pending.filter((p) => keys.has(p.originalOrderId))
    const updates: PendingUpdate[] = kept.flatMap(({ rawBody, receivedAt: at }) => {
      const update = pendingUpdateFromBody(rawBody, at)
      return O.isSome(update) ? [update.value] : []
    })
    const number = this.lastNumber + 1
    const opening = openOrder(event, dominoNumberFromSequence(number), receivedAt, updates)
    // One copy, the one the store keeps. The caller gets the opening itself: it shares objects only with the
    // caller's own event and receipt and with updates decoded afresh from kept bodies, never with what is stored.
    const stored = copyOrder(opening.order)
    return {
      result: { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied },
      commit: () => {
        this.lastNumber = number
        this.setOrder(event.originalOrderId, stored)
        this.pending = this.pending.filter((p) => !keys.has(p.originalOrderId))
      },
    }
  }

  /**
   * The order an event is about: the order of its key, or else, by `orderUuidToFind`: the order whose key is that
   * `orderUUID` (one sent beside another key), or the earliest order with that `orderUuid`, through
   * `keyOfOrderUuid`; a scan only when that order's orderUUID was changed since (`orders` iterates in insertion
   * order, so the first found is the earliest created).
   */
  private orderOf(event: OrderCreated | OrderUpdate): Order | undefined {
    const byKey = this.orders.get(event.originalOrderId)
    const uuid = byKey === undefined ? orderUuidToFind(event) : undefined
    if (uuid === undefined) return byKey
    const keyedByUuid = uuid === event.originalOrderId ? undefined : this.orders.get(uuid)
    if (keyedByUuid !== undefined) return keyedByUuid
    const indexed = this.keyOfOrderUuid.get(uuid)
    if (indexed === undefined) return undefined
    const order = this.orders.get(indexed)
    if (order?.content.orderUuid === uuid) return order
    // The first order with it has another orderUUID since: the earliest that has it now.
    for (const other of this.orders.values()) if (other.content.orderUuid === uuid) return other
    return undefined
  }

  private setOrder(key: string, order: Order): void {
    this.orders.set(key, order)
    const uuid = order.content.orderUuid
    if (uuid !== undefined && !this.keyOfOrderUuid.has(uuid)) this.keyOfOrderUuid.set(uuid, key)
  }

  private update(
    received: OrderUpdate,
    receipt: RequestReceipt,
  ): Planned<ApplyUpdateResult> & { readonly before?: Order; readonly update: OrderUpdate } {
    const existing = this.orderOf(received)
    if (existing === undefined) {
      const kept: StoredPending = {
        originalOrderId: received.originalOrderId,
        rawBody: receipt.rawBody,
        receivedAt: copyDate(receipt.receivedAt),
      }
      return { result: { outcome: 'pending' }, update: received, commit: () => void this.pending.push(kept) }
    }
    const update = addressedTo(received, existing)
    const decision = applyUpdate(existing, update, copyDate(receipt.receivedAt))
    return {
      result: { outcome: decision.outcome, order: orderStateOf(copyOrder(decision.order)) },
      before: existing,
      update,
      commit: () => {
        if (changesOrder(decision.outcome)) this.setOrder(update.originalOrderId, copyOrder(decision.order))
      },
    }
  }

  /** Appends the entry, then carries out the change: both, or (when the entry throws) neither. */
  private commitWith<A>(planned: Planned<A>, entry: JournalEntry): Journaled<A> {
    let written = entry
    const id = this.writeEntry(entry, (existing) => (written = entryOnCommit(entry, existing)))
    planned.commit()
    return { result: planned.result, journal: stampOf(id, written) }
  }

  readonly createOrGet = (
    event: OrderCreated,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, Journaled<CreateOrGetResult>> =>
    this.atomically('createOrGet', () => {
      const planned = this.create(event, receipt.receivedAt)
      const addressed = addressedTo(event, planned.result.order)
      return this.commitWith(
        planned,
        createJournalEntry(receipt, addressed.originalOrderId, planned.result, this.clock.now(), addressed),
      )
    })

  readonly applyUpdate = (
    update: OrderUpdate,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, Journaled<ApplyUpdateResult>> =>
    this.atomically('applyUpdate', () => {
      const planned = this.update(update, receipt)
      return this.commitWith(
        planned,
        updateJournalEntry(receipt, planned.update, planned.result, this.clock.now(), planned.before),
      )
    })

  readonly recordJournal = (entry: JournalEntry): TE.TaskEither<RepositoryError, number> =>
    this.atomically('recordJournal', () => this.writeEntry(entry, (existing) => entryOnAnswer(existing, entry)))

  readonly findOrder = (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    this.atomically('findOrder', () => O.map(copyOrder)(O.fromNullable(this.orders.get(originalOrderId))))

  readonly listJournal = (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    // `journal` is appended in id order, so filtering keeps it oldest first.
    this.atomically('listJournal', () =>
      this.journal.filter((record) => record.originalOrderId === originalOrderId).map(copyRecord),
    )

  readonly searchJournal = (query: JournalQuery): TE.TaskEither<RepositoryError, readonly FoundJournalRecord[]> =>
    this.atomically('searchJournal', () => {
      const marked = (key: string): boolean => this.orders.get(key)?.review !== undefined
      const limit = Math.max(0, Math.min(query.limit, MAX_JOURNAL_PAGE))
      return this.journal
        .filter(
          (record) =>
            (query.afterId === undefined || record.id > query.afterId) && matchesJournalQuery(query, record, marked),
        )
        .slice(0, limit)
        .map((record) => ({
          ...copyRecord(record),
          hasBody: record.rawBody !== null,
          ...(query.withBodies ? {} : { rawBody: null }),
        }))
    })

  readonly summariseJournal = (query: JournalSummaryQuery): TE.TaskEither<RepositoryError, JournalSummary> =>
    this.atomically('summariseJournal', () => summariseEntries(query, this.journal))

  /** `orders` keeps the order of creation, and the sort is stable: marks of the same time stay in creation order. */
  readonly ordersForReview = (limit: number): TE.TaskEither<RepositoryError, readonly OrderForReview[]> =>
    this.atomically('ordersForReview', () =>
      [...this.orders.values()]
        .flatMap((order) =>
          order.review === undefined
            ? []
            : [
                {
                  originalOrderId: order.originalOrderId,
                  number: order.number,
                  markedAt: copyDate(order.review.markedAt),
                  reasons: [...order.review.reasons],
                },
              ],
        )
        .sort((a, b) => a.markedAt.getTime() - b.markedAt.getTime())
        .slice(0, Math.max(0, Math.min(limit, MAX_REVIEW_LIST))),
    )

  readonly erasePersonalData = (
    originalOrderId: OriginalOrderId,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, ErasureReport> =>
    this.atomically('erasePersonalData', () => this.erase(originalOrderId, receipt))

  /** The erasure of one key, synchronously (see `OrderRepository.erasePersonalData`); the order is marked erased. */
  private erase(originalOrderId: string, receipt: RequestReceipt): ErasureReport {
    const order = this.orders.get(originalOrderId)
    const bodies = this.journal.flatMap((record, index) =>
      record.originalOrderId === originalOrderId && record.rawBody !== null && holdsPersonalData(record.rawBody)
        ? [{ index, record, rawBody: eraseFromBody(record.rawBody) }]
        : [],
    )
    const pending = this.pending.flatMap((p, index) =>
      p.originalOrderId === originalOrderId && holdsPersonalData(p.rawBody) ? [index] : [],
    )
    const counts = {
      orderFound: order !== undefined,
      journalBodiesErased: bodies.length,
      pendingBodiesErased: pending.length,
    }
    const entry = erasureJournalEntry(receipt, originalOrderId, counts, this.clock.now())
    const id = this.writeEntry(entry, () => entry)
    if (order !== undefined) this.setOrder(originalOrderId, copyOrder(eraseFromOrder(order)))
    for (const { index, record, rawBody } of bodies) this.journal[index] = { ...record, rawBody }
    for (const index of pending) {
      const p = this.pending[index]
      // A pending body that is not JSON could never be applied: '{}' keeps the row (retention expires it) without the data.
      if (p !== undefined) this.pending[index] = { ...p, rawBody: eraseFromBody(p.rawBody) ?? '{}' }
    }
    if (order !== undefined) this.erased.add(originalOrderId)
    return { ...counts, journal: stampOf(id, entry) }
  }

  readonly ping = (): TE.TaskEither<RepositoryError, void> => this.atomically('ping', () => undefined)

  readonly applyRetention = (policy: RetentionPolicy): TE.TaskEither<RepositoryError, RetentionReport> =>
    this.atomically('applyRetention', (): RetentionReport => {
      let bodiesCleared = 0
      this.journal.forEach((record, index) => {
        if (record.rawBody !== null && record.receivedAt.getTime() < policy.clearBodiesReceivedBefore.getTime()) {
          this.journal[index] = { ...record, rawBody: null }
          bodiesCleared += 1
        }
      })
      const cutoff = policy.expirePendingReceivedBefore.getTime()
      const expired = this.pending.filter((p) => p.receivedAt.getTime() < cutoff)
      this.pending = this.pending.filter((p) => p.receivedAt.getTime() >= cutoff)
      for (const p of expired) this.append(expiredPendingEntry(p.originalOrderId, p.receivedAt, policy.now))
      const closedBefore = policy.eraseClosedOrdersBefore
      if (closedBefore === undefined) return { bodiesCleared, pendingExpired: expired.length }
      const toErase = [...this.orders.values()].filter(
        (order) =>
          isFinalStatus(order.status) &&
          order.updatedAt.getTime() < closedBefore.getTime() &&
          !this.erased.has(order.originalOrderId),
      )
      for (const order of toErase)
        this.erase(
          order.originalOrderId,
          retentionErasureReceipt(order.originalOrderId, closedBefore, policy.now, randomUUID()),
        )
      return { bodiesCleared, pendingExpired: expired.length, ordersErased: toErase.length }
    })

  readonly stats = (): TE.TaskEither<RepositoryError, StoreStats> =>
    this.atomically('stats', (): StoreStats => {
      const oldest = (dates: readonly Date[]): Date | null =>
        dates.length === 0 ? null : new Date(Math.min(...dates.map((date) => date.getTime())))
      const orders = [...this.orders.values()]
      const bodies = this.journal.filter((record) => record.rawBody !== null)
      const marks = orders.flatMap((order) => (order.review === undefined ? [] : [order.review.markedAt]))
      return {
        tables: [
          { table: 'orders', rows: orders.length, oldest: oldest(orders.map((order) => order.createdAt)) },
          {
            table: 'order_lines',
            rows: orders.reduce((n, order) => n + order.content.positions.length, 0),
            oldest: null,
          },
          {
            table: 'pending_updates',
            rows: this.pending.length,
            oldest: oldest(this.pending.map((p) => p.receivedAt)),
          },
          {
            table: 'journal',
            rows: this.journal.length,
            oldest: oldest(this.journal.map((record) => record.receivedAt)),
          },
        ],
        journalBodies: bodies.length,
        oldestJournalBody: oldest(bodies.map((record) => record.receivedAt)),
        ordersForReview: marks.length,
        oldestReviewMark: oldest(marks),
      }
    })

  /** After `close`, every operation fails with `StoreUnavailable`, as a closed connection pool would. */
  close(): Promise<void> {
    this.closed = true
    return Promise.resolve()
  }
}
