import type { Context } from 'koa'
import type { HttpAnswer } from './answer.js'

/**
 * Writes an answer. An answer without a body goes out as the status with an empty body (Content-Length: 0):
 * Koa would turn a `null` body into 204, and SberMarket expects 200. A body goes out as JSON text, serialized
 * here: set as an object, Koa's body setter runs twice (the object, then its text in error-boundary.ts).
 */
export const respond = (ctx: Context, answer: HttpAnswer): void => {
  ctx.status = answer.status
  if (answer.body === undefined) {
    ctx.body = ''
    ctx.remove('Content-Type')
  } else {
    ctx.type = 'json'
    ctx.body = JSON.stringify(answer.body)
  }
}
