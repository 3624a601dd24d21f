import Koa from 'koa'
import Router from '@koa/router'
import { adminRouter } from './admin-router.js'
import { consoleRouter } from '../console/console-router.js'
import { connectionClose } from './connection-close.js'
import { errorBoundary } from './error-boundary.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { hookEndpoint } from './hook-endpoint.js'
import type { AppState } from './hook-state.js'
import { opsRouter } from './ops-router.js'
import { requestLog } from './request-log.js'

/** The public path of the hook (docs/contract.md §2), accepted with and without its trailing slash. */
export const HOOK_PATHS = ['/sbermarket/orders/hook/', '/sbermarket/orders/hook']

/**
 * Builds the Koa app from its resolved dependencies. Routes are listed here, explicitly. Every router matches
 * case-sensitively (as nginx's locations do), and every guard sits in the chain of the routes it guards: the
 * hook's token check in `hookEndpoint`, the admin token in each admin route.
 */
export const createApp = (deps: HookAppDeps): Koa<AppState> => {
  const app = new Koa<AppState>({ proxy: deps.settings.trustProxy })
  app.silent = true
  app.use(connectionClose(deps.readiness))
  app.use(requestLog(deps.logger, deps.metrics))
  app.use(errorBoundary(deps.logger))

  // Strict: the hook is exactly its two spellings (HOOK_PATHS), the ones nginx proxies.
  const hook = new Router<AppState>({ sensitive: true, strict: true })
  const endpoint = hookEndpoint(deps)
  for (const path of HOOK_PATHS) hook.post(path, endpoint)
  app.use(hook.routes())
  app.use(hook.allowedMethods())

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
