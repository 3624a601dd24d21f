import type mssql from 'mssql'
import type { Clock } from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import type { SchemaName } from '../settings/schema-name.js'
import { classifySqlError } from '../driver/sql-error.js'
import { changeStatements, type ChangeStatements } from '../sql/change-statements.js'
import { createStatements, type CreateStatements } from '../sql/create-statements.js'
import { journalStatements, type JournalStatements } from '../sql/journal-statements.js'
import { orderStatements, type OrderStatements } from '../sql/order-statements.js'
import { retentionStatements } from '../sql/retention-statements.js'
import { updateStatements, type UpdateStatements } from '../sql/update-statements.js'

/** What the operations of the repository share: the pool, the clock and the statements of the schema. */
export interface OperationContext {
  readonly pool: mssql.ConnectionPool
  readonly clock: Clock
  readonly schema: SchemaName
  readonly orders: OrderStatements
  /** An update's unlocked read and its checked write (`applyUpdate` in two round trips). */
  readonly updates: UpdateStatements
  /** A create's read (the retry's call and a new order's reads) and its checked write (a new order in two round trips). */
  readonly creates: CreateStatements
  readonly journal: JournalStatements
  /** The consumers' queue: every operation that changes an order adds `changes.recordChange` to its writes. */
  readonly changes: ChangeStatements
  readonly retention: ReturnType<typeof retentionStatements>
}

/**
 * The statements of `schema`, and the pool as it is now: `poolOf` throws `NotConnected` (answered StoreUnavailable)
 * while a store that started without its database has not reached it yet.
 */
export const operationContext = (
  poolOf: () => mssql.ConnectionPool,
  schema: SchemaName,
  clock: Clock,
): OperationContext => ({
  get pool() {
    return poolOf()
  },
  clock,
  schema,
  orders: orderStatements(schema),
  updates: updateStatements(schema),
  creates: createStatements(schema),
  journal: journalStatements(schema),
  changes: changeStatements(schema),
  retention: retentionStatements(schema),
})

/** How many times one operation is tried at most (the first try included), while its budget lasts. */
export const MAX_ATTEMPTS = 3

/**
 * Runs an attempt again, while the budget lasts and at most `MAX_ATTEMPTS` times in all, when SQL Server rolled it
 * back for a reason a new try resolves: a deadlock victim (1205, or -3 from sp_getapplock), or a duplicate key
 * (2627/2601: a row of the key, or an entry of the request id, appeared between the reads and the writes, so the
 * next try finds it and answers with it). Everything else is the caller's failure.
 */
export const retryWithinBudget = async <A>(
  name: string,
  budget: OperationBudget,
  attempt: () => Promise<A>,
): Promise<A> => {
  for (let tries = 1; ; tries += 1) {
    try {
      return await attempt()
    } catch (error) {
      const failure = classifySqlError(name, error)._tag
      if ((failure !== 'Deadlock' && failure !== 'DuplicateKey') || budget.expired || tries >= MAX_ATTEMPTS) throw error
    }
  }
}
