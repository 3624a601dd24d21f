/** How the hook's SQLite store is opened. Parsed once by the composition root; nothing here reads the environment. */
export interface SqliteSettings {
  /** The database file. Every instance of the service that must share orders opens the same file. */
  readonly path: string
  /**
   * How long a writer waits for another connection's write lock before the operation fails with
   * `StoreTimeout` (SQLite's `busy_timeout`). Default `DEFAULT_BUSY_TIMEOUT_MS`; see there for the trade-off.
   */
  readonly busyTimeoutMs?: number
  /**
   * `FULL` (default): every commit is on disk before the hook answers, even across a power cut.
   * `NORMAL`: a commit survives a crash of the process but the last ones may be lost on a power cut or OS crash.
   */
  readonly synchronous?: SqliteSynchronous
  /**
   * How often the checkpointer thread copies the WAL into the database file (a PASSIVE checkpoint, which never
   * holds up a writer). Default `DEFAULT_CHECKPOINT_EVERY_MS`.
   */
  readonly checkpointEveryMs?: number
  /**
   * The WAL's bound: past this size the store thread, between two group commits, runs a RESTART checkpoint itself
   * so that the WAL starts again from its beginning (the PASSIVE rounds alone never get there while commits keep
   * coming). Default `DEFAULT_MAX_WAL_BYTES`. Every connection also truncates a restarted WAL to a quarter of it
   * (`journal_size_limit`).
   */
  readonly maxWalBytes?: number
}

export type SqliteSynchronous = 'FULL' | 'NORMAL'

/** The settings with every default filled in and checked. */
export interface ResolvedSqliteSettings {
  readonly path: string
  readonly busyTimeoutMs: number
  readonly synchronous: SqliteSynchronous
  readonly checkpointEveryMs: number
  readonly maxWalBytes: number
}

/**
 * 1500 ms. Writers from the 4 instances take turns on one write lock; a transaction here holds it for a
 * millisecond or two, so a real queue of 50 simultaneous writers drains in well under this. The wait happens in
 * the store's worker thread, so it no longer holds up the process; a request's own deadline (`answerBy`) ends it
 * sooner when that comes first. Why not shorter: a burst of retries from SberMarket, or a slow fsync, should be
 * waited out rather than answered 503, which makes SberMarket retry and adds to the burst.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 1500

/** 200 ms: at a few thousand commits per second the WAL then holds a few hundred pages at most between rounds. */
export const DEFAULT_CHECKPOINT_EVERY_MS = 200

/**
 * 16 MiB: a few seconds of writes at full speed, so the RESTART that bounds it is rare, and small enough to be
 * copied into the database file quickly (the PASSIVE rounds have copied most of it already).
 */
export const DEFAULT_MAX_WAL_BYTES = 16 * 1024 * 1024

/** The longest busy timeout accepted: beyond it a request that waits cannot be answered before SberMarket gives up. */
export const MAX_BUSY_TIMEOUT_MS = 4000

/**
 * The bounds (inclusive) of each numeric setting, for whoever parses them from text (adapter-http's config names
 * its own variables in its messages): `maxWalBytes` from 64 KiB (tests) to 1 GiB.
 */
export const SQLITE_SETTING_RANGES = {
  busyTimeoutMs: [0, MAX_BUSY_TIMEOUT_MS],
  checkpointEveryMs: [10, 60_000],
  maxWalBytes: [64 * 1024, 1024 * 1024 * 1024],
} as const satisfies Readonly<Record<string, readonly [number, number]>>

const MAX_WAL_BYTES_RANGE = SQLITE_SETTING_RANGES.maxWalBytes

/** Fills in the defaults and checks the values; the error text names the setting, never the data. */
export const resolveSqliteSettings = (settings: SqliteSettings): ResolvedSqliteSettings => {
  if (settings.path.trim() === '') throw new RangeError('sqlite path: must not be empty')
  const busyTimeoutMs = settings.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS
  if (
    !Number.isInteger(busyTimeoutMs) ||
    busyTimeoutMs < SQLITE_SETTING_RANGES.busyTimeoutMs[0] ||
    busyTimeoutMs > MAX_BUSY_TIMEOUT_MS
  ) {
    throw new RangeError(
      `sqlite busyTimeoutMs: expected an integer from 0 to ${MAX_BUSY_TIMEOUT_MS}, got ${String(busyTimeoutMs)}`,
    )
  }
  const synchronous = settings.synchronous ?? 'FULL'
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new RangeError(`sqlite synchronous: expected FULL or NORMAL, got ${String(synchronous)}`)
  }
  const checkpointEveryMs = settings.checkpointEveryMs ?? DEFAULT_CHECKPOINT_EVERY_MS
  const [minEvery, maxEvery] = SQLITE_SETTING_RANGES.checkpointEveryMs
  if (!Number.isInteger(checkpointEveryMs) || checkpointEveryMs < minEvery || checkpointEveryMs > maxEvery) {
    throw new RangeError(
      `sqlite checkpointEveryMs: expected an integer from ${minEvery} to ${maxEvery}, got ${String(checkpointEveryMs)}`,
    )
  }
  const maxWalBytes = settings.maxWalBytes ?? DEFAULT_MAX_WAL_BYTES
  const [minWal, maxWal] = MAX_WAL_BYTES_RANGE
  if (!Number.isInteger(maxWalBytes) || maxWalBytes < minWal || maxWalBytes > maxWal) {
    throw new RangeError(
      `sqlite maxWalBytes: expected an integer from ${minWal} to ${maxWal}, got ${String(maxWalBytes)}`,
    )
  }
  return { path: settings.path, busyTimeoutMs, synchronous, checkpointEveryMs, maxWalBytes }
}
