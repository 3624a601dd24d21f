import mssql from 'mssql'
import type { OperationBudget } from './operation-budget.js'
import type { Row } from '../rows/column-values.js'
import { CONNECTION_STATE_ERROR } from '../sql/error-numbers.js'
import type { SqlStatement } from '../sql/sql-statement.js'

/** The recordsets of a request, as rows. */
export type Recordsets = readonly (readonly Row[])[]

/** Sends one statement (one request) and answers its recordsets. */
export type Send = (statement: SqlStatement) => Promise<Recordsets>

/**
 * The first lines of every request. A pooled connection that still has a transaction open (a commit whose reply
 * was lost, a cancel the server did not follow) would swallow this operation's statements into it and hold its
 * locks; one without XACT_ABORT (16384 in @@OPTIONS; the driver sets it when the connection opens) would keep a
 * failed transaction open. THROW under XACT_ABORT ON rolls back everything open on the connection, so the guard
 * also cleans up; the operation fails once (503, SberMarket retries). Fixed text: part of the cached statement.
 * The procedures the hook calls as a whole request outside a transaction open with this same statement for
 * `openTransactions` 0 (migration 0014; test/unit/migrations.test.ts compares them): their calls
 * (`SqlStatement.guardsItself`) are sent without it, one statement for the server to compile instead of two.
 */
export const connectionGuard = (
  openTransactions: 0 | 1,
): string => `IF @@TRANCOUNT <> ${openTransactions} OR (@@OPTIONS & 16384) = 0
  THROW ${CONNECTION_STATE_ERROR}, N'domino-sm: the pooled connection is not in the state this request expects', 1;
`

/** The text a request sends: the guard, then the statement; a procedure that guards itself alone (outside a transaction). */
const guardedText = (statement: SqlStatement, openTransactions: 0 | 1): string => {
  if (statement.guardsItself !== true) return `${connectionGuard(openTransactions)}${statement.text}`
  // Its guard expects no transaction: inside one it would refuse every call (a bug of the adapter, not a state).
  if (openTransactions !== 0) throw new Error('a procedure that guards itself is called outside a transaction only')
  return statement.text
}

const requestOf = (parent: mssql.ConnectionPool | mssql.Transaction, statement: SqlStatement): mssql.Request => {
  const request = parent.request()
  for (const param of statement.params) request.input(param.name, param.type, param.value)
  return request
}

const recordsetsOf = (result: mssql.IResult<unknown>): Recordsets =>
  (result.recordsets as unknown as Recordsets | undefined) ?? []

const sender =
  (parent: mssql.ConnectionPool | mssql.Transaction, budget: OperationBudget, openTransactions: 0 | 1): Send =>
  async (statement) =>
    recordsetsOf(await budget.run(requestOf(parent, statement), guardedText(statement, openTransactions)))

/** One statement on its own (autocommit), on any pooled connection. */
export const outsideTransaction = (
  pool: mssql.ConnectionPool,
  budget: OperationBudget,
  statement: SqlStatement,
): Promise<Recordsets> => sender(pool, budget, 0)(statement)

const rollbackQuietly = async (transaction: mssql.Transaction): Promise<void> => {
  // After a server-side abort (XACT_ABORT), mssql has already given the connection back and answers EABORT here;
  // after a failed commit, it answers that no transaction is open. Either way nothing is left to do.
  await transaction.rollback().catch(() => undefined)
}

/**
 * One transaction through mssql's public `Transaction` (READ COMMITTED): begin (it waits for a pooled connection,
 * inside the budget), `work` sends its requests on that connection and decides between them with the domain's pure
 * functions, then commit. Four round trips for an operation of two requests; on a LAN each costs well under a
 * millisecond of the hook's 5 s. Any failure, and a budget spent before the commit, rolls back before the
 * connection goes back to the pool. A commit whose reply is lost has an unknown outcome: the operation fails, and
 * the request's one journal entry reconciles what was answered with what committed (core's `entryOnAnswer`).
 */
export const inTransaction = async <A>(
  pool: mssql.ConnectionPool,
  budget: OperationBudget,
  work: (send: Send) => Promise<A>,
): Promise<A> => {
  budget.check()
  const transaction = new mssql.Transaction(pool)
  await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
  let committing = false
  try {
    budget.check()
    const value = await work(sender(transaction, budget, 1))
    budget.check()
    committing = true
    await transaction.commit()
    return value
  } catch (error) {
    if (!committing) await rollbackQuietly(transaction)
    throw error
  }
}
