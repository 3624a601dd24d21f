import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { OrderRepository, RepositoryError } from '@domino-sm/core'
import { ALL_MIGRATIONS } from './migrations/all-migrations.js'
import { migrate } from './migrations/migrate.js'
import { codeOf, openDatabase, SqliteOpenError } from '../shared/open-database.js'
import { SqliteOrderRepository } from './sqlite-order-repository.js'
import { resolveSqliteSettings, type SqliteSettings } from './sqlite-settings.js'
import { StoreWorkerClient } from './store-worker-client.js'

/** How long opening waits for another process's migration (and its checkpoint) before it fails. */
const MIGRATION_WAIT_MS = 60_000

/** An open SQLite store: the repository, its readiness probe, and the way to close it at shutdown. */
export interface SqliteStore {
  readonly repository: OrderRepository
  /** Succeeds when the file can be read now (the same check as `repository.ping`). */
  readonly ping: () => TE.TaskEither<RepositoryError, void>
  /** Drains and stops the store's threads; idempotent. Calls made afterwards fail with `StoreUnavailable`. */
  readonly close: () => Promise<void>
  /** The migration versions this open applied (empty when another process, or an earlier start, had applied them). */
  readonly migrationsApplied: readonly number[]
}

/**
 * Opens the hook's SQLite store on `settings.path` (creating the file when absent), brings the schema up to date
 * and starts the worker thread that owns the connection (and the checkpointer's). Safe to call from several
 * processes on one file at once. Times written (`stored_at`, the commit time of a journal entry) are read from
 * the system clock in the worker: a clock object cannot cross to another thread.
 * Rejects with `SqliteOpenError` (with a message fit for a start-up log) when the settings are invalid, the file
 * cannot be opened or switched to WAL, or the schema cannot be migrated: this runs once at start, not behind the port.
 */
export const openSqliteStore = async (settings: SqliteSettings): Promise<SqliteStore> => {
  let resolved
  try {
    resolved = resolveSqliteSettings(settings)
  } catch (cause) {
    throw new SqliteOpenError(`invalid SQLite settings: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    })
  }
  // Migrations run here, once, before the worker starts: a start-up step that may block, and whose errors must
  // stop the start with a clear message.
  const db = openDatabase(resolved)
  let migrationsApplied: readonly number[]
  try {
    // A migration that rewrites a large table (migration 3 on a year's journal) takes seconds; instances starting
    // meanwhile wait for it rather than fail their start after the request budget.
    db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`)
    migrationsApplied = migrate(db, ALL_MIGRATIONS, () => new Date())
    // Such a migration leaves its whole rewrite in the WAL: copy it now, at start-up, rather than in the store
    // thread's first checkpoint, under the write lock, while requests wait. A WAL still in use elsewhere is left.
    if (migrationsApplied.length > 0) db.pragma('wal_checkpoint(TRUNCATE)')
  } catch (cause) {
    const detail = cause instanceof Error && cause.name === 'SchemaTooNewError' ? cause.message : codeOf(cause)
    throw new SqliteOpenError(`cannot migrate the SQLite file ${resolved.path}: ${detail}`, { cause })
  } finally {
    db.close()
  }
  const client = new StoreWorkerClient(resolved, resolved.checkpointEveryMs)
  try {
    await client.whenReady()
  } catch (cause) {
    await client.close()
    throw new SqliteOpenError(
      `cannot start the SQLite store on ${resolved.path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    )
  }
  const repository = new SqliteOrderRepository(client, resolved.busyTimeoutMs)
  return { repository, ping: repository.ping, close: () => repository.close(), migrationsApplied }
}
