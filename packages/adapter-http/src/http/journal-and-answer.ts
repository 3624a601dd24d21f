import * as E from 'fp-ts/lib/Either.js'
import type { ParameterizedContext } from 'koa'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { ANSWERED_LATE, journalEntry, type JournalEntry, type EntryFacts } from '@domino-sm/core'
import { UNAVAILABLE, type HttpAnswer } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, stateOf, type AppState } from './hook-state.js'
import { respond } from './respond.js'

/**
 * Pauses between attempts to write a journal entry after its request was answered 503: the store failed or was
 * locked, so it gets time (about 2 minutes in all) before the entry is given up and only the log says so.
 */
export const LATE_JOURNAL_RETRY_DELAYS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 60000]

/** Runs a store write until it succeeds, pausing `delaysMs` between attempts; true when it was written. */
export const retryStoreWrite = async (write: TE.TaskEither<unknown, unknown>, delaysMs: readonly number[]): Promise<boolean> => {
  for (let attempt = 0; ; attempt += 1) {
    if (E.isRight(await write())) return true
    const delay = delaysMs[attempt]
    if (delay === undefined) return false
    await new Promise((resolve) => setTimeout(resolve, delay).unref())
  }
}

/**
 * Journals the request with the status about to be answered, then answers; both inside the deadline. A journal
 * that cannot be written in time turns the answer into 503 ("recorded before the answer" holds, and SberMarket
 * retries), and the entry is then settled in the background so that it says 503 too (`settleUnwrittenEntry`).
 */
export const journalAndAnswer = async (
  ctx: ParameterizedContext<AppState>,
  deps: HookAppDeps,
  facts: EntryFacts,
  rawBody: string | null,
  answer: HttpAnswer,
): Promise<void> => {
  const state = stateOf(ctx)
  noteFacts(state, facts)
  const entry = journalEntry(facts, { requestId: state.requestId, rawBody, receivedAt: state.receivedAt, httpStatus: answer.status, durationMs: elapsedMs(state) })
  const write = deps.orders.recordJournal(entry)()
  const recorded = await withinDeadline(write, deps.settings.hookDeadlineMs - elapsedMs(state))
  if (recorded._tag === 'InTime' && E.isRight(recorded.value)) {
    respond(ctx, answer)
    return
  }
  const why = recorded._tag === 'Late' || E.isRight(recorded.value) ? 'journal write late' : `journal write failed: ${recorded.value.left._tag}`
  state.detail = `${why}; answered 503`
  deps.logger.warn({ eventType: facts.eventType, orderKey: facts.originalOrderId, journalledStatus: answer.status }, state.detail)
  respond(ctx, UNAVAILABLE)
  void settleUnwrittenEntry(deps, entry, write, state.detail)
}

/**
 * The entry of a request answered 503 because its journal write failed or came late: written again as 503, under
 * the same request id, until the store takes it; the store amends the entry the late write left, if it landed.
 */
const settleUnwrittenEntry = async (deps: HookAppDeps, entry: JournalEntry, write: Promise<E.Either<unknown, number>>, why: string): Promise<void> => {
  const detail = entry.detail === null ? why : `${why} (${entry.detail})`
  const first = await write
  const settled =
    (E.isRight(first) && entry.httpStatus === ANSWERED_LATE) ||
    (await retryStoreWrite(deps.orders.recordJournal({ ...entry, httpStatus: ANSWERED_LATE, detail }), LATE_JOURNAL_RETRY_DELAYS_MS))
  if (!settled) deps.logger.warn({ eventType: entry.eventType, orderKey: entry.originalOrderId }, 'journal entry of a 503 could not be written after retries')
}
