import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import {
  MAX_JOURNAL_PAGE,
  type FoundJournalRecord,
  type JournalQuery,
  type Order,
  type OrderRepository,
  type OriginalOrderId,
  type RepositoryError,
} from '@domino-sm/core'
import { changeQueueConsumer, isRequestEntry } from '@domino-sm/core/internals'
import { NEAR_DEADLINE_SHARE } from '../observability/metrics.js'
import type { ConsoleDeps } from './console-deps.js'
import { CONSOLE_HISTORY_PAGE, readOrderHistory } from './order-history.js'

/** A store failure, carried to the page or the API as a 503 (never its message: it may name tables). */
export class StoreUnavailable extends Error {
  constructor(readonly error: RepositoryError) {
    super(`store: ${error._tag}`)
  }
}

const orThrow = async <A>(task: () => Promise<E.Either<RepositoryError, A>>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new StoreUnavailable(result.left)
  return result.right
}

/** The most orders the Today page lists under "waiting for review" (the oldest marks; the store counts them all). */
export const REVIEW_ORDERS_MAX = 100
/** The most entries the Today page lists under "failed and rejected" and "near the deadline" (newest first). */
export const TODAY_LIST_MAX = 50
/**
 * The most entries one Today list reads to find its newest ones. The counts come from the store
 * (`summariseJournal`); only the lists are read entry by entry, and only the entries they show are asked for.
 */
export const TODAY_LIST_SCAN_MAX = 5_000

/**
 * How far back each step of a list's search reaches from now: the store answers oldest first, so the newest entries
 * are found by reading the last 15 minutes, then the hour before them, and so on back to the whole day, until a step
 * has found `TODAY_LIST_MAX`.
 */
const LIST_STEPS_MS = [15 * 60_000, 3600_000, 4 * 3600_000, 24 * 3600_000] as const

/**
 * The newest `TODAY_LIST_MAX` requests (core's `isRequestEntry`) of the last 24 hours that `query` selects, newest
 * first (within a step, by id: the order the entries were written). A bounded search, `TODAY_LIST_SCAN_MAX` entries
 * read at most: a step that holds more than that (5,000 failures in 15 minutes) is read from its start, so the list
 * then shows the newest of what was read, not the newest of the step; the counts above it stay exact.
 */
const newestRequests = async (
  orders: OrderRepository,
  now: Date,
  query: Pick<JournalQuery, 'outcomes' | 'durationAtLeastMs'>,
): Promise<FoundJournalRecord[]> => {
  const found: FoundJournalRecord[] = []
  let until = new Date(now.getTime() + 1)
  let read = 0
  for (const back of LIST_STEPS_MS) {
    const since = new Date(now.getTime() - back)
    const step: FoundJournalRecord[] = []
    let afterId: number | undefined
    for (;;) {
      const limit = Math.min(MAX_JOURNAL_PAGE, TODAY_LIST_SCAN_MAX - read)
      if (limit <= 0) break
      const page = await orThrow(
        orders.searchJournal({
          ...query,
          since,
          until,
          limit,
          withBodies: false,
          ...(afterId === undefined ? {} : { afterId }),
        }),
      )
      read += page.length
      step.push(...page.filter(isRequestEntry))
      const last = page.at(-1)
      if (page.length < limit || last === undefined) break
      afterId = last.id
    }
    found.unshift(...step.slice(-TODAY_LIST_MAX))
    if (found.length >= TODAY_LIST_MAX || read >= TODAY_LIST_SCAN_MAX) break
    until = since
  }
  return found.slice(-TODAY_LIST_MAX).reverse()
}

interface ReviewWait {
  readonly originalOrderId: string
  readonly number: string
  readonly markedAt: Date
  readonly waitedMs: number
  readonly reasons: readonly string[]
}

interface ChangeQueue {
  readonly consumer: string
  readonly depth: number
  readonly oldest: Date | null
}

export interface TodayFigures {
  readonly since: Date
  readonly now: Date
  /** Requests (not support actions: core's `isRequestEntry`) of the last 24 hours, counted by the store. */
  readonly requests: number
  readonly byOutcome: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  /**
   * Always true: the store counts every entry of the day (`summariseJournal`). Kept so that the API keeps its shape
   * for the clients that read it; it was false when the console counted at most 20,000 entries itself.
   */
  readonly complete: boolean
  readonly failedOrRejected: readonly FoundJournalRecord[]
  readonly nearDeadlineMs: number
  readonly nearDeadline: readonly FoundJournalRecord[]
  readonly nearDeadlineCount: number
  readonly ordersForReview: number
  readonly review: readonly ReviewWait[]
  /** The change queue of each consumer (the Domino store only; empty elsewhere). */
  readonly queues: readonly ChangeQueue[]
}

/**
 * The Today page: the last 24 hours by outcome and status and the answers near the deadline, counted by the store in
 * one query; the newest failed, rejected and near-deadline requests; the orders waiting for review, oldest mark first,
 * read from the order headers; and the change queues.
 */
