import Database from 'better-sqlite3'
import { closeSync, openSync } from 'node:fs'
import type { ResolvedSqliteSettings } from '../main-thread/sqlite-settings.js'

/** The file could not be opened as the hook's store; `message` names the path and the cause, never data. */
export class SqliteOpenError extends Error {
  override readonly name = 'SqliteOpenError'
  constructor(message: string, options?: { readonly cause: unknown }) {
    super(message, options)
  }
}

/**
 * Opens (creating when absent) the database file with the settings every connection of the hook needs:
 * - `busy_timeout` first, so that even switching to WAL waits for a process that holds the file rather than fail;
 * - `journal_mode = WAL`: readers never block the writer, and the writers of several processes queue on one lock;
 * - `synchronous` as configured (FULL by default: an answered order is on disk even across a power cut);
 * - `foreign_keys = ON`, which SQLite leaves off per connection;
 * - `journal_size_limit`: a WAL that restarts from its beginning is truncated to a quarter of `maxWalBytes` by the
 *   connection that restarts it, so a burst does not leave a large file behind.
 * A new file is created readable by its owner only (0600): it holds customers' names, phones and addresses. SQLite
 * gives its -wal and -shm files the database file's permissions.
 * Throws `SqliteOpenError`; it runs once at start, outside any port call.
 */
export const openDatabase = (settings: ResolvedSqliteSettings): Database.Database => {
  let db: Database.Database
  try {
    createPrivately(settings.path)
    db = new Database(settings.path, { timeout: settings.busyTimeoutMs })
  } catch (cause) {
    throw new SqliteOpenError(`cannot open the SQLite file ${settings.path}: ${describeOpenFailure(cause)}`, { cause })
  }
  try {
    db.pragma(`busy_timeout = ${settings.busyTimeoutMs}`)
    const mode = retryWhileBusy(() => db.pragma('journal_mode = WAL', { simple: true }), settings.busyTimeoutMs)
    if (mode !== 'wal')
      throw new SqliteOpenError(`the SQLite file ${settings.path} cannot use WAL (journal mode is ${String(mode)})`)
    db.pragma(`synchronous = ${settings.synchronous}`)
    db.pragma('foreign_keys = ON')
    db.pragma(`journal_size_limit = ${Math.floor(settings.maxWalBytes / 4)}`)
    return db
  } catch (cause) {
    db.close()
    if (cause instanceof SqliteOpenError) throw cause
    throw new SqliteOpenError(`cannot configure the SQLite file ${settings.path}: ${describeOpenFailure(cause)}`, {
      cause,
    })
  }
}

/**
 * Runs `step` again while SQLite answers BUSY, for up to `forMs`. Switching a new file to WAL needs an exclusive
 * lock, and when several processes (each with its store thread and checkpointer) open a new file at once, SQLite
 * can answer BUSY at once, without its busy handler (a lock upgrade that would deadlock). A start-up step, so a
 * blocking sleep is fine here.
 */
const retryWhileBusy = <A>(step: () => A, forMs: number): A => {
  const until = Date.now() + forMs
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (;;) {
    try {
      return step()
    } catch (error) {
      if (!(error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) || Date.now() > until)
        throw error
      Atomics.wait(pause, 0, 0, 10)
    }
  }
}

/**
 * Creates the file with mode 0600 unless it exists (then its permissions are the operator's choice). A missing
 * directory is left for SQLite to report in its own words; `:memory:` is no file.
 */
const createPrivately = (path: string): void => {
  if (path === ':memory:') return
  try {
    closeSync(openSync(path, 'wx', 0o600))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'EEXIST' && code !== 'ENOENT') throw error
  }
}

/**
 * Why opening failed, for the start-up log: the code and the driver's message. Safe here, unlike behind the port:
 * opening touches no order, so the message can only be about the file (missing directory, permissions, not a database).
 */
const describeOpenFailure = (error: unknown): string =>
  error instanceof Error ? `${codeOf(error)}: ${error.message}` : String(error)

/** The SQLite error code (or the error's name): enough to act on, with nothing from the data. */
export const codeOf = (error: unknown): string =>
  error instanceof Database.SqliteError ? error.code : error instanceof Error ? error.name : 'unknown error'
