import type Database from 'better-sqlite3'

interface QueuedWrite {
  readonly work: () => unknown
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
}

/** At most this many operations share one transaction, so that no commit holds the write lock for long. */
export const MAX_WRITES_PER_COMMIT = 256

/**
 * Group commit: the write operations that arrive while the event loop is busy run together in ONE `BEGIN
 * IMMEDIATE` transaction, each inside its own savepoint, and share one commit (one fsync with
 * `synchronous = FULL`). An operation that throws rolls back its savepoint alone; the others go on. Every promise
 * settles only after the commit that holds its operation, so "written before the answer" holds exactly as with
 * one transaction per operation. Operations run in the order they were queued, one after another, under the
 * write lock: each still reads, decides and writes with no other writer in between.
 */
export class GroupCommit {
  private queue: QueuedWrite[] = []
  private scheduled = false
  /** Commits made and operations they carried, since the store was opened (tests and diagnostics read them). */
  readonly stats = { commits: 0, writes: 0 }

  constructor(private readonly db: Database.Database) {}

  /** Queues `work` (synchronous, a savepoint of the shared transaction) and resolves with its result after the commit. */
  run<A>(work: () => A): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    const batch = this.queue.splice(0, MAX_WRITES_PER_COMMIT)
    if (this.queue.length > 0) setImmediate(() => this.flush())
    else this.scheduled = false
    const outcomes: ({ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown })[] = []
    try {
      this.db
        .transaction(() => {
          for (const item of batch) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(item.work)() })
            } catch (error) {
              outcomes.push({ ok: false, error })
            }
          }
        })
        .immediate()
      this.stats.commits += 1
      this.stats.writes += batch.length
    } catch (error) {
      // BEGIN IMMEDIATE or COMMIT failed (the lock was not had in time, the disk refused): nothing of the batch is
      // written, and every operation in it fails with that error.
      for (const item of batch) item.reject(error)
      return
    }
    batch.forEach((item, index) => {
      const outcome = outcomes[index]
      if (outcome === undefined) item.reject(new Error('group commit lost an outcome'))
      else if (outcome.ok) item.resolve(outcome.value)
      else item.reject(outcome.error)
    })
  }
}
