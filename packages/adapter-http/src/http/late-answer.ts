import * as E from 'fp-ts/lib/Either.js'
import type { ParameterizedContext } from 'koa'
import {
  decodeHookBody,
  factsOf,
  journalEntry,
  type HookFailure,
  type HookSuccess,
  type JournalEntry,
  type RepositoryError,
} from '@domino-sm/core'
import { ANSWERED_LATE, lateDetail } from '@domino-sm/core/internals'
import { UNAVAILABLE } from './answer.js'
import type { Timed } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteDeadlinePassed, noteDetail, type AppState, type HookState } from './hook-state.js'
import type { LostEntryFacts } from './late-journal-writes.js'
import { respond } from './respond.js'

/*
 * A request answered without its store's result: 503 at the deadline (the store still working), or 503 because
 * its journal write failed or came late; or answered 408 by Node. Either way the request's one journal entry
 * (written under its request id with `recordJournal`) is then settled in the background, tracked by
 * `deps.lateJournal` (late-journal-writes.ts), so that it says the status the client got.
 */

type HookContext = ParameterizedContext<AppState>

/** The facts a lost entry's log line gives (late-journal-writes.ts): never its body. */
const lostFacts = (requestId: string, entry: JournalEntry): LostEntryFacts => ({
  requestId,
  eventType: entry.eventType,
  orderKey: entry.originalOrderId,
  outcome: entry.outcome,
  httpStatus: entry.httpStatus,
})

/**
 * What is known of a request whose store work has not finished: its event type and key as read from the body
 * (core's decoder, the same reading the use case made), the outcome `failed` and the 503 it was answered.
 */
const provisionalFacts = (deps: HookAppDeps, state: HookState, rawBody: string): LostEntryFacts => {
  const read = decodeHookBody(rawBody, deps.settings.unreadableOrders ?? 'review')
  const problem = E.isLeft(read) ? read.left : undefined
  const message = E.isRight(read) ? read.right : undefined
  const eventType =
    message?.eventType ??
    (problem !== undefined && problem._tag !== 'MalformedJson' ? (problem.eventType ?? null) : null)
  const orderKey =
    message === undefined
      ? problem?._tag === 'InvalidPayload'
        ? (problem.originalOrderId ?? null)
        : null
      : message._tag === 'KnownEvent'
        ? message.event.originalOrderId
        : (message.originalOrderId ?? null)
  return { requestId: state.requestId, eventType, orderKey, outcome: 'failed', httpStatus: ANSWERED_LATE }
}

/**
 * The one place an answered request's entry is settled: written under the request's id, retried until the store
 * takes it (a store locked for a while answers again later); the store merges it into the entry already there, if
 * any. Given up after the retries or at the end of a stop's grace, it is logged and counted (late-journal-writes.ts).
 */
const settleEntry = (deps: HookAppDeps, entry: JournalEntry): Promise<boolean> =>
  deps.lateJournal.retry(deps.orders.recordJournal(entry))

/**
 * The entry of a request whose answer is already out of the hook's hands (Node answered 408 and closed the
 * connection): there is no answer left to hold back for it, so it is written in the background, tracked like a
 * 503's, and keeps the status the client was sent.
 */
export const journalAnswered = (deps: HookAppDeps, state: HookState, entry: JournalEntry): void => {
  deps.lateJournal.track(
    state.requestId,
    () => lostFacts(state.requestId, entry),
    () => settleEntry(deps, entry),
  )
}

/**
 * The store still works at the deadline: 503 now, and the entry settled once the work is done. An operation the
 * store committed after the deadline already journaled 503; one that committed just before it (its answer lost the
 * race with the timer) journaled 200 and is amended here. A failed store journals nothing of its own: the `failed`
 * entry is written here; if the store's commit landed after all (its reply was lost), the store keeps the
 * committed facts in that entry with the 503 (`entryOnAnswer`).
 */
export const answerAtDeadline = (
  ctx: HookContext,
  deps: HookAppDeps,
  state: HookState,
  rawBody: string,
  work: Promise<E.Either<HookFailure, HookSuccess>>,
): void => {
  noteDeadlinePassed(state, `deadline of ${deps.settings.hookDeadlineMs} ms passed`)
  respond(ctx, UNAVAILABLE)
  let known: LostEntryFacts | undefined
  const describe = (): LostEntryFacts => (known ??= provisionalFacts(deps, state, rawBody))
  deps.lateJournal.track(state.requestId, describe, async () => {
    const entry = await entryAfterWork(deps, state, rawBody, work)
    if (entry === undefined) return true
    known = lostFacts(state.requestId, entry)
    return settleEntry(deps, entry)
  })
}

/** The entry a 503 at the deadline still needs once the store's work is done; none when the store journaled 503 itself. */
const entryAfterWork = async (
  deps: HookAppDeps,
  state: HookState,
  rawBody: string,
  work: Promise<E.Either<HookFailure, HookSuccess>>,
): Promise<JournalEntry | undefined> => {
  const result = await work
  const facts = factsOf(result)
  const journal = E.isRight(result) ? result.right.journal : undefined
  if (journal?.httpStatus === ANSWERED_LATE) return undefined
  const detail =
    journal === undefined
      ? `answered 503 at the deadline of ${deps.settings.hookDeadlineMs} ms; the store then finished with ${facts.outcome}`
      : lateDetail(facts)
  const delivery = {
    requestId: state.requestId,
    rawBody,
    receivedAt: state.receivedAt,
    httpStatus: ANSWERED_LATE,
    durationMs: elapsedMs(state),
  }
  return journalEntry({ ...facts, detail }, delivery)
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
  const why =
    recorded._tag === 'Late' || E.isRight(recorded.value)
      ? 'journal write late'
      : `journal write failed: ${recorded.value.left._tag}`
  const detail = `${why}; answered 503`
  noteDetail(state, detail)
  deps.logger.warn(
    { eventType: entry.eventType, orderKey: entry.originalOrderId, journalledStatus: entry.httpStatus },
    detail,
  )
  respond(ctx, UNAVAILABLE)
  const settled: JournalEntry = {
    ...entry,
    httpStatus: ANSWERED_LATE,
    detail: entry.detail === null ? detail : `${detail} (${entry.detail})`,
  }
  deps.lateJournal.track(
    state.requestId,
    () => lostFacts(state.requestId, settled),
    async () => {
      const first = await write
      if (E.isRight(first) && entry.httpStatus === ANSWERED_LATE) return true
      return settleEntry(deps, settled)
    },
  )
}
