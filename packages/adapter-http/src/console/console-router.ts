import Router from '@koa/router'
import { createHash } from 'node:crypto'
import bodyParser from 'koa-bodyparser'
import type { Context, Middleware } from 'koa'
import { CONSOLE_CSS } from './assets/console-css.js'
import { CONSOLE_JS } from './assets/console-js.js'
import { consoleApi, storeGuard } from './console-api.js'
import { StoreUnavailable } from './console-data.js'
import type { ConsoleDeps } from './console-deps.js'
import {
  authenticate,
  clearSessionCookie,
  csrfGuard,
  operatorOnly,
  refuseSignIn,
  sameOriginOnly,
  securityHeaders,
  setSessionCookie,
  type ConsoleState,
} from './console-guards.js'
import { consolePathOf, oneOf } from './console-input.js'
import { page, consolePages } from './console-pages.js'
import { messageView, signInView } from './message-view.js'
import { SessionKeeper, SignInThrottle } from './session.js'

type Ctx = Context & { state: ConsoleState; params: Record<string, string> }

const bodyOf = bodyParser({
  enableTypes: ['form', 'json'],
  formLimit: '64kb',
  jsonLimit: '64kb',
  strict: true,
}) as unknown as Middleware

/**
 * Forms and JSON, small (a note and up to 100 ids fit in far less): a body too large answers 413, one that cannot
 * be read 400, with a short problem and never the parser's message.
 */
const parseBody: Middleware = async (ctx, next) => {
  let parsed = false
  try {
    await bodyOf(ctx, () => {
      parsed = true
      return Promise.resolve()
    })
  } catch (error) {
    const status = (error as { status?: unknown }).status === 413 ? 413 : 400
    ctx.status = status
    ctx.body = {
      error: status === 413 ? 'too_large' : 'bad_request',
      detail: status === 413 ? 'the body is larger than 64 KiB' : 'the body could not be read as a form or JSON',
    }
    return
  }
  if (parsed) await next()
}

const asset = (text: string, type: string) => ({
  text,
  type,
  etag: `"${createHash('sha256').update(text).digest('base64url').slice(0, 22)}"`,
})
const ASSETS: Readonly<Record<string, ReturnType<typeof asset>>> = {
  'console.css': asset(CONSOLE_CSS, 'text/css; charset=utf-8'),
  'console.js': asset(CONSOLE_JS, 'text/javascript; charset=utf-8'),
}

/** The bytes the console's assets weigh (README "Support console"). */
export const CONSOLE_ASSET_BYTES = Object.values(ASSETS).reduce((n, a) => n + Buffer.byteLength(a.text), 0)

/** A store that cannot answer, on a page: 503 with a page that says so (the API answers JSON: `storeGuard`). */
const pageStoreGuard: Middleware = async (ctx, next) => {
  try {
    await next()
  } catch (error) {
    if (!(error instanceof StoreUnavailable)) throw error
    page(
      ctx as Ctx,
      { title: 'База недоступна' },
      messageView(['Хранилище заказов сейчас не отвечает. Попробуйте через минуту.']),
      503,
    )
  }
}

/**
 * The support console (README "Support console"): pages under /console/ and their JSON routes under
 * /console/api/, mounted where the admin API is. Each route carries its own guards in its own chain (as the admin
 * routes do): security headers, the body parser, who asks, and for a change the CSRF and same-origin checks and
 * the operator-only rule. Matching is case-sensitive, as nginx's locations are.
 */
export const consoleRouter = (deps: ConsoleDeps): Router => {
  const router = new Router({ sensitive: true })
  const sessions = new SessionKeeper(deps.config, deps.adminToken)
  const throttle = new SignInThrottle()
  const readPage = [securityHeaders, pageStoreGuard, authenticate(deps, sessions, throttle, 'page')]
  const actPage = [
    securityHeaders,
    pageStoreGuard,
    authenticate(deps, sessions, throttle, 'page'),
    parseBody,
    csrfGuard(sessions),
    operatorOnly,
  ]
  const readApi = [securityHeaders, storeGuard, authenticate(deps, sessions, throttle, 'api')]
  const actApi = [
    securityHeaders,
    storeGuard,
    authenticate(deps, sessions, throttle, 'api'),
    parseBody,
    csrfGuard(sessions),
    operatorOnly,
  ]

  router.get(['/console', '/console/'], securityHeaders, (ctx) => {
    ctx.status = 303
    ctx.redirect('/console/today')
  })
  router.get('/console/assets/:name', securityHeaders, (ctx: Ctx) => {
    const found = ASSETS[ctx.params['name'] ?? '']
    if (found === undefined || !Object.hasOwn(ASSETS, ctx.params['name'] ?? '')) {
      ctx.status = 404
      return
    }
    ctx.set('Cache-Control', 'no-cache')
    ctx.set('ETag', found.etag)
    if (ctx.get('If-None-Match') === found.etag) {
      ctx.status = 304
      return
    }
    ctx.type = found.type
    ctx.body = found.text
  })
  router.get('/console/sign-in', securityHeaders, (ctx: Ctx) => {
    page(
      ctx,
      { title: 'Вход' },
      signInView(
        consolePathOf(oneOf(ctx.query['next'])),
        sessions.enabled ? undefined : 'Консоль выключена: не заданы OPERATOR_TOKENS и ADMIN_TOKEN.',
      ),
    )
  })
  router.post('/console/sign-in', securityHeaders, parseBody, async (ctx: Ctx) => {
    const form = (ctx.request.body ?? {}) as Record<string, unknown>
    const next = consolePathOf(form['next'])
    const crossSite = sameOriginOnly(ctx)
    if (crossSite !== undefined) {
      ctx.status = 403
      ctx.body = { error: 'forbidden', detail: crossSite }
      return
    }
    const token = typeof form['token'] === 'string' ? form['token'].trim() : ''
    const principal = token === '' || token.length > 1024 ? undefined : sessions.whoHolds(token)
    if (principal === undefined) {
      await refuseSignIn(ctx, deps, throttle)
      page(ctx, { title: 'Вход' }, signInView(next, 'Токен не подошёл.'), 401)
      return
    }
    throttle.succeeded(ctx.ip)
    const opened = sessions.open(principal, Date.now())
    setSessionCookie(ctx, deps, opened.cookie)
    deps.logger.info({ operator: principal.name, role: principal.role, client: ctx.ip }, 'console: signed in')
    ctx.status = 303
    ctx.redirect(next)
  })
  router.post(
    '/console/sign-out',
    securityHeaders,
    authenticate(deps, sessions, throttle, 'page'),
    parseBody,
    csrfGuard(sessions),
    (ctx: Ctx) => {
      if (ctx.state.session !== undefined) sessions.forget(ctx.state.session, Date.now())
      clearSessionCookie(ctx, deps)
      deps.logger.info({ operator: ctx.state.principal?.name }, 'console: signed out')
      ctx.status = 303
      ctx.redirect('/console/sign-in')
    },
  )
  consolePages(deps, router, readPage, actPage)
  consoleApi(deps, router, readApi, actApi)
  return router
}
