/**
 * @domino-sm/adapter-sqlite: the hook's embedded default store, `OrderRepository` on one SQLite file shared by
 * every instance of the service (WAL, a busy timeout, versioned migrations, one transaction per operation).
 * The composition root in adapter-http opens it with `openSqliteStore` and closes it at shutdown.
 */
export { openSqliteStore, type SqliteStore } from './main-thread/open-sqlite-store.js'
export { SqliteOpenError } from './shared/open-database.js'
export {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_EVERY_MS,
  DEFAULT_MAX_WAL_BYTES,
  MAX_BUSY_TIMEOUT_MS,
  SQLITE_SETTING_RANGES,
  type ResolvedSqliteSettings,
  type SqliteSettings,
  type SqliteSynchronous,
} from './main-thread/sqlite-settings.js'
