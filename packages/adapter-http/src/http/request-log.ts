import type { Context } from 'koa'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'
import { requestLineWriter } from '../observability/request-line.js'
import type { AppState } from './hook-state.js'

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

/** Logs and counts one settled request; `started` is `performance.now()` when it reached the app. */
export type RequestLog = (ctx: Context & { readonly state: AppState }, started: number) => void

/**
 * One JSON log line per request, written when the answer is settled (the edge middleware calls it,
 * edge-middleware.ts), and the hook metrics. It names the event type, the order key, the outcome, the status and
 * the duration: never a header, a body or customer data.
 */
export const requestLog = (logger: Logger, metrics: HookMetrics): RequestLog => {
  const writeLine = requestLineWriter(logger)
  return (ctx, started) => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000
    const hook = ctx.state.hook
    const path = ctx.path
    writeLine(QUIET_PATHS.has(path), ctx.method, path, ctx.status, durationMs, ctx.ip, hook)
    if (hook === undefined || hook.outcome === null) return
    metrics.observe(hook.eventType, hook.outcome, ctx.status, durationMs / 1000, hook.detail)
  }
}
