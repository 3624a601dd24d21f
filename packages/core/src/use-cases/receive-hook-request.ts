import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Outcome } from '../journal/journal-entry.js'
import type { DominoNumber } from '../order/order-id.js'
import type { OrderCreated, OrderUpdate } from '../order/order-event.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import { isPermanent, type RepositoryError } from '../ports/repository-error.js'
import { decodeHookBody, type UnreadablePolicy } from '../wire/decode-hook-body.js'
import type { HookProblem } from '../wire/hook-problem.js'
import type { EntryFacts } from '../journal/entry-facts.js'
import { createFacts, updateFacts } from '../journal/entry-fact-builders.js'
import type { JournalStamp, RequestReceipt } from '../journal/request-receipt.js'

export interface ReceiveHookDeps {
  readonly orders: OrderRepository
  /**
   * What to do with an `order.created`/`order.changed` whose key can be read but whose content cannot be read whole
   * (docs/contract.md §2): `review` (the default) creates the order, or keeps the change, for a person to review,
   * and answers 200; `reject` answers 400 as a strict reader would (SberMarket then retries and cancels the order).
   */
  readonly unreadable?: UnreadablePolicy
}

/** One request as the edge received it, authenticated and read. */
export interface HookRequest {
  /** The request's id, given at arrival (see `JournalEntry.requestId`). */
  readonly requestId: string
  readonly rawBody: string
  /** When its bytes arrived. */
  readonly receivedAt: Date
  /** When the answer is due: an operation the store commits later is journaled as answered 503. */
  readonly answerBy: Date
  /** Set by `journal replay`: the id of the entry whose body this request re-runs. */
  readonly replayOf?: number
}

/**
 * What to answer: the Domino number for `order.created` (with the order's creation time, from which an optional
 * `expectedAssemblyTime` is computed, so that a retried create answers the same), nothing for every other event.
 */
export type HookAnswer =
  | { readonly _tag: 'OrderNumber'; readonly number: DominoNumber; readonly createdAt: Date }
  | { readonly _tag: 'NoContent' }

export interface HookSuccess {
  readonly answer: HookAnswer
  readonly facts: EntryFacts
  /**
   * The journal entry the store committed with the order operation; absent when the request reached none
   * (an ignored event type), and the edge journals it.
   */
  readonly journal?: JournalStamp
}

/** The request's body could not be understood (answered 400), or the store failed (answered 503); the edge journals both. */
export type HookFailure =
  | { readonly _tag: 'Rejected'; readonly problem: HookProblem; readonly facts: EntryFacts }
  | { readonly _tag: 'StoreFailed'; readonly error: RepositoryError; readonly facts: EntryFacts }

/**
 * The journal facts of a request's result, whichever way it went: what its one entry records. The edge and the
 * replay both journal a request that reached no order operation from these.
 */
export const factsOf = (result: E.Either<HookFailure, HookSuccess>): EntryFacts =>
  E.isRight(result) ? result.right.facts : result.left.facts

const facts = (
  eventType: string | null,
  originalOrderId: string | null,
  outcome: Outcome,
  detail: string | null = null,
): EntryFacts => ({
  eventType,
  originalOrderId,
  outcome,
  detail,
})

/** The journal detail of a store failure; a permanent one says that it needs a person, and why (no customer data). */
export const storeFailedDetail = (error: RepositoryError): string =>
  isPermanent(error) ? `${NEEDS_A_PERSON}${error.reason}` : error._tag

/** The prefix of the detail of a request the store refused for good: support and alerts search for it. */
export const NEEDS_A_PERSON = 'needs a person: the store refused it: '

const storeFailed =
  (eventType: string, originalOrderId: string) =>
  (error: RepositoryError): HookFailure => ({
    _tag: 'StoreFailed',
    error,
    facts: facts(eventType, originalOrderId, 'failed', storeFailedDetail(error)),
  })

const receiptOf = (eventType: string, request: HookRequest): RequestReceipt => ({
  requestId: request.requestId,
  receivedAt: request.receivedAt,
  answerBy: request.answerBy,
  eventType,
  rawBody: request.rawBody,
  ...(request.replayOf === undefined ? {} : { replayOf: request.replayOf }),
})

/**
 * The order operation's result as the hook's: written as a plain task rather than `pipe` with `TE.mapLeft` and
 * `TE.map`, which per request built their closures, copied their arguments (fp-ts's `dual`) and chained two more
 * promises; the same result.
 */
const create =
  (
    deps: ReceiveHookDeps,
    eventType: string,
    event: OrderCreated,
    request: HookRequest,
  ): TE.TaskEither<HookFailure, HookSuccess> =>
  async () => {
    const stored = await deps.orders.createOrGet(event, receiptOf(eventType, request))()
    if (E.isLeft(stored)) return E.left(storeFailed(eventType, event.originalOrderId)(stored.left))
    const { result, journal } = stored.right
    return E.right({
      answer: { _tag: 'OrderNumber', number: result.order.number, createdAt: result.order.createdAt },
      facts: { ...createFacts(eventType, event.originalOrderId, result), detail: journal.detail },
      journal,
    })
  }

const update =
  (
    deps: ReceiveHookDeps,
    eventType: string,
    event: OrderUpdate,
    request: HookRequest,
  ): TE.TaskEither<HookFailure, HookSuccess> =>
  async () => {
    const stored = await deps.orders.applyUpdate(event, receiptOf(eventType, request))()
    if (E.isLeft(stored)) return E.left(storeFailed(eventType, event.originalOrderId)(stored.left))
    const { result, journal } = stored.right
    return E.right({
      answer: { _tag: 'NoContent' },
      facts: { ...updateFacts(eventType, event.originalOrderId, result, event), detail: journal.detail },
      journal,
    })
  }

/**
 * The hook's use case (docs/contract.md §4): decode the body, then create the order idempotently, apply an update (or keep
 * it pending), or ignore an event type we do not handle. An order operation journals its request in its own
 * transaction (`journal` in the success); the caller journals every other request with the status it answers.
 */
export const receiveHookRequest =
  (deps: ReceiveHookDeps) =>
  (request: HookRequest): TE.TaskEither<HookFailure, HookSuccess> => {
    const decoded = decodeHookBody(request.rawBody, deps.unreadable ?? 'review')
    if (E.isLeft(decoded)) {
      const problem = decoded.left
      const eventType = problem._tag === 'MalformedJson' ? null : (problem.eventType ?? null)
      const orderId = problem._tag === 'InvalidPayload' ? (problem.originalOrderId ?? null) : null
      return TE.left({ _tag: 'Rejected', problem, facts: facts(eventType, orderId, 'rejected', problem.detail) })
    }
    const message = decoded.right
    if (message._tag === 'UnknownEvent') {
      return TE.right({
        answer: { _tag: 'NoContent' },
        facts: facts(message.eventType, message.originalOrderId ?? null, 'ignored'),
      })
    }
    const event = message.event
    return event._tag === 'OrderCreated'
      ? create(deps, message.eventType, event, request)
      : update(deps, message.eventType, event, request)
  }
