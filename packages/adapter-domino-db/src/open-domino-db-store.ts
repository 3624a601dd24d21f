import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type mssql from 'mssql'
import type { Clock, OrderRepository, RepositoryError } from '@domino-sm/core'
import { withBudget } from './operation-budget.js'
import type { SchemaName } from './schema-name.js'
import { repositoryErrorOf } from './sql-error.js'
import { inOneBatchTransaction } from './sql/operation-batches.js'
import { orderStatements } from './sql/order-statements.js'
import { openConnectionPool } from './connection-pool.js'
import type { DominoDbSettings } from './domino-db-settings.js'
import { loadMigrations } from './migrations/load-migrations.js'
import { checkSchemaReady } from './migrations/migration-plan.js'
import { readAppliedMigrations } from './migrations/schema-state.js'
import { MssqlOrderRepository } from './mssql-order-repository.js'

/** The Domino store as the composition root uses it. */
export interface DominoDbStore {
  readonly repository: OrderRepository
  /** Closes the connection pool; call once, at shutdown. */
  readonly close: () => Promise<void>
  /** Succeeds when SQL Server answers now (`/readyz`). */
  readonly ping: () => TE.TaskEither<RepositoryError, void>
}

/** A key SberMarket never sends (a control character): reading it finds nothing and locks nothing anyone waits for. */
const PROOF_KEY = '\u0001domino-sm-start'

/** A start may take its time (a whole pool logs in at once); the webhooks' budget does not apply to it. */
const START_PROOF_MS = 30_000

/**
 * Reads an order on each of the `count` connections opened at start, at once (so each on its own connection): every
 * one is then proven to reach the schema with the hook's own statements and rights (the key lock, the order tables),
 * and a server that prepares a session on its first statements (the T-SQL test engine needs hundreds of
 * milliseconds per fresh session) does so before the first webhook, not during it. Read-only.
 */
const proveConnections = async (pool: mssql.ConnectionPool, schema: SchemaName, count: number): Promise<void> => {
  const read = orderStatements(schema).readOrder
  try {
    await Promise.all(
      Array.from({ length: count }, () => withBudget(START_PROOF_MS, (budget) => inOneBatchTransaction(pool, budget, [read(PROOF_KEY, budget.lockWaitMs())]))),
    )
  } catch (error) {
    const failure = repositoryErrorOf('start', error)
    throw new Error(`the schema cannot be read at start: ${failure._tag}: ${failure.reason}`)
  }
}

/**
 * Opens the store for `serve`: connects the pool and checks that the schema has every migration this build ships.
 * Rejects, with a message naming no secret, when SQL Server cannot be reached or the schema is not migrated: the
 * hook must not start against a database it cannot use. Runs no DDL (the hook's login has no right to).
 */
export const openDominoDbStore = async (settings: DominoDbSettings, clock: Clock): Promise<DominoDbStore> => {
  const { pool, close } = await openConnectionPool(settings, 'serve')
  try {
    const ready = checkSchemaReady(settings.schema, await loadMigrations(), await readAppliedMigrations(pool, settings.schema))
    if (E.isLeft(ready)) throw new Error(ready.left)
  } catch (error) {
    await close().catch(() => undefined)
    throw error instanceof Error ? error : new Error('cannot check the schema')
  }
  const repository = new MssqlOrderRepository(pool, { schema: settings.schema, requestTimeoutMs: settings.requestTimeoutMs }, clock)
  try {
    await proveConnections(pool, settings.schema, settings.poolMin)
  } catch (error) {
    await close().catch(() => undefined)
    throw error instanceof Error ? error : new Error('cannot read the schema')
  }
  return { repository, close, ping: repository.ping }
}
