import * as E from 'fp-ts/lib/Either.js'
import type { Middleware, ParameterizedContext } from 'koa'
import {
  ANSWERED_IN_TIME,
  receiveHookRequest,
  type HookFailure,
  type HookSuccess,
  type ReceiptFacts,
} from '@domino-sm/core'
import { answerFor, UNAVAILABLE } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, startHook, type AppState, type HookState } from './hook-state.js'
import { readBody, requireClientToken, requireJson, type HookGuard } from './hook-request-guards.js'
import { journalAndAnswer } from './journal-and-answer.js'
import { answerAtDeadline } from './late-answer.js'
import { respond } from './respond.js'

type HookContext = ParameterizedContext<AppState>

/**
 * The use case inside the deadline. An order operation commits its journal entry with the order, saying the
 * status the store decided at commit (200, or 503 when it committed after the deadline); the answer is that
 * status. A request that reached no order operation (rejected, ignored, store failed) is journaled here before
 * the answer. A store still working at the deadline is answered 503 now (late-answer.ts).
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
      answerAtDeadline(ctx, deps, state, rawBody, work)
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

const factsOf = (result: E.Either<HookFailure, HookSuccess>): ReceiptFacts => (E.isRight(result) ? result.right.facts : result.left.facts)

/**
 * The one middleware of `POST /sbermarket/orders/hook/`: its steps in the order docs/contract.md §2 and style habit 8 ask for
 * (the token before anything is read, the media type from the headers, the body within its limit, then the use
 * case inside the deadline), run as plain calls rather than as Koa layers, each a dispatch and closures less.
 */
export const hookEndpoint = (deps: HookAppDeps): Middleware<AppState> => {
  const guards: readonly HookGuard[] = [requireClientToken(deps), requireJson(deps), readBody(deps)]
  const handle = handleHook(deps)
  return async (ctx) => {
    const state = startHook(deps.clock, ctx)
    for (const guard of guards) if (!(await guard(ctx))) return
    await handle(ctx, state)
  }
}
