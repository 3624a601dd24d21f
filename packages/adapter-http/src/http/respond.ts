import type { Context } from 'koa'
import type { HttpAnswer } from './answer.js'

/** The media type of every JSON answer, as Koa writes it for `ctx.type = 'json'`. */
const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * Writes an answer. An answer without a body goes out as the status with an empty body (Content-Length: 0):
 * Koa would turn a `null` body into 204, and SberMarket expects 200. A body goes out as JSON text, serialized
 * here: set as an object, Koa's body setter runs twice (the object, then its text in error-boundary.ts).
 * The JSON media type is set on Node's response directly, as the constant Koa would compute: `ctx.type = 'json'`
 * looked it up in mime-types and went through Koa's header setter on every answer (BENCHMARKS.md, "The embedded
 * stores' pipeline, third pass"). Koa's body setter then sees a Content-Type and keeps it.
 */
export const respond = (ctx: Context, answer: HttpAnswer): void => {
  ctx.status = answer.status
  if (answer.body === undefined) {
    ctx.body = ''
    ctx.remove('Content-Type')
  } else {
    if (!ctx.res.headersSent) ctx.res.setHeader('Content-Type', JSON_TYPE)
    ctx.body = JSON.stringify(answer.body)
  }
}
