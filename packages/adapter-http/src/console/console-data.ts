import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import {
  changeQueueConsumer,
  MAX_JOURNAL_PAGE,
  type FoundJournalRecord,
  type JournalQuery,
  type JournalRecord,
  type Order,
  type OrderRepository,
  type OriginalOrderId,
  type RepositoryError,
} from '@domino-sm/core'
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

/**
 * The most journal entries the Today page reads to count the last 24 hours. Beyond it the counts say "at least":
 * the store ports have no counting query yet (README "Support console", what is not done).
 */
export const TODAY_SCAN_MAX = 20_000
/** The most entries of orders marked for review read to find the marked orders, and the most orders shown. */
export const REVIEW_SCAN_MAX = 5_000
export const REVIEW_ORDERS_MAX = 100
/** The most entries the Today page lists under "failed and rejected" and "near the deadline" (newest first). */
export const TODAY_LIST_MAX = 50

const isRequest = (entry: JournalRecord): boolean => entry.requestId !== null && entry.eventType?.startsWith('support.') !== true

/** Entries a query selects, page by page, up to `max`; whether there were more. */
const scan = async (orders: OrderRepository, query: Omit<JournalQuery, 'limit' | 'afterId'>, max: number): Promise<{ entries: FoundJournalRecord[]; complete: boolean }> => {
  const entries: FoundJournalRecord[] = []
  let afterId: number | undefined
  for (;;) {
    const limit = Math.min(MAX_JOURNAL_PAGE, max + 1 - entries.length)
    const page = await orThrow(orders.searchJournal({ ...query, limit, ...(afterId === undefined ? {} : { afterId }) }))
    entries.push(...page)
    const last = page.at(-1)
    if (entries.length > max) return { entries: entries.slice(0, max), complete: false }
    if (page.length < limit || last === undefined) return { entries, complete: true }
    afterId = last.id
  }
}

export interface ReviewWait {
  readonly originalOrderId: string
  readonly number: string
  readonly markedAt: Date
  readonly waitedMs: number
  readonly reasons: readonly string[]
}

export interface ChangeQueue {
  readonly consumer: string
  readonly depth: number
  readonly oldest: Date | null
}

export interface TodayFigures {
  readonly since: Date
  readonly now: Date
  /** Requests (not support actions) of the last 24 hours. */
  readonly requests: number
  readonly byOutcome: Readonly<Record<string, number>>
  readonly byStatus: Readonly<Record<string, number>>
  /** False when more than TODAY_SCAN_MAX entries were received: the counts are then "at least". */
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

const count = (into: Record<string, number>, key: string): void => {
  into[key] = (into[key] ?? 0) + 1
}

const keysOf = (entries: readonly JournalRecord[]): string[] => [...new Set(entries.map((e) => e.originalOrderId).filter((k): k is string => k !== null))]

/**
 * The orders marked for review, oldest mark first: found from the journal entries of marked orders, then read one
 * by one. First only the entries that create an order or raise a mark (`created`, `review`: one or two per order,
 * so every marked order is found even when each has hundreds of status entries); when that finds fewer orders than
 * the store counts as marked (an order whose create was journaled otherwise), every entry of marked orders.
 */
const ordersForReview = async (orders: OrderRepository, now: Date, marked: number): Promise<ReviewWait[]> => {
  let keys = keysOf((await scan(orders, { forReview: true, outcomes: ['created', 'review'], withBodies: false }, REVIEW_SCAN_MAX)).entries)
  if (keys.length < Math.min(marked, REVIEW_ORDERS_MAX)) keys = keysOf((await scan(orders, { forReview: true, withBodies: false }, REVIEW_SCAN_MAX)).entries)
  keys = keys.slice(0, REVIEW_ORDERS_MAX)
  const waits: ReviewWait[] = []
  for (const key of keys) {
    const found = await orThrow(orders.findOrder(key as OriginalOrderId))
    if (O.isSome(found) && found.value.review !== undefined) {
      const review = found.value.review
      waits.push({ originalOrderId: key, number: found.value.number, markedAt: review.markedAt, waitedMs: now.getTime() - review.markedAt.getTime(), reasons: review.reasons })
    }
  }
  return waits.sort((a, b) => a.markedAt.getTime() - b.markedAt.getTime())
}

/** The Today page: the last 24 hours by outcome and status, what needs a person, and the change queues. */
export const todayFigures = async (deps: ConsoleDeps): Promise<TodayFigures> => {
  const now = deps.clock.now()
  const since = new Date(now.getTime() - 24 * 3600_000)
  const { entries, complete } = await scan(deps.orders, { since, withBodies: false }, TODAY_SCAN_MAX)
  const byOutcome: Record<string, number> = {}
  const byStatus: Record<string, number> = {}
  const nearDeadlineMs = Math.round(deps.hookDeadlineMs * NEAR_DEADLINE_SHARE)
  const requests = entries.filter(isRequest)
  for (const entry of requests) {
    count(byOutcome, entry.outcome)
    count(byStatus, String(entry.httpStatus))
  }
  const near = requests.filter((e) => e.durationMs >= nearDeadlineMs)
  const stats = await orThrow(deps.orders.stats())
  const queues = stats.tables.flatMap((t) => {
    const consumer = changeQueueConsumer(t.table)
    return consumer === undefined ? [] : [{ consumer, depth: t.rows, oldest: t.oldest }]
  })
  return {
    since,
    now,
    requests: requests.length,
    byOutcome,
    byStatus,
    complete,
    failedOrRejected: requests.filter((e) => e.outcome === 'failed' || e.outcome === 'rejected').slice(-TODAY_LIST_MAX).reverse(),
    nearDeadlineMs,
    nearDeadline: near.slice(-TODAY_LIST_MAX).reverse(),
    nearDeadlineCount: near.length,
    ordersForReview: stats.ordersForReview,
    review: await ordersForReview(deps.orders, now, stats.ordersForReview),
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
export const orderWithHistory = async (orders: OrderRepository, key: string, afterId?: number, limit = CONSOLE_HISTORY_PAGE): Promise<OrderWithHistory> => {
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
export const EVENT_TYPE_SCAN_MAX = 10_000

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
    const entries = await orThrow(orders.searchJournal({ ...query, ...(afterId === undefined ? {} : { afterId }), limit, withBodies: false }))
    const last = entries.at(-1)
    return { entries, next: entries.length === limit && last !== undefined ? last.id : null }
  }
  const found: FoundJournalRecord[] = []
  let after = afterId
  let scanned = 0
  for (;;) {
    const page = await orThrow(orders.searchJournal({ ...query, ...(after === undefined ? {} : { afterId: after }), limit: MAX_JOURNAL_PAGE, withBodies: false }))
    for (const entry of page) {
      scanned++
      after = entry.id
      if ((eventType === undefined || entry.eventType === eventType) && (httpStatus === undefined || entry.httpStatus === httpStatus)) found.push(entry)
      if (found.length === limit) return { entries: found, next: entry.id }
    }
    if (page.length < MAX_JOURNAL_PAGE) return { entries: found, next: null }
    if (scanned >= EVENT_TYPE_SCAN_MAX) return { entries: found, next: after ?? null }
  }
}
