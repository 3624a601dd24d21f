import type { Middleware } from 'koa'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'
import type { AppState } from './hook-state.js'

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * One JSON log line per request, written when the answer is settled, and the hook metrics. It names the
 * event type, the order key, the outcome, the status and the duration: never a header, a body or customer data.
 */
export const requestLog = (logger: Logger, metrics: HookMetrics): Middleware<AppState> => async (ctx, next) => {
  const started = performance.now()
  try {
    await next()
  } finally {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000
    const hook = ctx.state.hook
    const line = {
      method: ctx.method,
      path: ctx.path,
      status: ctx.status,
      durationMs,
      client: ctx.ip,
      ...(hook === undefined
        ? {}
        : { eventType: hook.eventType, orderKey: hook.originalOrderId, outcome: hook.outcome, ...(hook.detail === null ? {} : { detail: hook.detail }) }),
    }
    if (QUIET_PATHS.has(ctx.path)) logger.debug(line, 'request')
    else logger.info(line, 'request')
    if (hook !== undefined && hook.outcome !== null) metrics.observe(hook.eventType, hook.outcome, ctx.status, durationMs / 1000)
  }
}
