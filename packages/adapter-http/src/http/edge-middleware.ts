import type { Middleware } from 'koa'
import { closeConnectionWhenDue } from './connection-close.js'
import { answerUnhandled, serializeJsonBody } from './error-boundary.js'
import type { HookAppDeps } from './hook-app-deps.js'
import type { AppState } from './hook-state.js'
import { requestLog } from './request-log.js'

/**
 * What every app of the service runs first, as one middleware: the 500 boundary and the JSON body serialized in
 * the chain (error-boundary.ts), then the request log line and the metrics (request-log.ts), then `Connection:
 * close` when due (connection-close.ts). One layer, not three: each Koa layer is an async frame, a promise and a
 * dispatch per request, and the three always ran together, in this order.
 */
export const edgeMiddleware = (deps: Pick<HookAppDeps, 'logger' | 'metrics' | 'readiness'>): Middleware<AppState> => {
  const log = requestLog(deps.logger, deps.metrics)
  const { logger, readiness } = deps
  return async (ctx, next) => {
    const started = performance.now()
    try {
      await next()
      serializeJsonBody(ctx)
    } catch (error) {
      answerUnhandled(logger, ctx, error)
    } finally {
      log(ctx, started)
    }
    closeConnectionWhenDue(readiness, ctx)
  }
}
