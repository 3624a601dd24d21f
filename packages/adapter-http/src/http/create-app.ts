import Koa from 'koa'
import Router from '@koa/router'
import { adminRouter } from './admin-router.js'
import { consoleRouter } from '../console/console-router.js'
import { edgeMiddleware } from './edge-middleware.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { hookEndpoint } from './hook-endpoint.js'
import type { AppState } from './hook-state.js'
import { opsRouter } from './ops-router.js'

/** The public path of the hook (docs/contract.md §2), accepted with and without its trailing slash. */
export const HOOK_PATHS = ['/sbermarket/orders/hook/', '/sbermarket/orders/hook']

/** What every app of the service runs first: `Connection: close` when due, the request log line, the 500 boundary. */
const baseApp = (deps: HookAppDeps): Koa<AppState> => {
  const app = new Koa<AppState>({ proxy: deps.settings.trustProxy })
  app.silent = true
  app.use(edgeMiddleware(deps))
  return app
}

/**
 * The app of the public listener (PORT/HOST, the one nginx proxies): the hook and nothing else. Every other path,
 * `/admin`, `/metrics`, `/readyz` and `/healthz` included, is 404 here, whatever reaches this port (nginx's
 * template, a `HOST=0.0.0.0` bound for a remote nginx, a scanner). The router matches case-sensitively (as nginx's
 * locations do) and strictly: the hook is exactly its two spellings (HOOK_PATHS); its token check sits in
 * `hookEndpoint`.
 */
export const createHookApp = (deps: HookAppDeps): Koa<AppState> => {
  const app = baseApp(deps)
  const hook = new Router<AppState>({ sensitive: true, strict: true })
  const endpoint = hookEndpoint(deps)
  for (const path of HOOK_PATHS) hook.post(path, endpoint)
  app.use(hook.routes())
  app.use(hook.allowedMethods())
  return app
}

/**
 * The app of the internal listener (INTERNAL_PORT/INTERNAL_HOST, loopback by default): liveness, readiness, metrics
 * and, with ADMIN_TOKEN, the admin API, each guarded in its own routes. It opens at start, before the store is
 * ready, so that `/readyz` and `/metrics` say why the hook is not listening yet. The hook is not served here.
 */
export const createInternalApp = (deps: HookAppDeps): Koa<AppState> => {
  const app = baseApp(deps)
  const ops = opsRouter(deps)
  app.use(ops.routes())
  app.use(ops.allowedMethods())
  if (deps.settings.adminToken !== undefined) {
    const admin = adminRouter(deps, deps.settings.adminToken)
    app.use(admin.routes())
    app.use(admin.allowedMethods())
  }
  // The support console is mounted with the admin API (README "Support console").
  if (deps.console !== undefined) {
    const support = consoleRouter(deps.console)
    app.use(support.routes())
    app.use(support.allowedMethods())
  }
  return app
}
