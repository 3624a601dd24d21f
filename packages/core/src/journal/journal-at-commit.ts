import type { ApplyUpdateResult, CreateOrGetResult } from '../order/operation-result.js'
import type { Order } from '../order/order.js'
import type { OrderUpdate } from '../order/order-event.js'
import type { ReceiptFacts } from './entry-facts.js'
import type { JournalEntry } from './journal-entry.js'

/**
 * A hook request as the store journals it, in the same transaction as the order operation it causes, so that an
 * order never exists without the entry of the request that made or changed it (a process killed between two
 * transactions would lose the entry).
 */
export interface RequestReceipt {
  /** The request's id (see `JournalEntry.requestId`): the operation writes the request's one entry under it. */
  readonly requestId: string
  /** When the request's bytes arrived: the deadline and the duration count from here. */
  readonly receivedAt: Date
  /**
   * When the answer is due (`receivedAt` + the hook's deadline). An operation that commits later than this is
   * journaled as answered 503, because the edge has answered 503 by then.
   */
  readonly answerBy: Date
  /** The event type as sent. */
  readonly eventType: string
  /** The body exactly as received. */
  readonly rawBody: string
  /** The entry this request replays (`JournalEntry.replayOf`); absent for a request from SberMarket. */
  readonly replayOf?: number
}

/** What the journal says of a committed operation: the entry's id and the status it records as answered. */
export interface JournalStamp {
  readonly id: number
  readonly httpStatus: number
  readonly detail: string | null
}

/** The store's result of an operation, and the journal entry committed with it. */
export interface Journaled<A> {
  readonly result: A
  readonly journal: JournalStamp
}

/** The status every order operation that commits in time answers (docs/contract.md §2): 200, with or without a body. */
export const ANSWERED_IN_TIME = 200
/** What a request answered at the deadline gets (docs/contract.md §2: the database is too slow). */
export const ANSWERED_LATE = 503

/**
 * The longest duration a journal entry records: what a 32-bit integer column holds (about 24 days). Only a
 * replayed or imported receipt with an old `receivedAt` comes near it.
 */
export const MAX_JOURNAL_DURATION_MS = 2_147_483_647

/** The prefix of the detail of every entry that marked an order for review: support and alerts search for it. */
export const FOR_REVIEW = 'for review: '

const joinDetails = (parts: readonly (string | null)[]): string | null => {
  const given = parts.filter((p): p is string => p !== null)
  return given.length === 0 ? null : given.join('; ')
}

/** The facts of a create that found its order: a duplicate, whatever the order holds. */
const duplicateFacts = (eventType: string, originalOrderId: string): ReceiptFacts => ({ eventType, originalOrderId, outcome: 'duplicate', detail: null })

/**
 * The facts of a create: `created` (noting what could not be read, and the pending updates it applied) or
 * `duplicate`.
 */
export const createFacts = (eventType: string, originalOrderId: string, result: CreateOrGetResult): ReceiptFacts =>
  result._tag === 'AlreadyExists'
    ? duplicateFacts(eventType, originalOrderId)
    : {
        eventType,
        originalOrderId,
        outcome: 'created',
        detail: joinDetails([
          result.order.review === undefined ? null : `${FOR_REVIEW}${result.order.review.reasons.join('; ')}`,
          result.pendingApplied.length > 0 ? `applied ${result.pendingApplied.length} pending: ${result.pendingApplied.map((p) => p.outcome).join(', ')}` : null,
        ]),
      }

/**
 * The facts of an update: what `applyUpdate` decided, or `pending`; a change that could not be read says what,
 * and a change or a support action that cleared a review mark says so.
 */
export const updateFacts = (eventType: string, originalOrderId: string, result: ApplyUpdateResult, update?: OrderUpdate, before?: Order): ReceiptFacts => ({
  eventType,
  originalOrderId,
  outcome: result.outcome,
  detail: updateDetail(result, update, before),
})

const updateDetail = (result: ApplyUpdateResult, update: OrderUpdate | undefined, before: Order | undefined): string | null => {
  if (update === undefined) return null
  if (update._tag === 'ChangeUnreadable') {
    const reasons = update.reasons.join('; ')
    return result.outcome === 'review' ? `${FOR_REVIEW}${reasons}; the change was not applied` : result.outcome === 'pending' ? `${FOR_REVIEW}${reasons}` : null
  }
  const cleared = result.outcome === 'applied' && before?.review !== undefined && result.order?.review === undefined
  if (!cleared) return null
  return update._tag === 'ReviewCleared' ? `review mark cleared by support: ${update.note}` : 'review mark cleared: the change read cleanly'
}

