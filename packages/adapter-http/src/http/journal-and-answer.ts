import * as E from 'fp-ts/lib/Either.js'
import type { ParameterizedContext } from 'koa'
import { journalEntry, type EntryFacts } from '@domino-sm/core'
import type { HttpAnswer } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, stateOf, type AppState } from './hook-state.js'
import { answerUnwritten } from './late-answer.js'
import { respond } from './respond.js'

/**
 * Journals the request with the status about to be answered, then answers; both inside the deadline. A journal
 * that cannot be written in time turns the answer into 503 (late-answer.ts).
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
  const entry = journalEntry(facts, {
    requestId: state.requestId,
    rawBody,
    receivedAt: state.receivedAt,
    httpStatus: answer.status,
    durationMs: elapsedMs(state),
  })
  const write = deps.orders.recordJournal(entry)()
  const recorded = await withinDeadline(write, deps.settings.hookDeadlineMs - elapsedMs(state))
  if (recorded._tag === 'InTime' && E.isRight(recorded.value)) {
    respond(ctx, answer)
    return
  }
  answerUnwritten(ctx, deps, state, entry, write, recorded)
}
