import Router from '@koa/router'
import * as E from 'fp-ts/lib/Either.js'
import { withinDeadline } from './deadline.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { respond } from './respond.js'

const READY_CHECK_MS = 2000

/** Liveness, readiness (the store answers, and no shutdown has begun) and Prometheus metrics. */
export const opsRouter = (deps: HookAppDeps): Router => {
  const router = new Router()
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
