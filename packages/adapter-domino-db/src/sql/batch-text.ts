import { boundVariables, execStatement } from './sql-literal.js'
import type { SqlStatement } from './sql-statement.js'

/** The error number of the adapter's own check that a connection carries no transaction it did not expect. */
export const CONNECTION_STATE_ERROR = 50001

/**
 * How a batch stands to the transaction of its connection:
 * - `outside`: a statement on its own (autocommit); refuses a connection that has a transaction open.
 * - `begin`: refuses a connection that has a transaction open, then begins one (batch 1 of an operation).
 * - `continue`: runs in the transaction an earlier batch of this operation began; refuses if there is none.
 */
export type BatchOpening = 'outside' | 'begin' | 'continue'

export interface BatchOptions {
  readonly opening: BatchOpening
  /** SET LOCK_TIMEOUT: how long one lock wait may last, from what remains of the operation's budget. */
  readonly lockTimeoutMs: number
  /** Ends the batch with COMMIT (the last batch of an operation). */
  readonly commit?: boolean
  /** Batch variables (set by OUTPUT parameters) selected at the end, as one row. */
  readonly select?: readonly string[]
}

/**
 * The guard. A pooled connection that still has a transaction open (a bug, or a cancel the driver could not
 * follow) would swallow this operation's statements into it and hold its locks. THROW under XACT_ABORT ON rolls
 * back everything open on the connection, so the guard also cleans up; the operation fails once (503, SberMarket
 * retries). THROW, unlike RAISERROR, honours XACT_ABORT.
 */
const guard = (expected: 0 | 1): string => `IF @@TRANCOUNT <> ${expected}
BEGIN
  THROW ${CONNECTION_STATE_ERROR}, N'domino-sm: the transaction state of the pooled connection is not what this batch expects', 1;
END;`

/**
 * One request to SQL Server: a plain batch that sets the session's safety options, checks the transaction state,
 * optionally begins or commits the transaction, and runs each statement through `sp_executesql`.
 * XACT_ABORT ON is set by the driver when the connection opens and again here, so that any error, and a client
 * cancel (attention), rolls the whole transaction back on the server. The SET options of a batch stay in force on
 * the session; every batch sets them again, so no earlier value matters.
 */
export const batchText = (statements: readonly SqlStatement[], options: BatchOptions): string => {
  const lines = ['SET XACT_ABORT ON;', `SET LOCK_TIMEOUT ${Math.max(0, Math.floor(options.lockTimeoutMs))};`]
  lines.push(guard(options.opening === 'continue' ? 1 : 0))
  if (options.opening === 'begin') lines.push('SET TRANSACTION ISOLATION LEVEL READ COMMITTED;', 'BEGIN TRANSACTION;')
  const variables = new Map<string, string>()
  for (const statement of statements) for (const v of boundVariables(statement)) variables.set(v.variable, v.declaration)
  if (variables.size > 0) lines.push(`DECLARE ${[...variables].map(([name, declaration]) => `@${name} ${declaration}`).join(', ')};`)
  for (const statement of statements) lines.push(execStatement(statement))
  if (options.commit === true) lines.push('COMMIT TRANSACTION;')
  if (options.select !== undefined && options.select.length > 0) lines.push(`SELECT ${options.select.map((v) => `@${v} AS ${v}`).join(', ')};`)
  return lines.join('\n')
}

/** Sent after a failure on a connection that may hold a transaction: rolls it back so the connection goes back clean. */
export const ROLLBACK_IF_OPEN = 'IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;\nSELECT @@TRANCOUNT AS open_transactions;'
