import mssql from 'mssql'
import type { OperationBudget } from '../operation-budget.js'
import type { SqlStatement } from './sql-statement.js'

/** Runs statements: on one transaction's connection, or on any pooled connection. */
export interface StatementRunner {
  readonly run: <R>(statement: SqlStatement) => Promise<mssql.IResult<R>>
}

/**
 * Prefixed to the first statement of every transaction. A pooled connection must start each transaction with no
 * other one open (@@TRANCOUNT = 1, the one just begun) and with XACT_ABORT ON (bit 16384 of @@OPTIONS). If an earlier
 * transaction leaked, THROW under XACT_ABORT rolls back everything on the connection, releasing its locks, and this
 * operation fails once (503, SberMarket retries). THROW, unlike RAISERROR, honours XACT_ABORT.
 */
export const TRANSACTION_GUARD = `IF @@TRANCOUNT <> 1 OR (@@OPTIONS & 16384) = 0
BEGIN
  THROW 50001, N'domino-sm: pooled connection had an open transaction or XACT_ABORT OFF', 1;
END;
`

/**
 * Prefixed to every statement: wait for a lock at most this long. A statement blocked on a lock then fails on the
 * server with error 1222 (answered StoreTimeout) before the budget runs out and the client has to cancel it; under
 * XACT_ABORT the error rolls the transaction back through the ordinary error path. SET options given inside
 * `sp_executesql` end with it, hence on every statement. 80% of the budget leaves time to roll back and answer.
 */
export const lockTimeoutPrefix = (budgetMs: number): string => `SET LOCK_TIMEOUT ${Math.max(100, Math.floor(budgetMs * 0.8))};\n`

const requestWith = (request: mssql.Request, statement: SqlStatement): mssql.Request => {
  for (const param of statement.params) request.input(param.name, param.type, param.value)
  return request
}

/** Statements outside a transaction (each one is its own autocommit transaction). */
export const poolRunner = (pool: mssql.ConnectionPool, budget: OperationBudget): StatementRunner => ({
  run: <R>(statement: SqlStatement) => budget.run<R>(requestWith(pool.request(), statement), lockTimeoutPrefix(budget.totalMs) + statement.text),
})

/**
 * Runs `work` in one READ COMMITTED transaction on one pooled connection. Commits when `work` resolves and the budget
 * is not spent; otherwise rolls back. A rollback that fails is not an error of its own: either SQL Server already
 * rolled back (XACT_ABORT; mssql reports EABORT and has released the connection) or the connection is broken, and
 * mssql's pool validation discards a broken connection before it is lent again.
 */
export const inTransaction = async <A>(
  pool: mssql.ConnectionPool,
  budget: OperationBudget,
  work: (runner: StatementRunner) => Promise<A>,
): Promise<A> => {
  budget.check()
  const transaction = new mssql.Transaction(pool)
  await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
  let guarded = false
  const runner: StatementRunner = {
    run: <R>(statement: SqlStatement) => {
      const text = (guarded ? '' : TRANSACTION_GUARD) + lockTimeoutPrefix(budget.totalMs) + statement.text
      guarded = true
      return budget.run<R>(requestWith(new mssql.Request(transaction), statement), text)
    },
  }
  try {
    const result = await work(runner)
    budget.check()
    await transaction.commit()
    return result
  } catch (error) {
    await transaction.rollback().catch(() => undefined)
    throw error
  }
}
