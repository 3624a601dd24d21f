import type { Middleware } from 'koa'
import type { Logger } from '../observability/logger.js'

/**
 * The last line of defence: an error nobody answered becomes its own status when Koa marks it safe to show
 * (`expose`, 4xx from the framework), otherwise a fixed 500 body. Internal messages never reach the wire.
 */
export const errorBoundary = (logger: Logger): Middleware => async (ctx, next) => {
  try {
    await next()
  } catch (error) {
    const err = error as { status?: unknown; expose?: unknown; message?: unknown }
    const status = typeof err.status === 'number' && err.status >= 400 && err.status < 600 ? err.status : 500
    if (status < 500 && err.expose === true) {
      ctx.status = status
      ctx.body = { error: 'bad_request', detail: String(err.message) }
      return
    }
    logger.error({ err: error instanceof Error ? { name: error.name, stack: error.stack } : String(error), path: ctx.path }, 'unhandled error')
    ctx.status = status >= 500 ? status : 500
    ctx.body = { error: 'internal', detail: 'the request could not be handled; please retry' }
  }
}
