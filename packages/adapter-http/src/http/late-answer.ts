import * as E from 'fp-ts/lib/Either.js'
import type { ParameterizedContext } from 'koa'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  ANSWERED_LATE,
  journalEntry,
  lateDetail,
  type HookFailure,
  type HookSuccess,
  type JournalEntry,
  type EntryFacts,
  type RepositoryError,
} from '@domino-sm/core'
import { UNAVAILABLE } from './answer.js'
import type { Timed } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteDeadlinePassed, noteDetail, type AppState, type HookState } from './hook-state.js'
import { respond } from './respond.js'

/*
 * A request answered without its store's result: 503 at the deadline (the store still working), or 503 because
 * its journal write failed or came late. Either way the request's one journal entry (written under its request
 * id with `recordJournal`) is then settled in the background, so that it says 503 too.
 */

type HookContext = ParameterizedContext<AppState>

/**
 * Pauses between attempts to write a journal entry after its request was answered 503: the store failed or was
 * locked, so it gets time (about 2 minutes in all) before the entry is given up and only the log says so.
 */
export const LATE_JOURNAL_RETRY_DELAYS_MS: readonly number[] = [100, 250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 60000]

/** Runs a store write until it succeeds, pausing `delaysMs` between attempts; true when it was written. */
const retryStoreWrite = async (write: TE.TaskEither<unknown, unknown>, delaysMs: readonly number[]): Promise<boolean> => {
  for (let attempt = 0; ; attempt += 1) {
    if (E.isRight(await write())) return true
    const delay = delaysMs[attempt]
    if (delay === undefined) return false
    await new Promise((resolve) => setTimeout(resolve, delay).unref())
  }
}

/**
 * The one place a 503's entry is settled: written as 503 under the request's id, retried until the store takes it
 * (a store locked for a while answers again later); the store merges it into the entry already there, if any.
 */
const settleEntry = async (deps: HookAppDeps, entry: JournalEntry): Promise<void> => {
  if (await retryStoreWrite(deps.orders.recordJournal(entry), LATE_JOURNAL_RETRY_DELAYS_MS)) return
  deps.logger.warn({ eventType: entry.eventType, orderKey: entry.originalOrderId }, 'journal entry of a 503 could not be written after retries')
}

const factsOf = (result: E.Either<HookFailure, HookSuccess>): EntryFacts => (E.isRight(result) ? result.right.facts : result.left.facts)

/**
 * The store still works at the deadline: 503 now, and the entry settled once the work is done. An operation the
 * store committed after the deadline already journaled 503; one that committed just before it (its answer lost the
 * race with the timer) journaled 200 and is amended here. A failed store journals nothing of its own: the `failed`
 * entry is written here; if the store's commit landed after all (its reply was lost), the store keeps the
 * committed facts in that entry with the 503 (`entryOnAnswer`).
 */
export const answerAtDeadline = (ctx: HookContext, deps: HookAppDeps, state: HookState, rawBody: string, work: Promise<E.Either<HookFailure, HookSuccess>>): void => {
  noteDeadlinePassed(state, `deadline of ${deps.settings.hookDeadlineMs} ms passed`)
  respond(ctx, UNAVAILABLE)
  void settleAfterWork(deps, state, rawBody, work)
}

const settleAfterWork = async (deps: HookAppDeps, state: HookState, rawBody: string, work: Promise<E.Either<HookFailure, HookSuccess>>): Promise<void> => {
  const result = await work
  const facts = factsOf(result)
  const journal = E.isRight(result) ? result.right.journal : undefined
  if (journal?.httpStatus === ANSWERED_LATE) return
  const detail =
    journal === undefined ? `answered 503 at the deadline of ${deps.settings.hookDeadlineMs} ms; the store then finished with ${facts.outcome}` : lateDetail(facts)
  const delivery = { requestId: state.requestId, rawBody, receivedAt: state.receivedAt, httpStatus: ANSWERED_LATE, durationMs: elapsedMs(state) }
  await settleEntry(deps, journalEntry({ ...facts, detail }, delivery))
}

/**
 * The journal write before an answer failed or came late: 503 instead ("recorded before the answer" holds, and
 * SberMarket retries), and the entry settled as 503 once that write is done, unless it already said 503.
 */
export const answerUnwritten = (
  ctx: HookContext,
  deps: HookAppDeps,
  state: HookState,
  entry: JournalEntry,
  write: Promise<E.Either<RepositoryError, number>>,
  recorded: Timed<E.Either<RepositoryError, number>>,
): void => {
  const why = recorded._tag === 'Late' || E.isRight(recorded.value) ? 'journal write late' : `journal write failed: ${recorded.value.left._tag}`
  const detail = `${why}; answered 503`
  noteDetail(state, detail)
  deps.logger.warn({ eventType: entry.eventType, orderKey: entry.originalOrderId, journalledStatus: entry.httpStatus }, detail)
  respond(ctx, UNAVAILABLE)
  void settleAfterWrite(deps, entry, write, detail)
}

const settleAfterWrite = async (deps: HookAppDeps, entry: JournalEntry, write: Promise<E.Either<RepositoryError, number>>, why: string): Promise<void> => {
  const detail = entry.detail === null ? why : `${why} (${entry.detail})`
  const first = await write
  if (E.isRight(first) && entry.httpStatus === ANSWERED_LATE) return
  await settleEntry(deps, { ...entry, httpStatus: ANSWERED_LATE, detail })
}
