import { pipe } from 'fp-ts/lib/function.js'
import * as O from 'fp-ts/lib/Option.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Journaled, RequestReceipt } from '../journal/request-receipt.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { ApplyUpdateResult } from '../order/operation-result.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import type { RepositoryError } from '../ports/repository-error.js'

/** The event type the journal records for support clearing a review mark (not a SberMarket event). */
export const REVIEW_CLEARED_EVENT_TYPE = 'support.review-cleared'

/** What `clearReview` found: no such order, an order without a mark, or the mark cleared. */
export type ClearReviewResult =
  { readonly _tag: 'NoSuchOrder' } | { readonly _tag: 'NotMarked' } | { readonly _tag: 'Cleared' }

/**
 * The body the journal keeps for a support action: what was done, by whom and why, as JSON. `operator` is the
 * support console's signed-in operator (the command line has none: whoever holds the shell).
 */
export const reviewClearedBody = (originalOrderId: string, note: string, operator?: string): string =>
  JSON.stringify({
    event_type: REVIEW_CLEARED_EVENT_TYPE,
    payload: { originalOrderId, note, ...(operator === undefined ? {} : { operator }) },
  })

/**
 * Support clears the review mark of an order (`review clear --order KEY --note ...`): once a person has looked at
 * what could not be read and settled it with SberMarket or in Domino. Journaled like a request, with its own
 * `receipt` (the caller gives it a request id and a body from `reviewClearedBody`); nothing but the mark changes.
 */
export const clearReview =
  (deps: { readonly orders: OrderRepository }) =>
  (
    originalOrderId: OriginalOrderId,
    note: string,
    receipt: RequestReceipt,
  ): TE.TaskEither<RepositoryError, ClearReviewResult> =>
    pipe(
      deps.orders.findOrder(originalOrderId),
      TE.chain((found): TE.TaskEither<RepositoryError, ClearReviewResult> => {
        if (O.isNone(found)) return TE.right({ _tag: 'NoSuchOrder' })
        if (found.value.review === undefined) return TE.right({ _tag: 'NotMarked' })
        return pipe(
          deps.orders.applyUpdate({ _tag: 'ReviewCleared', originalOrderId, note }, receipt),
          TE.map(({ result }: Journaled<ApplyUpdateResult>): ClearReviewResult =>
            result.outcome === 'applied' ? { _tag: 'Cleared' } : { _tag: 'NotMarked' },
          ),
        )
      }),
    )
