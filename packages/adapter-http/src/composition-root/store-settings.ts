import * as E from 'fp-ts/lib/Either.js'
import { parseDominoDbSettings, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import {
  DEFAULT_BUSY_TIMEOUT_MS,
  DEFAULT_CHECKPOINT_EVERY_MS,
  DEFAULT_MAX_WAL_BYTES,
  SQLITE_SETTING_RANGES,
  type ResolvedSqliteSettings,
  type SqliteSynchronous,
} from '@domino-sm/adapter-sqlite'
import { parseByteSize } from '../config/byte-size.js'

/**
 * The stores' own settings, parsed from the environment at start with the rest of the configuration
 * (`config/app-config.ts` calls these): the one place outside the composition root that learns the stores' setting
 * types, through here, so that the stores themselves only ever receive parsed settings.
 */

type Env = Readonly<Record<string, string | undefined>>

/** The SQLite store's tuning (everything but the file, which is `DATA_DIR/orders.sqlite`). */
export type SqliteOptions = Omit<ResolvedSqliteSettings, 'path'>

const given = (env: Env, name: string): string | undefined => {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim()
}

const within = (
  env: Env,
  name: string,
  [min, max]: readonly [number, number],
  fallback: number,
  read: (text: string) => E.Either<string, number>,
): E.Either<string, number> => {
  const text = given(env, name)
  if (text === undefined) return E.right(fallback)
  const value = read(text)
  if (E.isLeft(value)) return E.left(`${name}: ${value.left}`)
  return value.right >= min && value.right <= max
    ? value
    : E.left(`${name} must be from ${min} to ${max}, got ${JSON.stringify(text)}`)
}

const wholeNumber = (text: string): E.Either<string, number> =>
  /^\d{1,10}$/.test(text) ? E.right(Number(text)) : E.left(`expected a whole number, got ${JSON.stringify(text)}`)

/** SQLITE_BUSY_TIMEOUT_MS, SQLITE_SYNCHRONOUS, SQLITE_CHECKPOINT_EVERY_MS, SQLITE_MAX_WAL_BYTES (packages/adapter-sqlite/README.md). */
export const parseSqliteOptions = (env: Env): E.Either<readonly string[], SqliteOptions> => {
  const busy = within(
    env,
    'SQLITE_BUSY_TIMEOUT_MS',
    SQLITE_SETTING_RANGES.busyTimeoutMs,
    DEFAULT_BUSY_TIMEOUT_MS,
    wholeNumber,
  )
  const every = within(
    env,
    'SQLITE_CHECKPOINT_EVERY_MS',
    SQLITE_SETTING_RANGES.checkpointEveryMs,
    DEFAULT_CHECKPOINT_EVERY_MS,
    wholeNumber,
  )
  const wal = within(
    env,
    'SQLITE_MAX_WAL_BYTES',
    SQLITE_SETTING_RANGES.maxWalBytes,
    DEFAULT_MAX_WAL_BYTES,
    parseByteSize,
  )
  const syncText = given(env, 'SQLITE_SYNCHRONOUS')?.toUpperCase()
  const synchronous: E.Either<string, SqliteSynchronous> =
    syncText === undefined
      ? E.right('FULL')
      : syncText === 'FULL' || syncText === 'NORMAL'
        ? E.right(syncText)
        : E.left(`SQLITE_SYNCHRONOUS must be FULL or NORMAL, got ${JSON.stringify(given(env, 'SQLITE_SYNCHRONOUS'))}`)
  const problems = [busy, every, wal, synchronous].flatMap((p) => (E.isLeft(p) ? [p.left] : []))
  if (E.isLeft(busy) || E.isLeft(every) || E.isLeft(wal) || E.isLeft(synchronous)) return E.left(problems)
  return E.right({
    busyTimeoutMs: busy.right,
    checkpointEveryMs: every.right,
    maxWalBytes: wal.right,
    synchronous: synchronous.right,
  })
}

/**
 * DOMINO_DB_* (the adapter's own parser, given the values with every secret already resolved), and the one rule that
 * joins them to the hook's: one operation's budget stays under the hook deadline actually configured.
 */
export const parseDominoDbOptions = (
  env: Env,
  hookDeadlineMs: number | undefined,
): E.Either<readonly string[], DominoDbSettings> => {
  const parsed = parseDominoDbSettings(env)
  if (E.isLeft(parsed) || hookDeadlineMs === undefined || parsed.right.requestTimeoutMs < hookDeadlineMs) return parsed
  return E.left([
    `DOMINO_DB_REQUEST_TIMEOUT_MS (${parsed.right.requestTimeoutMs}) must stay under HOOK_DEADLINE_MS (${hookDeadlineMs})`,
  ])
}

export type { DominoDbSettings }
