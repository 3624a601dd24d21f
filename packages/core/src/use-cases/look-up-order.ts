import type * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { JournalRecord } from '../journal/journal-entry.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Order } from '../order/order.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import type { RepositoryError } from '../ports/repository-error.js'

/** Support's question "what do we have for order H123?". */
export const lookUpOrder = (deps: { readonly orders: OrderRepository }) =>
  (originalOrderId: OriginalOrderId): TE.TaskEither<RepositoryError, O.Option<Order>> =>
    deps.orders.findOrder(originalOrderId)

/** Support's question "what did SberMarket send us about H123, and what did we answer?", oldest first. */
export const orderHistory = (deps: { readonly orders: OrderRepository }) =>
  (originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
    deps.orders.listJournal(originalOrderId)
