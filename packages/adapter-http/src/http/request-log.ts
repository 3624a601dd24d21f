import type { Middleware } from 'koa'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'
import { requestLineWriter } from '../observability/request-line.js'
import type { AppState } from './hook-state.js'

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/**
 * One JSON log line per request, written when the answer is settled, and the hook metrics. It names the
 * event type, the order key, the outcome, the status and the duration: never a header, a body or customer data.
 */
export const requestLog = (logger: Logger, metrics: HookMetrics): Middleware<AppState> => {
  const writeLine = requestLineWriter(logger)
  return async (ctx, next) => {
    const started = performance.now()
    try {
      await next()
    } finally {
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000
      const hook = ctx.state.hook
      const path = ctx.path
      writeLine(QUIET_PATHS.has(path), ctx.method, path, ctx.status, durationMs, ctx.ip, hook)
      if (hook !== undefined && hook.outcome !== null) metrics.observe(hook.eventType, hook.outcome, ctx.status, durationMs / 1000, hook.detail)
    }
  }
}
