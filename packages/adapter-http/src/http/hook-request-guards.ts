import bodyParser from 'koa-bodyparser'
import type { Middleware } from 'koa'
import type { ReceiptFacts } from '@domino-sm/core'
import type { HookAppDeps } from './hook-app-deps.js'
import { stateOf, type AppState } from './hook-state.js'
import { journalAndAnswer } from './journal-and-answer.js'
import { respond } from './respond.js'

const JSON_TYPES = ['application/json', 'application/*+json']

/** application/json, with or without charset, or a `+json` type; read from the header alone. */
const isJsonType = (mediaType: string): boolean => mediaType === 'application/json' || /^application\/[\w.-]+\+json$/.test(mediaType)

/** 403 with an empty body before anything else is read; nothing is stored for an unauthenticated request. */
export const requireClientToken = (deps: HookAppDeps): Middleware<AppState> => async (ctx, next) => {
  if (!deps.tokens.verify(ctx.get('Client-Token') || undefined)) {
    stateOf(ctx).outcome = 'unauthorized'
    respond(ctx, { status: 403 })
    return
  }
  await next()
}

const rejectedFacts = (detail: string): ReceiptFacts => ({ eventType: null, originalOrderId: null, outcome: 'rejected', detail })

/** 415 for anything but JSON; journaled without the body, which is left unread. */
export const requireJson = (deps: HookAppDeps): Middleware<AppState> => async (ctx, next) => {
  const type = ctx.get('Content-Type')
  if (!isJsonType(ctx.request.type.toLowerCase())) {
    const detail = type === '' ? 'Content-Type is missing; expected application/json' : 'Content-Type must be application/json'
    await journalAndAnswer(ctx, deps, rejectedFacts(detail), null, { status: 415, body: { error: 'unsupported_media_type', detail } })
    return
  }
  await next()
}

/** Reads the body as text (the codecs parse it), up to the limit: 413 beyond it, 400 for an undecodable charset. */
export const readBody = (deps: HookAppDeps): Middleware<AppState> => {
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

