import type { OperationBudget } from '../driver/operation-budget.js'
import { inTransaction, outsideTransaction, rowWith, type Recordsets } from '../driver/requests.js'
import { serverErrorNumbers } from '../driver/sql-error.js'
import { KEY_VERSION_CONFLICT } from '../sql/error-numbers.js'
import { COMMIT_TEXT, VERSION_CONFLICT_COLUMN, type OnConflict } from '../sql/order-decision-statements.js'
import { together, type SqlStatement } from '../sql/sql-statement.js'
import type { OperationContext } from './operation-context.js'

/** What a write answers when the order changed after its read: it wrote nothing, and the operation reads again. */
export const VERSION_CONFLICT: unique symbol = Symbol('the order changed between the read and the write')
export type VersionConflict = typeof VERSION_CONFLICT

/** The writes of a decision: `first`, and, when they do not fit one request, the requests that follow it. */
export interface DecisionWrites {
  readonly first: SqlStatement
  /** Given what `first` answered; undefined when `first` is all of the writes. */
  readonly rest?: (answer: Recordsets) => readonly SqlStatement[]
}

/**
 * Sends the writes of a decision after `check` (`keyCheck`: the locks and the check of what was read), as one
 * transaction, and answers the recordsets of its last request, or `VERSION_CONFLICT` when what was read had changed.
 * Writes that fit one request (every event of up to ~150 lines) are ONE request that begins, checks, writes and
 * commits (one round trip; the transaction never spans the network). Longer ones (an order of more lines than one
 * request's parameters hold) run as a transaction of several requests through mssql's `Transaction`: begin, the
 * check with the first writes, the rest, commit.
 */
export const checkedWrite = async (
  context: OperationContext,
  budget: OperationBudget,
  check: (onConflict: OnConflict) => SqlStatement,
  writes: DecisionWrites,
): Promise<Recordsets | VersionConflict> => {
  const rest = writes.rest
  if (rest === undefined) {
    const answer = await outsideTransaction(context.pool, budget, together([check('marker'), writes.first, { text: COMMIT_TEXT, params: [] }]))
    return rowWith(answer, VERSION_CONFLICT_COLUMN) === undefined ? answer : VERSION_CONFLICT
  }
  try {
    return await inTransaction(context.pool, budget, async (send) => {
      let answer = await send(together([check('throw'), writes.first]))
      for (const request of rest(answer)) answer = await send(request)
      return answer
    })
  } catch (error) {
    if (serverErrorNumbers(error).includes(KEY_VERSION_CONFLICT)) return VERSION_CONFLICT
    throw error
  }
}

/**
 * Runs an attempt (a read, core's decision, a checked write) again while its write answers `VERSION_CONFLICT` (the order
 * changed between the read and the write: another operation on it committed meanwhile), until the budget runs out
 * (`DeadlineExceeded`, answered StoreTimeout). Each conflict is another writer's progress, and each try costs two
 * round trips, so an order with a handful of events settles in a try or two; a sustained stream of writes to one
 * order faster than a round trip could keep one request retrying until its budget ends (503: SberMarket retries).
 */
export const retryOnConflict = async <A>(budget: OperationBudget, attempt: () => Promise<A | VersionConflict>): Promise<A> => {
  for (;;) {
    const result = await attempt()
    if (result !== VERSION_CONFLICT) return result
    budget.check()
  }
}
