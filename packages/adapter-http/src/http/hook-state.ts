import { randomUUID } from 'node:crypto'
import type { ParameterizedContext } from 'koa'
import type { Clock, Outcome, EntryFacts } from '@domino-sm/core'

/**
 * What the request log and the metrics learn about a hook request as it goes through the middleware. Only the
 * functions of this file write it.
 */
export interface HookState {
  /** The request's id, given at arrival: its one journal entry is written under it, and the request log shows it. */
  readonly requestId: string
  /** `performance.now()` when the request arrived: the deadline and the duration count from here. */
  readonly startedAt: number
  readonly receivedAt: Date
  eventType: string | null
  originalOrderId: string | null
  outcome: Outcome | 'unauthorized' | null
  detail: string | null
}

export interface AppState {
  hook?: HookState
}

/**
 * Starts the clock of a hook request: its deadline and duration count from here. Koa dispatches a request in the
 * same turn of the event loop as Node's `request` event, and the store works off the event loop, so this is when
 * the request's head arrived (its body is read against the same deadline).
 */
export const startHook = (clock: Clock, ctx: ParameterizedContext<AppState>): HookState => {
  const state: HookState = {
    requestId: randomUUID(),
    startedAt: performance.now(),
    receivedAt: clock.now(),
    eventType: null,
    originalOrderId: null,
    outcome: null,
    detail: null,
  }
  ctx.state.hook = state
  return state
}

/** The hook state that `startHook` set; a missing one is a wiring error. */
export const stateOf = (ctx: { readonly state: AppState }): HookState => {
  if (ctx.state.hook === undefined) throw new Error('hook state missing: the hook middleware runs after startHook')
  return ctx.state.hook
}

export const elapsedMs = (state: HookState): number => Math.round((performance.now() - state.startedAt) * 1000) / 1000

/** Notes what became of a request, for the request log and the metrics. */
export const noteFacts = (state: HookState, facts: EntryFacts): void => {
  state.eventType = facts.eventType
  state.originalOrderId = facts.originalOrderId
  state.outcome = facts.outcome
  state.detail = facts.detail
}

/** A request refused for its token: nothing else is known of it. */
export const noteUnauthorized = (state: HookState): void => {
  state.outcome = 'unauthorized'
}

/** A request answered 503 at the deadline, its store still working. */
export const noteDeadlinePassed = (state: HookState, detail: string): void => {
  state.outcome = 'failed'
  state.detail = detail
}

/** Why a request whose facts are noted was answered 503 after all (its journal write failed or came late). */
export const noteDetail = (state: HookState, detail: string): void => {
  state.detail = detail
}
