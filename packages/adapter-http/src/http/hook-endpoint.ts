import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type { Middleware, ParameterizedContext } from 'koa'
import {
  ANSWERED_IN_TIME,
  ANSWERED_LATE,
  journalEntry,
  lateDetail,
  receiveHookRequest,
  type HookFailure,
  type HookSuccess,
  type EntryFacts,
} from '@domino-sm/core'
import { answerFor, UNAVAILABLE } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, type AppState, type HookState } from './hook-state.js'
import { readBody, requireClientToken, requireJson, type HookGuard } from './hook-request-guards.js'
import { journalAndAnswer, LATE_JOURNAL_RETRY_DELAYS_MS, retryStoreWrite } from './journal-and-answer.js'
import { respond } from './respond.js'

type HookContext = ParameterizedContext<AppState>

/**
 * Starts the clock of a hook request: its deadline and duration count from here. Koa dispatches a request in the
 * same turn of the event loop as Node's `request` event, and the store works off the event loop, so this is when
 * the request's head arrived (its body is read against the same deadline).
 */
const startHook = (deps: HookAppDeps, ctx: HookContext): HookState => {
  const state: HookState = { requestId: randomUUID(), startedAt: performance.now(), receivedAt: deps.clock.now(), eventType: null, originalOrderId: null, outcome: null, detail: null }
  ctx.state.hook = state
  return state
}

/**
 * The use case inside the deadline. An order operation commits its journal entry with the order, saying the
 * status the store decided at commit (200, or 503 when it committed after the deadline); the answer is that
 * status. A request that reached no order operation (rejected, ignored, store failed) is journaled here before
 * the answer. A store still working at the deadline is answered 503 now, and journaled when it answers.
 */
const handleHook = (deps: HookAppDeps): ((ctx: HookContext, state: HookState) => Promise<void>) => {
  const receive = receiveHookRequest({ orders: deps.orders, unreadable: deps.settings.unreadableOrders ?? 'review' })
  const assembly = deps.settings.expectedAssembly
  const deadlineMs = deps.settings.hookDeadlineMs
  return async (ctx, state) => {
    const body: unknown = ctx.request.body
    const rawBody = typeof body === 'string' ? body : ''
    const answerBy = new Date(state.receivedAt.getTime() + deadlineMs)
    const work = receive({ requestId: state.requestId, rawBody, receivedAt: state.receivedAt, answerBy })()
    const timed = await withinDeadline(work, deadlineMs - elapsedMs(state))
    if (timed._tag === 'Late') {
      state.outcome = 'failed'
      state.detail = `deadline of ${deadlineMs} ms passed`
      respond(ctx, UNAVAILABLE)
      void journalLate(deps, state, rawBody, work)
      return
    }
    const result = timed.value
    const journal = E.isRight(result) ? result.right.journal : undefined
    if (journal === undefined) {
      await journalAndAnswer(ctx, deps, factsOf(result), rawBody, answerFor(result, assembly))
      return
    }
    noteFacts(state, factsOf(result))
    respond(ctx, journal.httpStatus === ANSWERED_IN_TIME ? answerFor(result, assembly) : UNAVAILABLE)
  }
}

const factsOf = (result: E.Either<HookFailure, HookSuccess>): EntryFacts => (E.isRight(result) ? result.right.facts : result.left.facts)

/**
 * The journal of a request answered 503 at the deadline, once its work is done, written under the request's id so
 * that it stays one entry: an operation the store committed after the deadline already journaled 503; one that
 * committed just before it (its answer lost the race with the timer) journaled 200 and is amended here. A failed
 * store journals nothing of its own: the `failed` entry is written here, retried until the store takes it (a store
 * locked for a while answers again later); if the store's commit landed after all (its reply was lost), the store
 * keeps the committed facts in that entry with the 503 (`entryOnAnswer`).
 */
const journalLate = async (deps: HookAppDeps, state: HookState, rawBody: string, work: Promise<E.Either<HookFailure, HookSuccess>>): Promise<void> => {
  const result = await work
  const facts = factsOf(result)
  const journal = E.isRight(result) ? result.right.journal : undefined
  if (journal?.httpStatus === ANSWERED_LATE) return
  const detail =
    journal === undefined ? `answered 503 at the deadline of ${deps.settings.hookDeadlineMs} ms; the store then finished with ${facts.outcome}` : lateDetail(facts)
  const delivery = { requestId: state.requestId, rawBody, receivedAt: state.receivedAt, httpStatus: ANSWERED_LATE, durationMs: elapsedMs(state) }
  const write = deps.orders.recordJournal(journalEntry({ ...facts, detail }, delivery))
  const stored = await retryStoreWrite(write, LATE_JOURNAL_RETRY_DELAYS_MS)
  if (!stored) deps.logger.warn({ eventType: facts.eventType, orderKey: facts.originalOrderId }, 'journal write of a late request failed after retries')
}

/**
 * The one middleware of `POST /sbermarket/orders/hook/`: its steps in the order docs/contract.md §2 and style habit 8 ask for
 * (the token before anything is read, the media type from the headers, the body within its limit, then the use
 * case inside the deadline), run as plain calls rather than as Koa layers, each a dispatch and closures less.
 */
export const hookEndpoint = (deps: HookAppDeps): Middleware<AppState> => {
  const guards: readonly HookGuard[] = [requireClientToken(deps), requireJson(deps), readBody(deps)]
  const handle = handleHook(deps)
  return async (ctx) => {
    const state = startHook(deps, ctx)
    for (const guard of guards) if (!(await guard(ctx))) return
    await handle(ctx, state)
  }
}
