import type { Outcome, EntryFacts } from '@domino-sm/core'

/** What the request log and the metrics learn about a hook request as it goes through the middleware. */
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
