import type mssql from 'mssql'
import type { Clock } from '@domino-sm/core'
import type { OperationBudget } from '../operation-budget.js'
import type { SchemaName } from '../schema-name.js'
import { classifySqlError } from '../sql-error.js'
import { journalStatements, type JournalStatements } from '../sql/journal-statements.js'
import { orderStatements, type OrderStatements } from '../sql/order-statements.js'
import { retentionStatements } from '../sql/retention-statements.js'

/** What the operations of the repository share: the pool, the clock and the statements of the schema. */
export interface OperationContext {
  readonly pool: mssql.ConnectionPool
  readonly clock: Clock
  readonly schema: SchemaName
  readonly orders: OrderStatements
  readonly journal: JournalStatements
  readonly retention: ReturnType<typeof retentionStatements>
}

export const operationContext = (pool: mssql.ConnectionPool, schema: SchemaName, clock: Clock): OperationContext => ({
  pool,
  clock,
  schema,
  orders: orderStatements(schema),
  journal: journalStatements(schema),
  retention: retentionStatements(schema),
})

/**
 * Runs an attempt again once, while the budget lasts, when SQL Server rolled it back for a reason a second try
 * resolves: a deadlock victim (1205), or a duplicate key (2627/2601: a row of the key appeared without the key lock,
 * so the second try finds it and answers with it). Everything else is the caller's failure.
 */
export const retryOnce = async <A>(name: string, budget: OperationBudget, attempt: () => Promise<A>): Promise<A> => {
  try {
    return await attempt()
  } catch (error) {
    const failure = classifySqlError(name, error)._tag
    if ((failure !== 'Deadlock' && failure !== 'DuplicateKey') || budget.expired) throw error
    return attempt()
  }
}
