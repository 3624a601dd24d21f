import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as O from 'fp-ts/lib/Option.js'
import { journalPage, type JournalPage, type PageRequest } from '../journal/journal-page.js'
import { MAX_JOURNAL_PAGE } from '../journal/journal-query.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Order } from '../order/order.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import type { RepositoryError } from '../ports/repository-error.js'

/** Support's question "what do we have for order H123?". */
export const lookUpOrder =
  (deps: { readonly orders: OrderRepository }) =>
  (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    deps.orders.findOrder(originalOrderId)

/**
 * Support's question "what did SberMarket send us about H123, and what did we answer?": one page of the key's
 * journal, oldest first, at most `MAX_JOURNAL_PAGE` entries, WITHOUT bodies (`hasBody` says which are kept; one
 * entry's body is read by its id). An order's history can hold hundreds of requests of up to the body limit each:
 * read whole, it once took the SQLite store's process to 1.9 GB and could not be answered at all.
 */
export const orderHistoryPage =
  (deps: { readonly orders: OrderRepository }) =>
  (originalOrderId: string, page: PageRequest): TE.TaskEither<RepositoryError, JournalPage> => {
    const limit = Math.max(1, Math.min(page.limit, MAX_JOURNAL_PAGE))
    return pipe(
      deps.orders.searchJournal({
        originalOrderId,
        ...(page.afterId === undefined ? {} : { afterId: page.afterId }),
        limit,
        withBodies: false,
      }),
      TE.map((found) => journalPage(found, limit)),
    )
  }
