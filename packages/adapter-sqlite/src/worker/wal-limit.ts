import { statSync } from 'node:fs'
import type Database from 'better-sqlite3'

/** What `PRAGMA wal_checkpoint` answers: busy 1 when it could not finish; frames in the WAL; frames copied. */
export interface CheckpointResult {
  readonly busy: number
  readonly log: number
  readonly checkpointed: number
}

/** How long a RESTART may wait for another connection (its write lock, its readers): the store thread stands still meanwhile. */
export const RESTART_WAIT_MS = 25

/** After a RESTART that found the WAL busy, the next try waits this long, doubling up to `MAX_BACKOFF_MS`. */
const FIRST_BACKOFF_MS = 25
const MAX_BACKOFF_MS = 1000

/**
 * Runs `PRAGMA wal_checkpoint(mode)` on a connection whose busy timeout is 0, letting SQLite's busy handler wait
 * up to `waitMs` for this one statement. BUSY is an answer (`busy` 1), not an error; other errors are thrown.
 */
export const checkpointWithWait = (
  db: Database.Database,
  mode: 'RESTART' | 'TRUNCATE',
  waitMs: number,
): CheckpointResult => {
  db.pragma(`busy_timeout = ${waitMs}`)
  try {
    const [result] = db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[]
    return result ?? { busy: 1, log: -1, checkpointed: -1 }
  } finally {
    db.pragma('busy_timeout = 0')
  }
}

/**
 * Bounds the WAL under sustained writes. The checkpointer thread's PASSIVE rounds copy the WAL into the database
 * file, but the WAL only starts again from its beginning when a writer begins after everything was copied; while
 * commits keep coming there is always a newer frame, and the file grew to 1 GB over a simulated year. So the store
 * thread, between two group commits (no transaction open), checks the WAL's size and past `maxBytes` runs a
 * RESTART checkpoint itself: it takes the write lock, copies what the PASSIVE rounds left, and waits for readers to
 * leave the WAL, up to `RESTART_WAIT_MS`, so the next writer starts it again (and `journal_size_limit` truncates it).
 * A RESTART that finds the WAL busy (a long reader in another process, the checkpointer thread's round) is tried
 * again later, backing off so that a long reader cannot make this thread wait often.
 * The size is the file's: it only passes `maxBytes` when the frames do, since a restarted WAL is truncated to a
 * quarter of it.
 */
export class WalLimit {
  private notBefore = 0
  private backoffMs = FIRST_BACKOFF_MS
  /** RESTARTs run, those that found the WAL busy, and those that failed (diagnostics, tests). */
  readonly stats = { restarts: 0, busy: 0, failed: 0 }

  constructor(
    private readonly db: Database.Database,
    private readonly walPath: string,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Call with no transaction open. Never throws: a checkpoint that cannot run now is tried again later. */
  check(): void {
    const now = this.now()
    if (now < this.notBefore) return
    const size = statSync(this.walPath, { throwIfNoEntry: false })?.size ?? 0
    if (size <= this.maxBytes) return
    this.stats.restarts += 1
    try {
      if (checkpointWithWait(this.db, 'RESTART', RESTART_WAIT_MS).busy === 0) {
        this.backoffMs = FIRST_BACKOFF_MS
        return
      }
      this.stats.busy += 1
    } catch {
      this.stats.failed += 1
    }
    this.notBefore = now + this.backoffMs
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS)
  }
}
