import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Clock, OrderRepository, RepositoryError } from '@domino-sm/core'
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
  return { repository, close, ping: repository.ping }
}
