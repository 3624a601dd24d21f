import type mssql from 'mssql'
import type { OperationBudget } from '../operation-budget.js'
import type { Row } from '../rows/column-values.js'
import { batchText } from './batch-text.js'
import { PinnedConnection } from './pinned-connection.js'
import type { SqlStatement } from './sql-statement.js'

/** The recordsets of a batch, as rows. */
export type Recordsets = readonly (readonly Row[])[]

const recordsetsOf = (result: mssql.IResult<unknown>): Recordsets => result.recordsets as unknown as Recordsets

/** The last batch of an operation: its writes, then COMMIT; answers the row of the selected batch variables. */
export type CommitBatch = (statements: readonly SqlStatement[], select: readonly string[]) => Promise<Row>

/**
 * One operation as two round trips on one pinned connection (issue 10: at most 3, journal included):
 * batch 1 begins the transaction and runs `first` (the key lock and the reads); `work` decides in TypeScript, with
 * the domain's pure functions, and sends batch 2 through `commit` (the writes, the journal entry, COMMIT).
 * Nothing is decided in SQL. On any failure, and when `work` returns without committing, the transaction is rolled
 * back before the connection goes back to the pool (`releaseClean`); a cancel mid-batch is rolled back by SQL
 * Server itself (XACT_ABORT ON), and the clean-up confirms it.
 */
export const inTransaction = async <A>(
  pool: mssql.ConnectionPool,
  budget: OperationBudget,
  first: readonly SqlStatement[],
  work: (reads: Recordsets, commit: CommitBatch) => Promise<A>,
): Promise<A> => {
  const pinned = await PinnedConnection.borrow(pool, budget)
  let committed = false
  try {
    const reads = recordsetsOf(await budget.run(pinned.request(), batchText(first, { opening: 'begin', lockTimeoutMs: budget.lockWaitMs() })))
    const commit: CommitBatch = async (statements, select) => {
      const text = batchText(statements, { opening: 'continue', lockTimeoutMs: budget.lockWaitMs(), commit: true, select })
      const result = recordsetsOf(await budget.run(pinned.request(), text))
      committed = true
      return result[result.length - 1]?.[0] ?? {}
    }
    const value = await work(reads, commit)
    if (!committed) throw new Error('an operation ended without committing its transaction')
    pinned.release()
    return value
  } catch (error) {
    if (committed) pinned.release()
    else await pinned.releaseClean()
    throw error
  }
}

/**
 * One batch that is a whole transaction (begin, statements, commit: one round trip), on a pinned connection for the
 * same clean-up: for reads that must see one consistent state (an order's header with its lines).
 */
export const inOneBatchTransaction = async (pool: mssql.ConnectionPool, budget: OperationBudget, statements: readonly SqlStatement[]): Promise<Recordsets> => {
  const pinned = await PinnedConnection.borrow(pool, budget)
  try {
    const text = batchText(statements, { opening: 'begin', lockTimeoutMs: budget.lockWaitMs(), commit: true })
    const result = recordsetsOf(await budget.run(pinned.request(budget.totalMs), text))
    pinned.release()
    return result
  } catch (error) {
    await pinned.releaseClean()
    throw error
  }
}

/** Statements outside a transaction (each its own autocommit transaction), on any pooled connection. */
export const outsideTransaction = async (
  pool: mssql.ConnectionPool,
  budget: OperationBudget,
  statements: readonly SqlStatement[],
  select: readonly string[] = [],
): Promise<Recordsets> =>
  recordsetsOf(await budget.run(pool.request(), batchText(statements, { opening: 'outside', lockTimeoutMs: budget.lockWaitMs(), select })))
