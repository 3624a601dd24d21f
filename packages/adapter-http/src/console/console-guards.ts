import type { Context, Middleware, Next } from 'koa'
import type { ConsoleDeps, Principal } from './console-deps.js'
import type { Session, SessionKeeper, SignInThrottle } from './session.js'

/** What the guards leave for the routes: who asks, their session (a page) and its CSRF token. */
export interface ConsoleState {
  principal?: Principal
  session?: Session
  csrf?: string
}

type Ctx = Context & { state: ConsoleState }

/**
 * Every console answer: a strict Content-Security-Policy (scripts and styles only from /console/assets/, no inline
 * code), no framing, no sniffing, no referrer, and nothing kept by caches (pages hold customer data).
 */
export const securityHeaders: Middleware = async (ctx, next) => {
  ctx.set(
    'Content-Security-Policy',
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  )
  ctx.set('X-Frame-Options', 'DENY')
  ctx.set('X-Content-Type-Options', 'nosniff')
  ctx.set('Referrer-Policy', 'no-referrer')
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin')
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin')
  ctx.set('Cache-Control', 'no-store')
  await next()
}

/** The cookie's name and attributes: `__Host-` and `Secure` over TLS, HttpOnly and SameSite=Strict always. */
const cookieOf = (ctx: Context, deps: ConsoleDeps): { readonly name: string; readonly attributes: string } => {
  const secure = deps.config.secureCookie === 'always' || ctx.secure
  return secure
    ? { name: '__Host-sm_console', attributes: 'Path=/; HttpOnly; SameSite=Strict; Secure' }
    : { name: 'sm_console', attributes: 'Path=/console; HttpOnly; SameSite=Strict' }
}

export const setSessionCookie = (ctx: Context, deps: ConsoleDeps, value: string): void => {
  const { name, attributes } = cookieOf(ctx, deps)
  ctx.append('Set-Cookie', `${name}=${value}; ${attributes}; Max-Age=${deps.config.sessionMinutes * 60}`)
}

export const clearSessionCookie = (ctx: Context, deps: ConsoleDeps): void => {
  const { name, attributes } = cookieOf(ctx, deps)
  ctx.append('Set-Cookie', `${name}=; ${attributes}; Max-Age=0`)
}

const sendProblem = (ctx: Context, status: number, error: string, detail: string): void => {
  ctx.status = status
  ctx.body = { error, detail }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A failed sign-in (a form, or a wrong bearer token): logged without the token, answered after a growing wait. */
export const refuseSignIn = async (ctx: Context, deps: ConsoleDeps, throttle: SignInThrottle): Promise<void> => {
  const now = Date.now()
  const failures = throttle.failed(ctx.ip, now)
  deps.logger.warn({ client: ctx.ip, path: ctx.path, failures }, 'console: sign-in refused (wrong token)')
  await sleep(throttle.delayFor(ctx.ip, now))
}

/**
 * Who asks: a bearer token (operator or admin; a wrong one is refused and slowed like a failed sign-in), else the
 * session cookie (seen again now, so its idle time restarts). Pages without either go to the sign-in form; the API
 * answers 401.
 */
export const authenticate =
  (deps: ConsoleDeps, sessions: SessionKeeper, throttle: SignInThrottle, kind: 'page' | 'api'): Middleware =>
  async (ctx: Ctx, next: Next) => {
    const authorization = ctx.get('Authorization')
    if (authorization !== '') {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization)
      const principal = match?.[1] === undefined ? undefined : sessions.whoHolds(match[1])
      if (principal === undefined) {
        await refuseSignIn(ctx, deps, throttle)
        ctx.set('WWW-Authenticate', 'Bearer')
        return sendProblem(ctx, 401, 'unauthorized', 'send Authorization: Bearer <an operator token or ADMIN_TOKEN>')
      }
      ctx.state.principal = principal
      await next()
      return
    }
    const now = Date.now()
    const raw = ctx.cookies.get(cookieOf(ctx, deps).name)
    const session = raw === undefined ? undefined : sessions.verify(raw, now)
    if (session === undefined) {
      if (raw !== undefined) clearSessionCookie(ctx, deps)
      if (kind === 'api') {
        ctx.set('WWW-Authenticate', 'Bearer')
        return sendProblem(
          ctx,
          401,
          'unauthorized',
          'sign in at /console/sign-in, or send Authorization: Bearer <token>',
        )
      }
      const next = ctx.method === 'GET' ? ctx.originalUrl : '/console/today'
      ctx.status = 303
      ctx.redirect(`/console/sign-in?next=${encodeURIComponent(next)}`)
      return undefined
    }
    if (now - session.seenAt > 60_000) setSessionCookie(ctx, deps, sessions.touch(session, now))
    ctx.state.principal = session.principal
    ctx.state.session = session
    ctx.state.csrf = sessions.csrfToken(session)
    await next()
  }

/**
 * A request that changes something must come from the console's own pages: the browser's `Sec-Fetch-Site` (when
 * sent) is same-origin, its `Origin` (when sent) is this origin (or `null` with `Sec-Fetch-Site: same-origin`), and, for a session, the form or the
 * `X-CSRF-Token` header holds the session's CSRF token. A bearer token is no ambient credential: a cross-site
 * page cannot send it, so a script with one needs no CSRF token.
 */
export const sameOriginOnly = (ctx: Context): string | undefined => {
  const site = ctx.get('Sec-Fetch-Site')
  if (site !== '' && site !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${site})`
  const origin = ctx.get('Origin')
  // A page sent with `Referrer-Policy: no-referrer` (ours) posts its forms with `Origin: null`: then only the
  // browser's own `Sec-Fetch-Site: same-origin` vouches for it.
  if (origin === 'null') return site === 'same-origin' ? undefined : 'cross-site request refused (an opaque Origin)'
  // Koa 3's `ctx.origin` is the Origin header itself: this console's own origin is built from the request.
  if (origin !== '' && origin !== `${ctx.protocol}://${ctx.host}`)
    return 'cross-site request refused (Origin is not this console)'
  return undefined
}

export const csrfGuard =
  (sessions: SessionKeeper): Middleware =>
  async (ctx: Ctx, next: Next) => {
    if (ctx.state.principal?.via === 'bearer') {
      await next()
      return
    }
    const crossSite = sameOriginOnly(ctx)
    const body = ctx.request.body as Record<string, unknown> | undefined
    const presented = ctx.get('X-CSRF-Token') || (typeof body?.['_csrf'] === 'string' ? body['_csrf'] : undefined)
    if (crossSite !== undefined) return sendProblem(ctx, 403, 'forbidden', crossSite)
    if (ctx.state.session === undefined || !sessions.checkCsrf(ctx.state.session, presented))
      return sendProblem(ctx, 403, 'forbidden', 'missing or wrong CSRF token: reload the page and try again')
    await next()
  }

/** Acting is for operators: the read-only ADMIN_TOKEN may look, never act. */
export const operatorOnly: Middleware = async (ctx: Ctx, next: Next) => {
  if (ctx.state.principal?.role !== 'operator')
    return sendProblem(
      ctx,
      403,
      'forbidden',
      'read-only: ADMIN_TOKEN may read the console, not act; sign in with an operator token',
    )
  await next()
}