export const todayFigures = async (
  deps: Pick<ConsoleDeps, 'orders' | 'clock' | 'hookDeadlineMs'>,
): Promise<TodayFigures> => {
  const now = deps.clock.now()
  const since = new Date(now.getTime() - 24 * 3600_000)
  const nearDeadlineMs = Math.round(deps.hookDeadlineMs * NEAR_DEADLINE_SHARE)
  // `until` one millisecond after now: an entry of this very millisecond counts.
  const summary = await orThrow(
    deps.orders.summariseJournal({ since, until: new Date(now.getTime() + 1), durationAtLeastMs: nearDeadlineMs }),
  )
  const failedOrRejected = await newestRequests(deps.orders, now, { outcomes: ['failed', 'rejected'] })
  const nearDeadline = await newestRequests(deps.orders, now, { durationAtLeastMs: nearDeadlineMs })
  const stats = await orThrow(deps.orders.stats())
  const marked = await orThrow(deps.orders.ordersForReview(REVIEW_ORDERS_MAX))
  const queues = stats.tables.flatMap((t) => {
    const consumer = changeQueueConsumer(t.table)
    return consumer === undefined ? [] : [{ consumer, depth: t.rows, oldest: t.oldest }]
  })
  return {
    since,
    now,
    requests: summary.requests,
    byOutcome: Object.fromEntries(summary.byOutcome.map((c) => [c.outcome, c.count])),
    byStatus: Object.fromEntries(summary.byStatus.map((c) => [String(c.httpStatus), c.count])),
    complete: true,
    failedOrRejected,
    nearDeadlineMs,
    nearDeadline,
    nearDeadlineCount: summary.atOrAbove,
    ordersForReview: stats.ordersForReview,
    review: marked.map((o) => ({ ...o, waitedMs: now.getTime() - o.markedAt.getTime() })),
    queues,
  }
}

export interface OrderWithHistory {
  readonly order: Order | undefined
  /** A page of the key's history (no bodies), oldest first, and the cursor of the next page. */
  readonly history: readonly FoundJournalRecord[]
  readonly next: number | null
}

/** An order and a page of its history; an order key with history but no order (a create never came) has only history. */
export const orderWithHistory = async (
  orders: OrderRepository,
  key: string,
  afterId?: number,
  limit = CONSOLE_HISTORY_PAGE,
): Promise<OrderWithHistory> => {
  const found = await orThrow(orders.findOrder(key as OriginalOrderId))
  const page = await orThrow(readOrderHistory(orders, key, { limit, ...(afterId === undefined ? {} : { afterId }) }))
  return { order: O.toUndefined(found), history: page.entries, next: page.next }
}

/** One journal entry with its body, or undefined. */
export const journalEntry = async (orders: OrderRepository, id: number): Promise<FoundJournalRecord | undefined> => {
  const [record] = await orThrow(orders.searchJournal({ ids: [id], limit: 1, withBodies: true }))
  return record
}

/**
 * The most entries one journal page reads to find those of one event type or answered status: the store ports have
 * no such filter, so the console filters what it reads, and the page's cursor is where the reading stopped.
 */
const EVENT_TYPE_SCAN_MAX = 10_000

/** The journal filters the console applies to what it reads (see `EVENT_TYPE_SCAN_MAX`). */
export interface ReadFilter {
  /** The event type as sent. */
  readonly eventType?: string | undefined
  /** The HTTP status answered. */
  readonly httpStatus?: number | undefined
}

/**
 * A page of the journal (no bodies) and the cursor of the next one. With `only`, only entries of that event type
 * and/or status, read `EVENT_TYPE_SCAN_MAX` entries at most: a page may then hold fewer than `limit` and still have a next.
 */
export const journalPage = async (
  orders: OrderRepository,
  query: Omit<JournalQuery, 'limit' | 'afterId' | 'withBodies'>,
  afterId: number | undefined,
  limit: number,
  only: ReadFilter = {},
): Promise<{ readonly entries: readonly FoundJournalRecord[]; readonly next: number | null }> => {
  const { eventType, httpStatus } = only
  if (eventType === undefined && httpStatus === undefined) {
    const entries = await orThrow(
      orders.searchJournal({ ...query, ...(afterId === undefined ? {} : { afterId }), limit, withBodies: false }),
    )
    const last = entries.at(-1)
    return { entries, next: entries.length === limit && last !== undefined ? last.id : null }
  }
  const found: FoundJournalRecord[] = []
  let after = afterId
  let scanned = 0
  for (;;) {
    const page = await orThrow(
      orders.searchJournal({
        ...query,
        ...(after === undefined ? {} : { afterId: after }),
        limit: MAX_JOURNAL_PAGE,
        withBodies: false,
      }),
    )
    for (const entry of page) {
      scanned++
      after = entry.id
      if (
        (eventType === undefined || entry.eventType === eventType) &&
        (httpStatus === undefined || entry.httpStatus === httpStatus)
      )
        found.push(entry)
      if (found.length === limit) return { entries: found, next: entry.id }
    }
    if (page.length < MAX_JOURNAL_PAGE) return { entries: found, next: null }
    if (scanned >= EVENT_TYPE_SCAN_MAX) return { entries: found, next: after ?? null }
  }
}
