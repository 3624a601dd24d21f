import Router from '@koa/router'
import * as E from 'fp-ts/lib/Either.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { respond } from './respond.js'

const READY_CHECK_MS = 2000

/**
 * Liveness, readiness (the store answers, and no shutdown has begun) and Prometheus metrics, on the instance's own
 * address (nginx does not proxy them). None has a guard, on purpose: `/metrics` holds only aggregates (requests by
 * event type, from a fixed set of labels, outcome and status; durations; process figures), never an order key, a
 * token, a body or customer data, so a scraper on the internal network needs no secret.
 */
export const opsRouter = (deps: HookAppDeps): Router => {
  const router = new Router({ sensitive: true })
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' }
  })
  router.get('/readyz', async (ctx) => {
    if (!deps.readiness.accepting) return respond(ctx, { status: 503, body: { status: 'shutting_down' } })
    const pinged = await withinDeadline(deps.orders.ping()(), READY_CHECK_MS)
    if (pinged._tag === 'InTime' && E.isRight(pinged.value)) {
      ctx.body = { status: 'ready' }
      return
    }
    respond(ctx, { status: 503, body: { status: 'store_unavailable' } })
  })
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType
    ctx.body = await deps.metrics.registry.metrics()
  })
  return router
}
