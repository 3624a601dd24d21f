import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { Outcome } from '@domino-sm/core'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'
import { withinDeadline } from './deadline.js'

/**
 * Pauses between attempts to write a journal entry after its request was answered: the store failed or was
 * locked, so it gets time (about 2 minutes in all) before the entry is given up and only the log says so.
 */
export const LATE_JOURNAL_RETRY_DELAYS_MS: readonly number[] = [
  100, 250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 60000,
]

/** Once a stop has begun, the pause between attempts: a store that comes back inside the grace is caught at once. */
export const STOPPING_RETRY_DELAY_MS = 100

/**
 * What the log line of a lost entry says: the request, its order key and event type, its outcome and the status
 * answered. Never the body, never personal data: the line is all that is left of the entry, and logs are kept
 * longer and read more widely than the journal.
 */
export interface LostEntryFacts {
  readonly requestId: string
  readonly eventType: string | null
  readonly orderKey: string | null
  readonly outcome: Outcome
  readonly httpStatus: number
}

/** What a stop found: entries in flight when it began, written before the grace ended, given up (logged). */
export interface LateWritesReport {
  readonly pendingAtStop: number
  readonly written: number
  readonly lost: number
}

interface InFlight {
  readonly describe: () => LostEntryFacts
  readonly done: Promise<void>
  reported: boolean
}

/**
 * The one place that holds the journal writes made after a request was answered (a 503 at the deadline, a write
 * that came late, a request Node cut off with 408): each is tracked from its start to its end, so that a stop can
 * wait for them (`settle`) instead of leaving them to a process that exits. An entry that cannot be written, after
 * its retries or when the stop's grace ends, is logged as one error line (`LostEntryFacts`) and counted in
 * `sbermarket_hook_journal_entries_lost_total`, which an alert watches (deploy/prometheus/).
 */
export class LateJournalWrites {
  readonly #inFlight = new Map<string, InFlight>()
  readonly #wakers = new Set<() => void>()
  readonly #delaysMs: readonly number[]
  #stopping = false
  #givenUp = false

  constructor(
    private readonly logger: Logger,
    private readonly metrics: HookMetrics,
    delaysMs: readonly number[] = LATE_JOURNAL_RETRY_DELAYS_MS,
  ) {
    this.#delaysMs = delaysMs
  }

  /** How many entries are being written now. */
  get pending(): number {
    return this.#inFlight.size
  }

  /**
   * Runs `settle` for one request, tracked until it ends. `settle` resolves true when its entry was written (or
   * needs no write), false when it gave up; `describe` names the entry for the log if it is lost.
   */
  track(requestId: string, describe: () => LostEntryFacts, settle: () => Promise<boolean>): void {
    const item: InFlight = {
      describe,
      reported: false,
      done: settle()
        .catch((error: unknown) => {
          this.logger.error(
            { requestId, err: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
            'a late journal write failed',
          )
          return false
        })
        .then((written) => {
          if (!written) this.#lose(item)
        })
        .finally(() => {
          this.#inFlight.delete(requestId)
        }),
    }
    this.#inFlight.set(requestId, item)
  }

  /** Writes with `write` until the store takes it: pausing as `LATE_JOURNAL_RETRY_DELAYS_MS` says, briefly once a stop began. */
  readonly retry = async (write: TE.TaskEither<unknown, unknown>): Promise<boolean> => {
    for (let attempt = 0; ; attempt += 1) {
      if (this.#givenUp) return false
      if (E.isRight(await write())) return true
      const delay = this.#stopping ? STOPPING_RETRY_DELAY_MS : this.#delaysMs[attempt]
      if (delay === undefined || this.#givenUp) return false
      await this.#pause(delay)
    }
  }

  /** A stop has begun: every pause ends now, and the writes try again every `STOPPING_RETRY_DELAY_MS` until `settle` ends. */
  hurry(): void {
    this.#stopping = true
    for (const wake of this.#wakers) wake()
  }

  /**
   * Waits up to `ms` for every write in flight; then gives up the rest, each logged and counted. The store may be
   * closed after this: a write still in the store's hands then fails and tries no more.
   */
  async settle(ms: number): Promise<LateWritesReport> {
    this.hurry()
    const pendingAtStop = this.#inFlight.size
    await withinDeadline(Promise.all([...this.#inFlight.values()].map((i) => i.done)), ms)
    this.#givenUp = true
    for (const wake of this.#wakers) wake()
    const left = [...this.#inFlight.values()]
    for (const item of left) this.#lose(item)
    return { pendingAtStop, written: pendingAtStop - left.length, lost: left.length }
  }

  #lose(item: InFlight): void {
    if (item.reported) return
    item.reported = true
    this.metrics.journalEntryLost()
    this.logger.error(
      { lostJournalEntry: item.describe() },
      'a journal entry could not be written: its request was answered, the journal does not know it',
    )
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        this.#wakers.delete(wake)
        resolve()
      }
      // Unref'd: a pause keeps no process alive by itself; the stop waits for these writes through `settle`.
      const timer = setTimeout(wake, ms).unref()
      this.#wakers.add(wake)
    })
  }
}
