import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as T from 'fp-ts/lib/Task.js'
import { applyUpdate } from '../order/apply-update.js'
import type { JournalRecord, Outcome } from '../journal/journal-entry.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import { decodeHookBody, type UnreadablePolicy } from '../wire/decode-hook-body.js'
import { journalEntry } from '../journal/entry-facts.js'
import { SUPPORT_EVENT_TYPE_PREFIX } from '../journal/journal-summary.js'
import {
  factsOf,
  receiveHookRequest,
  storeFailedDetail,
  type HookFailure,
  type HookSuccess,
} from './receive-hook-request.js'

/** Whether a journal entry can be run again, and from which body; or why not, in words support understands. */
export type Replayability =
  { readonly _tag: 'Replayable'; readonly rawBody: string } | { readonly _tag: 'NotReplayable'; readonly why: string }

/** The statuses of a body the edge refused without reading it (media type, size, a connection that ended). */
const REFUSED_UNREAD = new Set([413, 415])

/**
 * Whether `record` is a request whose body is still kept as the hook read it. Not replayable: entries that are no
 * request (`expired`), support actions, bodies refused unread (never kept), bodies cleared by the retention policy
 * (or erased), and bodies that were not UTF-8 text (kept in base64: the hook could never read them).
 */
export const replayabilityOf = (record: JournalRecord): Replayability => {
  if (record.requestId === null || record.outcome === 'expired')
    return { _tag: 'NotReplayable', why: 'not a request (a pending update the retention policy removed)' }
  if (record.eventType?.startsWith(SUPPORT_EVENT_TYPE_PREFIX) === true)
    return { _tag: 'NotReplayable', why: 'a support action, not a request from SberMarket' }
  if (record.rawBody === null) {
    const refused =
      record.outcome === 'rejected' &&
      (REFUSED_UNREAD.has(record.httpStatus) || record.detail?.includes('connection ended') === true)
    return {
      _tag: 'NotReplayable',
      why: refused
        ? `refused unread (answered ${record.httpStatus}): its body was never kept`
        : 'its body is no longer kept (cleared by the retention policy, or erased)',
    }
  }
  if (record.outcome === 'rejected' && record.detail?.includes('in base64') === true) {
    return { _tag: 'NotReplayable', why: 'its bytes were not UTF-8 text (kept in base64): the hook cannot read them' }
  }
  return { _tag: 'Replayable', rawBody: record.rawBody }
}

/** What a replay of one entry did (or, in a dry run, would do now). */
export type ReplayResult =
  | { readonly _tag: 'NotReplayable'; readonly why: string }
  | {
      readonly _tag: 'Replayed' | 'WouldReplay'
      /** The outcome now (`failed` when the store could not answer). */
      readonly outcome: Outcome
      readonly detail: string | null
      /** The Domino number a create answers (created now, or the one that exists). */
      readonly number?: string
      /** The new entry that journals the replay; absent in a dry run, and when even that entry could not be written. */
      readonly entryId?: number
    }

export interface ReplayDeps {
  readonly orders: OrderRepository
  /** As the hook is configured (`UNREADABLE_ORDERS`), so that a replay decides as the hook would now. */
  readonly unreadable?: UnreadablePolicy
  readonly now: () => Date
  /** A fresh request id (a UUID) per replay: a replay is a request of its own. */
  readonly newRequestId: () => string
  /**
   * The status the hook's edge answers a result (adapter-http's `answeredStatus`, from its `answerFor`), which the
   * entry of a replay that reached no order operation records. Given, because core knows no HTTP status: the
   * mapping from outcome to status is the edge's, in one place (docs/contract.md §2).
   */
  readonly answeredStatus: (result: E.Either<HookFailure, HookSuccess>) => number
}

/** A replay has no SberMarket waiting for its answer: its entry is never journaled as answered late. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

/**
 * Runs the body of entry `record` again through the hook's own use case (`receiveHookRequest`), as a new request
 * with its own id, marked `replayOf: record.id`; its journal entry is written by the order operation, as for the
 * hook, or here when the request reached none (rejected, ignored, store failed). Idempotent as the hook is: a create
 * whose order exists answers its number and creates nothing; a status already applied is a `duplicate`. Never fails:
 * a store failure is the line's outcome (`failed`), as it would be for the hook.
 */
export const replayEntry =
  (deps: ReplayDeps) =>
  (record: JournalRecord): T.Task<ReplayResult> =>
  async () => {
    const replayable = replayabilityOf(record)
    if (replayable._tag === 'NotReplayable') return replayable
    const receivedAt = deps.now()
    const requestId = deps.newRequestId()
    const result = await receiveHookRequest({
      orders: deps.orders,
      ...(deps.unreadable === undefined ? {} : { unreadable: deps.unreadable }),
    })({
      requestId,
      rawBody: replayable.rawBody,
      receivedAt,
      answerBy: NO_DEADLINE,
      replayOf: record.id,
    })()
    const facts = factsOf(result)
    const number =
      E.isRight(result) && result.right.answer._tag === 'OrderNumber' ? { number: result.right.answer.number } : {}
    const committed = E.isRight(result) ? result.right.journal : undefined
    if (committed !== undefined)
      return { _tag: 'Replayed', outcome: facts.outcome, detail: facts.detail, entryId: committed.id, ...number }
    const durationMs = Math.max(0, deps.now().getTime() - receivedAt.getTime())
    const httpStatus = deps.answeredStatus(result)
    const delivery = { requestId, rawBody: replayable.rawBody, receivedAt, httpStatus, durationMs }
    const entry = { ...journalEntry(facts, delivery), replayOf: record.id }
    const written = await deps.orders.recordJournal(entry)()
    return {
      _tag: 'Replayed',
      outcome: facts.outcome,
      detail: facts.detail,
      ...(E.isRight(written) ? { entryId: written.right } : {}),
      ...number,
    }
  }

/**
 * What a replay of entry `record` would do now, changing nothing: the body decoded as the hook would, and the
 * order read (never locked or written) to judge a create (`created`, or `duplicate` with its number) and an update
 * (`pending` without its order, else core's `applyUpdate` on the order as it is). A store that cannot answer gives
 * `failed`. Beside live traffic the real replay may still find otherwise: this is a forecast. It writes no entry,
 * so it needs neither a request id nor the edge's status.
 */
export const forecastReplay =
  (deps: Omit<ReplayDeps, 'answeredStatus' | 'newRequestId'>) =>
  (record: JournalRecord): T.Task<ReplayResult> =>
  async () => {
    const replayable = replayabilityOf(record)
    if (replayable._tag === 'NotReplayable') return replayable
    const would = (outcome: Outcome, detail: string | null, number?: string): ReplayResult => ({
      _tag: 'WouldReplay',
      outcome,
      detail,
      ...(number === undefined ? {} : { number }),
    })
    const decoded = decodeHookBody(replayable.rawBody, deps.unreadable ?? 'review')
    if (E.isLeft(decoded)) return would('rejected', decoded.left.detail)
    if (decoded.right._tag === 'UnknownEvent') return would('ignored', null)
    const event = decoded.right.event
    const found = await deps.orders.findOrder(event.originalOrderId)()
    if (E.isLeft(found)) return would('failed', storeFailedDetail(found.left))
    if (event._tag === 'OrderCreated') {
      return O.isSome(found.right)
        ? would('duplicate', 'the order exists: answers its number, creates nothing', found.right.value.number)
        : would('created', null)
    }
    if (O.isNone(found.right)) return would('pending', 'its order does not exist: kept until it is created')
    return would(applyUpdate(found.right.value, event, deps.now()).outcome, null)
  }
