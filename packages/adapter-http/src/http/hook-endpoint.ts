import * as E from 'fp-ts/lib/Either.js'
import type { Middleware, ParameterizedContext } from 'koa'
import { factsOf, receiveHookRequest, type HookFailure, type HookSuccess } from '@domino-sm/core'
import { ANSWERED_IN_TIME } from '@domino-sm/core/internals'
import { answerFor, UNAVAILABLE } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, startHook, type AppState, type HookState } from './hook-state.js'
import { readBody, requireHookToken, requireJson } from './hook-request-guards.js'
import { journalAndAnswer } from './journal-and-answer.js'
import { answerAtDeadline } from './late-answer.js'
import { respond } from './respond.js'

type HookContext = ParameterizedContext<AppState>
type HookResult = E.Either<HookFailure, HookSuccess>

/**
 * The use case against the deadline, which counts from the request's arrival: its result, or `undefined` when
 * the store still works at the deadline (that request is answered 503 at once, late-answer.ts).
 */
const receiveWithinDeadline = (
  deps: HookAppDeps,
): ((ctx: HookContext, state: HookState, rawBody: string) => Promise<HookResult | undefined>) => {
  const receive = receiveHookRequest({ orders: deps.orders, unreadable: deps.settings.unreadableOrders ?? 'review' })
  const deadlineMs = deps.settings.hookDeadlineMs
  return async (ctx, state, rawBody) => {
    const answerBy = new Date(state.receivedAt.getTime() + deadlineMs)
    const work = receive({ requestId: state.requestId, rawBody, receivedAt: state.receivedAt, answerBy })()
    const timed = await withinDeadline(work, deadlineMs - elapsedMs(state))
    if (timed._tag === 'InTime') return timed.value
    answerAtDeadline(ctx, deps, state, rawBody, work)
    return undefined
  }
}

/**
 * The answer to a result in time. An order operation committed its journal entry with the order, saying the
 * status the store decided at commit (200, or 503 when it committed after the deadline); the answer is that
 * status. A request that reached no order operation (rejected, ignored, store failed) is journaled here before
 * the answer.
 */
const answerResult = (
  deps: HookAppDeps,
): ((ctx: HookContext, state: HookState, rawBody: string, result: HookResult) => Promise<void>) => {
  const assembly = deps.settings.expectedAssembly
  return async (ctx, state, rawBody, result) => {
    const facts = factsOf(result)
    const journal = E.isRight(result) ? result.right.journal : undefined
    if (journal === undefined) {
      await journalAndAnswer(ctx, deps, facts, rawBody, answerFor(result, assembly))
      return
    }
    noteFacts(state, facts)
    respond(ctx, journal.httpStatus === ANSWERED_IN_TIME ? answerFor(result, assembly) : UNAVAILABLE)
  }
}

/**
 * The one middleware of `POST /sbermarket/orders/hook/`, read top to bottom in the order docs/contract.md §2 asks
 * for, each check as cheap as it can be and before the next costs more: the token before anything is read (403), the
 * media type from the headers (415), the body within its limit and as UTF-8 (413, 400), the use case against the
 * deadline (503 when it passes), the answer.
 * Plain calls rather than Koa layers, each a dispatch and closures less.
 */
export const hookEndpoint = (deps: HookAppDeps): Middleware<AppState> => {
  const tokenGuard = requireHookToken(deps)
  const mediaTypeGuard = requireJson(deps)
  const bodyGuard = readBody(deps)
  const receive = receiveWithinDeadline(deps)
  const answer = answerResult(deps)
  return async (ctx) => {
    const state = startHook(deps.clock, ctx)
    if (!(await tokenGuard(ctx))) return
    if (!(await mediaTypeGuard(ctx))) return
    if (!(await bodyGuard(ctx))) return
    const body: unknown = ctx.request.body
    const rawBody = typeof body === 'string' ? body : ''
    const result = await receive(ctx, state, rawBody)
    if (result === undefined) return
    await answer(ctx, state, rawBody, result)
  }
}
