import { storeTimeout } from '@domino-sm/core'
import { isBusy } from './sqlite-error-classification.js'
import type { WriteMode } from './store-operations.js'

/** One write queued for the next group commit. */
export interface WriteJob {
  /** Epoch ms: a job still waiting for the write lock at this time is answered `StoreTimeout` and never runs. */
  readonly expiresAt: number
  /** The write itself, synchronous, under the lock; run again in `safe` mode if another job of its group threw. */
  readonly work: (mode: WriteMode) => unknown
  /** Called once, after the commit that holds the write (or when it failed or expired). */
  readonly settle: (outcome: WriteOutcome) => void
}

export type WriteOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown }

/** The transaction control the batcher needs: prepared statements of the connection (see `SqliteStatements`). */
export interface TransactionControl {
  readonly begin: () => void
  readonly commit: () => void
  readonly rollback: () => void
  readonly inTransaction: () => boolean
  readonly savepoint: <A>(work: () => A) => A
  /** Run after each group's commit or failure, with no transaction open (the WAL's bound, see `WalLimit`). Must not throw. */
  readonly betweenGroups?: () => void
}

/** At most this many writes share one transaction, so that no commit holds the write lock for long. */
export const MAX_WRITES_PER_COMMIT = 256

/** Waits between two tries for a write lock another process holds: short first, then at most 8 ms. */
const RETRY_DELAYS_MS = [0, 1, 1, 2, 2, 4, 4, 8]

/**
 * Group commit with budgets, in the thread that owns the connection. The writes queued while a group runs (or
 * while the lock is held elsewhere) run together in ONE `BEGIN IMMEDIATE` transaction and share one commit (one
 * fsync with `synchronous = FULL`). Every job settles only after the commit that holds it.
 *
 * Fewer statements than a savepoint per write: a group first runs `fast`, each write straight in the transaction
 * (BEGIN, the writes' own statements, COMMIT). If one throws, the group is rolled back whole and run again `safe`,
 * each write in a savepoint, so that the failing one fails alone. The writes decide from what they read under the
 * lock, so running them again is correct; only their results are kept.
 *
 * The lock is waited for here, not in SQLite's busy handler (the connection's `busy_timeout` is 0): between tries
 * the thread returns to its event loop, takes new messages into the queue, and answers `StoreTimeout` to each job
 * whose budget ran out, at its time rather than when a sleeping busy handler wakes.
 */
export class WriteBatcher {
  private queue: WriteJob[] = []
  private scheduled = false
  private tries = 0
  /** Groups committed and writes they carried, since the start (tests and diagnostics read them). */
  readonly stats = { commits: 0, writes: 0, safeReruns: 0, lockRetries: 0 }

  constructor(
    private readonly tx: TransactionControl,
    private readonly now: () => number = Date.now,
  ) {}

  get queued(): number {
    return this.queue.length
  }

  enqueue(job: WriteJob): void {
    this.queue.push(job)
    this.schedule(0)
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return
    this.scheduled = true
    if (delayMs === 0) setImmediate(() => this.flush())
    else setTimeout(() => this.flush(), delayMs)
  }

  /** Answers StoreTimeout to every queued job whose budget has run out. */
  private expire(): void {
    const now = this.now()
    if (!this.queue.some((job) => job.expiresAt <= now)) return
    const live: WriteJob[] = []
    for (const job of this.queue) {
      if (job.expiresAt <= now)
        job.settle({
          ok: false,
          error: storeTimeout('sqlite write: the write lock stayed held by another connection past the budget'),
        })
      else live.push(job)
    }
    this.queue = live
  }

  /** Runs every queued group now; the owner calls it before closing, to drain. */
  flush(): void {
    this.scheduled = false
    while (this.queue.length > 0) {
      this.expire()
      if (this.queue.length === 0) return
      try {
        this.tx.begin()
      } catch (error) {
        if (isBusy(error)) {
          this.stats.lockRetries += 1
          this.tries += 1
          this.schedule(RETRY_DELAYS_MS[Math.min(this.tries, RETRY_DELAYS_MS.length - 1)] ?? 8)
          return
        }
        this.failAll(error)
        return
      }
      this.tries = 0
      this.runGroup(this.queue.splice(0, MAX_WRITES_PER_COMMIT))
      this.tx.betweenGroups?.()
    }
  }

  private failAll(error: unknown): void {
    const failed = this.queue.splice(0)
    for (const job of failed) job.settle({ ok: false, error })
  }

  /** Runs `group` in the open transaction and commits it; settles every job. */
  private runGroup(group: readonly WriteJob[]): void {
    let outcomes: WriteOutcome[]
    try {
      outcomes = this.runFast(group) ?? this.runSafe(group)
      this.tx.commit()
    } catch (error) {
      // COMMIT failed (disk full, I/O) or the rollback before the safe run did: nothing of the group is written.
      if (this.tx.inTransaction()) {
        try {
          this.tx.rollback()
        } catch {
          // The connection rolls back on its own when it cannot; the error that matters is the one reported below.
        }
      }
      for (const job of group) job.settle({ ok: false, error })
      return
    }
    this.stats.commits += 1
    this.stats.writes += group.length
    group.forEach((job, index) =>
      job.settle(outcomes[index] ?? { ok: false, error: new Error('group commit lost an outcome') }),
    )
  }

  /** Every job straight in the transaction; undefined (and the transaction rolled back and begun again) when one threw. */
  private runFast(group: readonly WriteJob[]): WriteOutcome[] | undefined {
    const outcomes: WriteOutcome[] = []
    try {
      for (const job of group) outcomes.push({ ok: true, value: job.work('fast') })
      return outcomes
    } catch {
      this.stats.safeReruns += 1
      this.tx.rollback()
      this.tx.begin()
      return undefined
    }
  }

  private runSafe(group: readonly WriteJob[]): WriteOutcome[] {
    return group.map((job): WriteOutcome => {
      try {
        return { ok: true, value: this.tx.savepoint(() => job.work('safe')) }
      } catch (error) {
        return { ok: false, error }
      }
    })
  }
}
