import {
  orderHistoryPage,
  type JournalPage,
  type OrderRepository,
  type PageRequest,
  type RepositoryError,
} from '@domino-sm/core'
import type * as TE from 'fp-ts/lib/TaskEither.js'

/** What the console's order page shows of an order's history at once; `?after=` pages on. */
export const CONSOLE_HISTORY_PAGE = 200

/**
 * One page of an order key's history, oldest first, without bodies (core's `orderHistoryPage`): every request for
 * it and what was answered. The console reads history only through this function.
 */
export const readOrderHistory = (
  orders: OrderRepository,
  originalOrderId: string,
  page: PageRequest,
): TE.TaskEither<RepositoryError, JournalPage> => orderHistoryPage({ orders })(originalOrderId, page)
