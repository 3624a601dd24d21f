import type { JournalRecord, OrderRepository, RepositoryError } from '@domino-sm/core'
import type * as TE from 'fp-ts/lib/TaskEither.js'

/**
 * The whole history of one order key, oldest first: every request for it and what was answered. The console
 * reads history only through this function, so that it can be pointed at a paged query of the store in one place.
 */
export const readOrderHistory = (orders: OrderRepository, originalOrderId: string): TE.TaskEither<RepositoryError, readonly JournalRecord[]> =>
  orders.listJournal(originalOrderId)
