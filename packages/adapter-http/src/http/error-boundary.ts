import type { Context } from 'koa'
import type { Logger } from '../observability/logger.js'

/** A body Koa would serialize itself, after every middleware has returned: an object or an array, not a Buffer or a stream. */
const isJsonBody = (body: unknown): body is object =>
  typeof body === 'object' &&
  body !== null &&
  !Buffer.isBuffer(body) &&
  typeof (body as { pipe?: unknown }).pipe !== 'function'

/**
 * A JSON body is serialized inside the chain (the edge middleware calls this once the app has answered,
 * edge-middleware.ts), not by Koa after it: Koa's own `JSON.stringify` runs once every middleware has returned, so
 * a body it could not serialize (an order's history of 560 large bodies passed V8's longest string) went out as a
 * 500 that the request log, already written, had logged as the 200 set before. Here such a failure is an error like
 * any other: answered 500 and logged 500. Same bytes as Koa's (no indentation), Content-Type left as the object set
 * it (application/json).
 */
export const serializeJsonBody = (ctx: Context): void => {
  if (isJsonBody(ctx.body)) ctx.body = JSON.stringify(ctx.body)
}

/**
 * The last line of defence: an error nobody answered becomes its own status when Koa marks it safe to show
 * (`expose`, 4xx from the framework), otherwise a fixed 500 body. Internal messages never reach the wire.
 */
export const answerUnhandled = (logger: Logger, ctx: Context, error: unknown): void => {
  const err = error as { status?: unknown; expose?: unknown; message?: unknown }
  const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500
  if (status < 500 && err.expose === true) {
    ctx.status = status
    ctx.body = { error: 'bad_request', detail: String(err.message) }
    return
  }
  const shown = error instanceof Error ? { name: error.name, stack: error.stack } : String(error)
  logger.error({ err: shown, path: ctx.path }, 'unhandled error')
  ctx.status = status >= 500 ? status : 500
  ctx.body = { error: 'internal', detail: 'the request could not be handled; please retry' }
}
