import Database from 'better-sqlite3'
import { storeFailure, storeTimeout, storeUnavailable, type RepositoryError } from '@domino-sm/core'
import { RowMappingError } from './row-mapping-error.js'

/** SQLite's primary result code of an extended one: `SQLITE_IOERR_WRITE` -> `SQLITE_IOERR`. */
export const primaryCode = (code: string): string => /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code

/** Primary codes that mean the file cannot be used now (disk, permissions, not a database): retrying later may work. */
const UNAVAILABLE = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_NOTADB',
  'SQLITE_PERM',
  'SQLITE_NOLFS',
  'SQLITE_AUTH',
  'SQLITE_PROTOCOL',
  'SQLITE_LOCKED',
])

/**
 * What a thrown error from an operation on the store means for the port. The reason names the operation and the
 * SQLite code only: a driver's message is never copied, since it can quote SQL or values and reasons go to logs
 * (a `RowMappingError`'s message is ours and names a column, never a value).
 * - `SQLITE_BUSY*`: another process held the write lock for the whole busy timeout -> `StoreTimeout`.
 * - `SQLITE_LOCKED` (a conflict inside this connection that the busy timeout does not wait for), and the codes of
 *   a file that cannot be used (I/O, disk full, read-only, not a database) -> `StoreUnavailable`.
 * - a constraint, a corrupt file, a row the domain cannot read, anything else -> `StoreFailure`.
 */
export const classifySqliteError = (operation: string, error: unknown): RepositoryError => {
  if (isRepositoryError(error)) return error
  if (error instanceof Database.SqliteError) {
    const primary = primaryCode(error.code)
    const reason = `sqlite ${operation}: ${error.code}`
    if (primary === 'SQLITE_BUSY') return storeTimeout(`${reason}: the database stayed locked by another writer`)
    if (UNAVAILABLE.has(primary)) return storeUnavailable(reason)
    return storeFailure(reason)
  }
  if (error instanceof RowMappingError) return storeFailure(`sqlite ${operation}: unreadable row: ${error.message}`)
  return storeFailure(`sqlite ${operation}: unexpected ${error instanceof Error ? error.name : typeof error}`)
}

const REPOSITORY_TAGS: ReadonlySet<unknown> = new Set(['StoreTimeout', 'StoreUnavailable', 'StoreFailure'])

/** A `RepositoryError` already decided (a budget that ran out): passed on as it is. */
const isRepositoryError = (error: unknown): error is RepositoryError =>
  typeof error === 'object' && error !== null && REPOSITORY_TAGS.has((error as { readonly _tag?: unknown })._tag)

/** Whether `error` is a UNIQUE (or PRIMARY KEY) constraint violation. */
export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Database.SqliteError &&
  (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY')

/** Whether `error` is SQLite's "another connection holds the lock" (`SQLITE_BUSY` or one of its extended codes). */
export const isBusy = (error: unknown): boolean =>
  error instanceof Database.SqliteError && primaryCode(error.code) === 'SQLITE_BUSY'
