import bodyParser from 'koa-bodyparser'
import * as E from 'fp-ts/lib/Either.js'
import type { Middleware, ParameterizedContext } from 'koa'
import { journalEntry, receiveHookRequest, type HookFailure, type HookSuccess, type ReceiptFacts } from '@domino-sm/core'
import { answerFor, UNAVAILABLE, type HttpAnswer } from './answer.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, type AppState, type HookState } from './hook-state.js'
import { respond } from './respond.js'

type HookContext = ParameterizedContext<AppState>

const JSON_TYPES = ['application/json', 'application/*+json']

/** application/json, with or without charset, or a `+json` type; read from the header alone. */
const isJsonType = (mediaType: string): boolean => mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType)

const stateOf = (ctx: HookContext): HookState => {
  if (ctx.state.hook === undefined) throw new Error('hook state missing: the hook middleware runs after startHook')
  return ctx.state.hook
}

/** Starts the clock of a hook request: its deadline and duration count from here. */
const startHook = (deps: HookAppDeps): Middleware<AppState> => async (ctx, next) => {
  ctx.state.hook = { startedAt: performance.now(), receivedAt: deps.clock.now(), eventType: null, originalOrderId: null, outcome: null, detail: null }
  await next()
}

/** 403 with an empty body before anything else is read; nothing is stored for an unauthenticated request. */
const requireClientToken = (deps: HookAppDeps): Middleware<AppState> => async (ctx, next) => {
  if (!deps.tokens.verify(ctx.get('Client-Token') || undefined)) {
    stateOf(ctx).outcome = 'unauthorized'
    respond(ctx, { status: 403 })
    return
  }
  await next()
}

/**
 * Journals the request with the status about to be answered, then answers; both inside the deadline. A journal
 * that cannot be written turns the answer into 503: "recorded before the answer" holds, and SberMarket retries.
 */
const journalAndAnswer = async (
  ctx: HookContext,
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

const rejectedFacts = (detail: string): ReceiptFacts => ({ eventType: null, originalOrderId: null, outcome: 'rejected', detail })

/** 415 for anything but JSON; journaled without the body, which is left unread. */
const requireJson = (deps: HookAppDeps): Middleware<AppState> => async (ctx, next) => {
  const type = ctx.get('Content-Type')
  if (!isJsonType(ctx.request.type.toLowerCase())) {
    const detail = type === '' ? 'Content-Type is missing; expected application/json' : 'Content-Type must be application/json'
    await journalAndAnswer(ctx, deps, rejectedFacts(detail), null, { status: 415, body: { error: 'unsupported_media_type', detail } })
    return
  }
  await next()
}

/** Reads the body as text (the codecs parse it), up to the limit: 413 beyond it, 400 for an undecodable charset. */
const readBody = (deps: HookAppDeps): Middleware<AppState> => {
  const parse = bodyParser({ enableTypes: ['text'], extendTypes: { text: JSON_TYPES }, textLimit: `${deps.settings.bodyLimitBytes}b` })
  return async (ctx, next) => {
    try {
      await parse(ctx as never, async () => undefined)
    } catch (error) {
      const status = (error as { status?: unknown }).status
      const [code, answerStatus, detail]: [string, number, string] = status === 413
        ? ['payload_too_large', 413, `the body is larger than ${deps.settings.bodyLimitBytes} bytes`]
        : status === 415
          ? ['unsupported_media_type', 415, 'the body charset is not supported; send UTF-8']
          : ['malformed_body', 400, 'the body could not be read']
      await journalAndAnswer(ctx, deps, rejectedFacts(detail), null, { status: answerStatus, body: { error: code, detail } })
      return
    }
    await next()
  }
}

/** The use case inside the deadline; a late store is answered 503 now and journaled when it is done. */
const handleHook = (deps: HookAppDeps): Middleware<AppState> => {
  const receive = receiveHookRequest({ orders: deps.orders })
  return async (ctx) => {
    const state = stateOf(ctx)
    const body: unknown = ctx.request.body
    const rawBody = typeof body === 'string' ? body : ''
    const work = receive({ rawBody, receivedAt: state.receivedAt })()
    const timed = await withinDeadline(work, deps.settings.hookDeadlineMs - elapsedMs(state))
    if (timed._tag === 'InTime') {
      await journalAndAnswer(ctx, deps, factsOf(timed.value), rawBody, answerFor(timed.value))
      return
    }
    Object.assign(state, { outcome: 'failed', detail: `deadline of ${deps.settings.hookDeadlineMs} ms passed` })
    respond(ctx, UNAVAILABLE)
    void journalLate(deps, state, rawBody, work)
  }
}

const factsOf = (result: E.Either<HookFailure, HookSuccess>): ReceiptFacts => (E.isRight(result) ? result.right.facts : result.left.facts)

/** The journal entry of a request answered 503 at the deadline: what the store did after all, and the 503. */
const journalLate = async (deps: HookAppDeps, state: HookState, rawBody: string, work: Promise<E.Either<HookFailure, HookSuccess>>): Promise<void> => {
  const facts = factsOf(await work)
  const detail = `answered 503 at the deadline of ${deps.settings.hookDeadlineMs} ms; the store then finished with ${facts.outcome}`
  const entry = journalEntry({ ...facts, detail }, { rawBody, receivedAt: state.receivedAt, httpStatus: 503, durationMs: elapsedMs(state) })
  const recorded = await deps.orders.recordJournal(entry)()
  if (E.isLeft(recorded)) deps.logger.warn({ eventType: facts.eventType, orderKey: facts.originalOrderId }, 'journal write of a late request failed')
}

/** The middleware chain of `POST /sbermarket/orders/hook/` in the order spec §2 and style habit 8 ask for. */
export const hookEndpoint = (deps: HookAppDeps): Middleware<AppState>[] => [
  startHook(deps),
  requireClientToken(deps),
  requireJson(deps),
  readBody(deps),
  handleHook(deps),
]
