import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import {
  clearReview,
  storeFailure,
  type ClearReviewResult,
  type ErasureReport,
  type JournalRecord,
  type OriginalOrderId,
  type ReplayResult,
} from '@domino-sm/core'
import { REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody } from '@domino-sm/core/internals'
import { replayVerdict } from '../support/journal-lines.js'
import { erasePersonalData, replayJournal } from '../support/journal-support.js'
import { StoreUnavailable } from './console-data.js'
import type { ConsoleDeps } from './console-deps.js'

/** A support action has no SberMarket deadline: its entry is journaled as answered in time. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

/** The event type of the journal entry that records who replayed which entries from the console, and why. */
export const REPLAY_REQUESTED_EVENT_TYPE = 'support.replay-requested'

/** The most entries one replay from the console takes (a bigger backlog: the command line, `journal replay`). */
export const CONSOLE_REPLAY_MAX = 100

interface ReplayLine {
  readonly id: number
  readonly originalOrderId: string | null
  readonly eventType: string | null
  readonly outcomeThen: string
  readonly result: ReplayResult
  /** The line in words, as `journal replay` prints it. */
  readonly verdict: string
}

export interface ReplayReport {
  readonly dryRun: boolean
  readonly lines: readonly ReplayLine[]
  /** The entry that journals the operator's replay (absent in a dry run). */
  readonly journaledAs?: number
}

/**
 * Replays (or, in a dry run, forecasts) the entries `ids`, through the command line's `replayJournal`, and journals
 * who asked and why (`support.replay-requested`, the note and the ids) before the replay runs.
 */
export const replayEntries = async (
  deps: ConsoleDeps,
  operator: string,
  ids: readonly number[],
  note: string,
  dryRun: boolean,
): Promise<ReplayReport> => {
  let journaledAs: number | undefined
  if (!dryRun) {
    const now = deps.clock.now()
    const entry = {
      requestId: randomUUID(),
      receivedAt: now,
      eventType: REPLAY_REQUESTED_EVENT_TYPE,
      originalOrderId: null,
      rawBody: JSON.stringify({ event_type: REPLAY_REQUESTED_EVENT_TYPE, payload: { entries: ids, note, operator } }),
      outcome: 'applied' as const,
      httpStatus: 200,
      durationMs: 0,
      detail: `${operator} replays ${ids.map((id) => `#${id}`).join(', ')}`,
    }
    const written = await deps.orders.recordJournal(entry)()
    if (E.isLeft(written)) throw new StoreUnavailable(written.left)
    journaledAs = written.right
  }
  const lines: ReplayLine[] = []
  const onResult = (record: JournalRecord, result: ReplayResult): void => {
    lines.push({
      id: record.id,
      originalOrderId: record.originalOrderId,
      eventType: record.eventType,
      outcomeThen: record.outcome,
      result,
      verdict: replayVerdict(result),
    })
  }
  await replayJournal(
    deps.orders,
    { query: { ids }, selective: true, limit: CONSOLE_REPLAY_MAX },
    { unreadable: deps.unreadable, dryRun, now: () => deps.clock.now(), onResult },
    () => undefined,
  )
  deps.logger.info(
    { operator, entries: ids, dryRun, journaledAs },
    dryRun ? 'console: replay dry run' : 'console: replay',
  )
  return { dryRun, lines, ...(journaledAs === undefined ? {} : { journaledAs }) }
}

/** Clears an order's review mark with core's `clearReview`, journaled with the note and the operator. */
export const clearReviewMark = async (
  deps: ConsoleDeps,
  operator: string,
  key: string,
  note: string,
): Promise<ClearReviewResult> => {
  const receipt = {
    requestId: randomUUID(),
    receivedAt: deps.clock.now(),
    answerBy: NO_DEADLINE,
    eventType: REVIEW_CLEARED_EVENT_TYPE,
    rawBody: reviewClearedBody(key, note, operator),
  }
  const result = await clearReview({ orders: deps.orders })(key as OriginalOrderId, note, receipt)()
  if (E.isLeft(result)) throw new StoreUnavailable(result.left)
  deps.logger.info({ operator, originalOrderId: key, result: result.right._tag }, 'console: review clear')
  return result.right
}

/** Erases an order key's personal data with the command line's `erasePersonalData`, journaled with the note and the operator. */
export const eraseOrderPersonalData = async (
  deps: ConsoleDeps,
  operator: string,
  key: string,
  note: string,
): Promise<ErasureReport> => {
  let report: ErasureReport
  try {
    report = await erasePersonalData(deps.orders, key, note, deps.clock.now(), operator)
  } catch (error) {
    throw new StoreUnavailable(storeFailure(error instanceof Error ? error.message : 'erasure failed'))
  }
  deps.logger.info({ operator, originalOrderId: key, journaledAs: report.journal.id }, 'console: personal data erased')
  return report
}
