import type { ParameterizedContext } from 'koa'
import { journalEntry, type EntryFacts } from '@domino-sm/core'
import { escapeUnstorableText } from '@domino-sm/core/internals'
import { ALL_HOOK_AUTH_FORMS, authenticates, credentialHeaders } from '../auth/hook-credentials.js'
import { checkContentEncoding, checkContentType } from './content-headers.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { elapsedMs, noteFacts, noteUnauthorized, stateOf, type AppState } from './hook-state.js'
import { journalAndAnswer } from './journal-and-answer.js'
import { journalAnswered } from './late-answer.js'
import { readBodyText, wireReader, type BodyRead } from './read-body.js'
import { respond } from './respond.js'

declare module 'koa' {
  interface Request {
    /** The hook's body as text, set by `readBody` (the codecs parse it). */
    body?: unknown
  }
}

/**
 * A guard of the hook's chain (`hookEndpoint` calls them in order): true when the request goes on, false when the
 * guard has answered it.
 */
export type HookGuard = (ctx: HookContext) => boolean | Promise<boolean>

type HookContext = ParameterizedContext<AppState>

/**
 * 403 with an empty body before anything else is read, unless one of the allowed forms (`Client-Token`, Bearer,
 * Basic's password: auth/hook-credentials.ts) carries a valid token; nothing is stored for an unauthenticated
 * request.
 */
export const requireHookToken = (deps: HookAppDeps): HookGuard => {
  const settings = deps.settings.hookAuth ?? ALL_HOOK_AUTH_FORMS
  return (ctx) => {
    if (authenticates(deps.tokens, credentialHeaders(ctx.req), settings)) return true
    noteUnauthorized(stateOf(ctx))
    respond(ctx, { status: 403 })
    return false
  }
}

const rejectedFacts = (detail: string): EntryFacts => ({
  eventType: null,
  originalOrderId: null,
  outcome: 'rejected',
  detail,
})

/**
 * 415 for a body the hook would not read right: not JSON, a charset other than UTF-8, a content coding it does not
 * decode (content-headers.ts). Decided from the headers alone; journaled without the body, which is left unread.
 */
export const requireJson =
  (deps: HookAppDeps): HookGuard =>
  async (ctx) => {
    const type = checkContentType(ctx.get('Content-Type'))
    const coding = checkContentEncoding(ctx.get('Content-Encoding'))
    const refusal = type._tag === 'Refused' ? type : coding._tag === 'Refused' ? coding : undefined
    if (refusal === undefined) return true
    const detail = refusal.detail
    await journalAndAnswer(ctx, deps, rejectedFacts(detail), null, {
      status: 415,
      body: { error: 'unsupported_media_type', detail },
    })
    return false
  }

/** The answer to a body that could not be read as text, and what its journal entry keeps of it. */
const unreadable = (
  read: Exclude<BodyRead, { _tag: 'Text' | 'TimedOut' }>,
  limit: number,
): { detail: string; rawBody: string | null; status: number; error: string } => {
  switch (read._tag) {
    case 'TooLarge':
      return {
        status: 413,
        error: 'payload_too_large',
        rawBody: null,
        detail: `the body is larger than ${limit} bytes${read.decompressed ? ' once decompressed' : ''}`,
      }
    case 'Aborted':
      return {
        status: 400,
        error: 'malformed_body',
        rawBody: null,
        detail: 'the body could not be read: the connection ended before it did',
      }
    case 'Undecodable': {
      // The journal's rawBody is text: bytes that are no text are kept exactly, in base64, and the detail says so.
      const what = read.reason === 'not_utf8' ? 'the body is not valid UTF-8' : 'the body could not be decompressed'
      return {
        status: 400,
        error: 'malformed_body',
        rawBody: read.bytes.toString('base64'),
        detail: `${what}; the journal keeps its ${read.bytes.length} bytes in base64`,
      }
    }
  }
}

/** Node's status for a request cut off by its `requestTimeout` (server/http-server.ts). */
const REQUEST_TIMED_OUT = 408

/**
 * A sender Node cut off at REQUEST_TIMEOUT_MS: Node has answered 408 and closed the connection, so the entry and
 * the request log say 408, as the client was told (not the 503 the deadline would make of a late journal write:
 * no answer is left to hold back). The entry is written in the background, tracked for a stop (late-answer.ts).
 */
const journalTimedOut = (ctx: HookContext, deps: HookAppDeps): void => {
  const state = stateOf(ctx)
  const detail = `the request did not arrive whole within REQUEST_TIMEOUT_MS: answered ${REQUEST_TIMED_OUT} by the server, the connection closed`
  const facts = rejectedFacts(detail)
  noteFacts(state, facts)
  ctx.status = REQUEST_TIMED_OUT
  journalAnswered(
    deps,
    state,
    journalEntry(facts, {
      requestId: state.requestId,
      rawBody: null,
      receivedAt: state.receivedAt,
      httpStatus: REQUEST_TIMED_OUT,
      durationMs: elapsedMs(state),
    }),
  )
}

/**
 * A body holding a raw NUL character is not JSON (JSON allows no control character outside a string's escapes),
 * and some stores refuse the text: it is answered 400 like any malformed body, and journaled with each NUL written
 * as the escape `\u0000` (docs/contract.md §2: nothing a client sent is lost, and the journal keeps it readable).
 */
const rawNulRefusal = (text: string): { readonly detail: string; readonly rawBody: string } | undefined =>
  text.includes('\u0000')
    ? {
        detail:
          'the body is not valid JSON: it holds a raw NUL character; the journal keeps each one written as \\u0000',
        rawBody: escapeUnstorableText(text),
      }
    : undefined

/**
 * Reads the body as text (the codecs parse it): up to BODY_LIMIT bytes as received and again once decompressed
 * (413 beyond), strict UTF-8 (400 otherwise, the bytes journaled in base64), no raw NUL (400, journaled escaped).
 */
export const readBody = (deps: HookAppDeps): HookGuard => {
  const limit = deps.settings.bodyLimitBytes
  const readWire = wireReader(limit)
  return async (ctx) => {
    const coding = checkContentEncoding(ctx.get('Content-Encoding'))
    const read = await readBodyText(ctx, readWire, coding._tag === 'Accepted' ? coding.value : 'identity', limit)
    if (read._tag === 'Text') {
      const nul = rawNulRefusal(read.text)
      if (nul === undefined) {
        ctx.request.body = read.text
        return true
      }
      await journalAndAnswer(ctx, deps, rejectedFacts(nul.detail), nul.rawBody, {
        status: 400,
        body: { error: 'malformed_body', detail: nul.detail },
      })
      return false
    }
    if (read._tag === 'TimedOut') {
      journalTimedOut(ctx, deps)
      return false
    }
    const answer = unreadable(read, limit)
    await journalAndAnswer(ctx, deps, rejectedFacts(answer.detail), answer.rawBody, {
      status: answer.status,
      body: { error: answer.error, detail: answer.detail },
    })
    return false
  }
}
