import * as E from 'fp-ts/lib/Either.js'
import type { ParameterizedContext } from 'koa'
import { journalEntry, type ReceiptFacts } from '@domino-sm/core'
import { UNAVAILABLE, type HttpAnswer } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, stateOf, type AppState } from './hook-state.js'
import { respond } from './respond.js'

/**
 * Journals the request with the status about to be answered, then answers; both inside the deadline. A journal
 * that cannot be written turns the answer into 503: "recorded before the answer" holds, and SberMarket retries.
 */
export const journalAndAnswer = async (
  ctx: ParameterizedContext<AppState>,
  deps: HookAppDeps,
  facts: ReceiptFacts,
  rawBody: string | null,
  answer: HttpAnswer,
): Promise<void> => {
  const state = stateOf(ctx)
  Object.assign(state, { eventType: facts.eventType, originalOrderId: facts.originalOrderId, outcome: facts.outcome, detail: facts.detail })
  const entry = journalEntry(facts, { rawBody, receivedAt: state.receivedAt, httpStatus: answer.status, durationMs: elapsedMs(state) })
  const recorded = await withinDeadline(deps.orders.recordJournal(entry)(), deps.settings.hookDeadlineMs - elapsedMs(state))
  if (recorded._tag === 'Late') {
    state.detail = 'journal write late; answered 503'
  } else if (E.isLeft(recorded.value)) {
    state.detail = `journal write failed: ${recorded.value.left._tag}`
  } else {
    respond(ctx, answer)
    return
  }
  deps.logger.warn({ eventType: facts.eventType, orderKey: facts.originalOrderId, journalledStatus: answer.status }, state.detail)
  respond(ctx, UNAVAILABLE)
}

