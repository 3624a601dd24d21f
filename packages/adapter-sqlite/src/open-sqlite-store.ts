import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Clock, OrderRepository, RepositoryError } from '@domino-sm/core'
import { ALL_MIGRATIONS } from './migrations/all-migrations.js'
import { migrate } from './migrations/migrate.js'
import { codeOf, openDatabase, SqliteOpenError } from './open-database.js'
import { SqliteOrderRepository } from './sqlite-order-repository.js'
import { resolveSqliteSettings, type SqliteSettings } from './sqlite-settings.js'

/** An open SQLite store: the repository, its readiness probe, and the way to close it at shutdown. */
export interface SqliteStore {
  readonly repository: OrderRepository
  /** Succeeds when the file can be read now (the same check as `repository.ping`). */
  readonly ping: () => TE.TaskEither<RepositoryError, void>
  /** Closes the connection; idempotent. Calls made afterwards fail with `StoreUnavailable`. */
  readonly close: () => Promise<void>
  /** The migration versions this open applied (empty when another process, or an earlier start, had applied them). */
  readonly migrationsApplied: readonly number[]
}

const systemClock: Clock = { now: () => new Date() }

/**
 * Opens the hook's SQLite store on `settings.path` (creating the file when absent), configures the connection
 * and brings the schema up to date. Safe to call from several processes on one file at once. `clock` stamps the
 * time rows are written (`stored_at`, `applied_at`); the domain's times come with each call.
 * Throws `SqliteOpenError` (with a message fit for a start-up log) when the settings are invalid, the file cannot
 * be opened or switched to WAL, or the schema cannot be migrated: this runs once at start, not behind the port.
 */
export const openSqliteStore = (settings: SqliteSettings, clock: Clock = systemClock): SqliteStore => {
  let resolved
  try {
    resolved = resolveSqliteSettings(settings)
  } catch (cause) {
    throw new SqliteOpenError(`invalid SQLite settings: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
  }
  const db = openDatabase(resolved)
  let migrationsApplied: readonly number[]
  try {
    migrationsApplied = migrate(db, ALL_MIGRATIONS, clock.now)
  } catch (cause) {
    db.close()
    const detail = cause instanceof Error && cause.name === 'SchemaTooNewError' ? cause.message : codeOf(cause)
    throw new SqliteOpenError(`cannot migrate the SQLite file ${resolved.path}: ${detail}`, { cause })
  }
  const repository = new SqliteOrderRepository(db, clock)
  return { repository, ping: repository.ping, close: () => repository.close(), migrationsApplied }
}