/** The detail of an entry whose operation committed after the answer was due. */
export const lateDetail = (facts: ReceiptFacts): string => {
  const done = `the store committed ${facts.outcome} after the deadline; answered 503`
  return facts.detail === null ? done : `${done} (${facts.detail})`
}

/**
 * The journal entry of an order operation, completed at the moment its store commits (`committedAt`, read inside
 * the transaction just before the commit). Pure: every store calls it, so the rule is one: committed by
 * `answerBy`, the entry says 200; later, it says 503 (what the edge answered) and why. `durationMs` is the time
 * from arrival to commit, in whole milliseconds (at most `MAX_JOURNAL_DURATION_MS`).
 */
export const journalEntryAtCommit = (receipt: RequestReceipt, facts: ReceiptFacts, committedAt: Date): JournalEntry => {
  const late = committedAt.getTime() > receipt.answerBy.getTime()
  return {
    requestId: receipt.requestId,
    receivedAt: receipt.receivedAt,
    eventType: facts.eventType,
    originalOrderId: facts.originalOrderId,
    rawBody: receipt.rawBody,
    outcome: facts.outcome,
    httpStatus: late ? ANSWERED_LATE : ANSWERED_IN_TIME,
    durationMs: Math.min(MAX_JOURNAL_DURATION_MS, Math.max(0, committedAt.getTime() - receipt.receivedAt.getTime())),
    detail: late ? lateDetail(facts) : facts.detail,
    ...(receipt.replayOf === undefined ? {} : { replayOf: receipt.replayOf }),
  }
}

/** The entry of a create, completed at commit. */
export const createJournalEntry = (receipt: RequestReceipt, originalOrderId: string, result: CreateOrGetResult, committedAt: Date): JournalEntry =>
  journalEntryAtCommit(receipt, createFacts(receipt.eventType, originalOrderId, result), committedAt)

/**
 * The entry of a create that finds its order, completed at commit; equal to `createJournalEntry` of an
 * `AlreadyExists` result, whatever the order holds, so a store may write it before it has read the order.
 */
export const duplicateJournalEntry = (receipt: RequestReceipt, originalOrderId: string, committedAt: Date): JournalEntry =>
  journalEntryAtCommit(receipt, duplicateFacts(receipt.eventType, originalOrderId), committedAt)

/**
 * The entry of an update (pending included), completed at commit. `before` is the order as read under lock
 * (absent for a pending update): the entry notes a review mark the update cleared.
 */
export const updateJournalEntry = (
  receipt: RequestReceipt,
  update: OrderUpdate,
  result: ApplyUpdateResult,
  committedAt: Date,
  before?: Order,
): JournalEntry => journalEntryAtCommit(receipt, updateFacts(receipt.eventType, update.originalOrderId, result, update, before), committedAt)

/** The detail of an operation's entry when the edge had journaled its request as answered before the commit. */
export const committedAfterAnswerDetail = (committed: JournalEntry): string => {
  const done = `the store committed ${committed.outcome} after the hook had answered without it; the status is what was answered`
  return committed.detail === null ? done : `${done} (${committed.detail})`
}

/**
 * One entry per request, when an operation commits: a store that finds an entry of `committed.requestId` already
 * written (the edge answered before the store's reply came: at the deadline, or the reply was lost) rewrites that
 * entry with the operation's facts (what the database now holds) and keeps the status that was answered.
 */
export const entryOnCommit = (committed: JournalEntry, existing: JournalEntry): JournalEntry => ({
  ...committed,
  httpStatus: existing.httpStatus,
  detail: existing.httpStatus === committed.httpStatus ? committed.detail : committedAfterAnswerDetail(committed),
})

/**
 * One entry per request, when the edge journals what it answered (`recordJournal`): a store that finds an entry of
 * `answered.requestId` already written keeps the facts of a committed operation (the edge wrote `failed` because the
 * store's reply did not come, but the commit landed) with the status answered; otherwise `answered` replaces it (a
 * later settlement of the same request). Stores apply this to the entry they find, atomically.
 */
export const entryOnAnswer = (existing: JournalEntry, answered: JournalEntry): JournalEntry =>
  answered.outcome === 'failed' && existing.outcome !== 'failed' ? entryOnCommit(existing, answered) : answered

/** The stamp of a stored entry. */
export const stampOf = (id: number, entry: JournalEntry): JournalStamp => ({ id, httpStatus: entry.httpStatus, detail: entry.detail })
