import Router from '@koa/router'
import { createHash, timingSafeEqual } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Middleware } from 'koa'
import { lookUpOrder, MAX_ORDER_ID_LENGTH, orderHistoryPage, type OriginalOrderId } from '@domino-sm/core'
import { journalPage, unstorableTextReason } from '@domino-sm/core/internals'
import { UNAVAILABLE } from './answer.js'
import type { HookAppDeps } from './hook-app-deps.js'
import { parseJournalFilters } from '../support/journal-filters.js'
import { journalFiltersOfQuery, oneOf } from './query-values.js'
import { journalEntryView, journalPageView } from './journal-view.js'
import { orderView } from './order-view.js'
import { respond } from './respond.js'

const sameSecret = (presented: string, expected: string): boolean => {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest()
  return timingSafeEqual(digest(presented), digest(expected))
}

/** `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time; 401 otherwise. */
const requireAdmin =
  (adminToken: string): Middleware =>
  async (ctx, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'))
    if (match?.[1] === undefined || !sameSecret(match[1], adminToken)) {
      ctx.set('WWW-Authenticate', 'Bearer')
      respond(ctx, { status: 401, body: { error: 'unauthorized', detail: 'send Authorization: Bearer <ADMIN_TOKEN>' } })
      return
    }
    await next()
  }

/** What a page of `GET /admin/journal` and of an order's history holds unless `limit` says otherwise. */
const ADMIN_JOURNAL_PAGE = 100

/** A 400 naming every bad parameter (the command line's names: `--after` is `after` here). */
const badQuery = (problems: readonly string[]) => ({
  status: 400,
  body: { error: 'bad_query', detail: problems.join('; ').replaceAll('--', '') },
})

const orderKeyOf = (raw: string | undefined): OriginalOrderId | undefined =>
  raw === undefined || raw === '' || raw.length > MAX_ORDER_ID_LENGTH ? undefined : (raw as OriginalOrderId)

/**
 * A key no order can have (a NUL, a lone surrogate: docs/contract.md §3) is answered 400 with the reason, before any
 * store sees it: a store may refuse such text, and that must not read as the database being down (503).
 */
const badKey = (raw: string | undefined) => {
  const reason = raw === undefined ? undefined : unstorableTextReason(raw)
  return reason === undefined
    ? undefined
    : { status: 400, body: { error: 'bad_key', detail: `the order key ${reason}; no order has such a key` } }
}

/**
 * The read-only admin API support uses to answer "what happened to order H123?". Mounted only when an admin
 * token is configured.
 *
 * The token check is the first middleware of each route's own chain, so that nothing of a route runs before it;
 * never a path prefix matched a second time: whatever spelling of a path the router's matcher takes for an admin route runs the check. A
 * separate `router.use` with a prefix had its own, case-sensitive matcher while the routes matched any case, and
 * `/Admin/orders/H1` answered without a token (a bypass found under attack; `test/integration/path-variants.test.ts`). Paths are case-sensitive, as nginx's locations are.
 */
export const adminRouter = (deps: HookAppDeps, adminToken: string): Router => {
  const router = new Router({ sensitive: true })
  const admin = requireAdmin(adminToken)
  router.get('/admin/orders/:originalOrderId', admin, async (ctx) => {
    const bad = badKey(ctx.params['originalOrderId'])
    if (bad !== undefined) return respond(ctx, bad)
    const key = orderKeyOf(ctx.params['originalOrderId'])
    if (key === undefined) return respond(ctx, { status: 404, body: { error: 'not_found', detail: 'no such order' } })
    const found = await lookUpOrder(deps)(key)()
    if (E.isLeft(found)) return respond(ctx, UNAVAILABLE)
    if (O.isNone(found.right))
      return respond(ctx, { status: 404, body: { error: 'not_found', detail: 'no such order' } })
    ctx.body = orderView(found.right.value)
  })
  // The order's history: a page of its journal entries, oldest first, WITHOUT bodies (?after=&limit=, as the journal's
  // pages), the cursor `next` of the page after it; one entry's body is `GET /admin/journal/:id`. A key with no
  // order can still have entries (an event that overtook its order.created, a refused one): it answers them, not 404.
  router.get('/admin/orders/:originalOrderId/events', admin, async (ctx) => {
    const bad = badKey(ctx.params['originalOrderId'])
    if (bad !== undefined) return respond(ctx, bad)
    const key = orderKeyOf(ctx.params['originalOrderId'])
    if (key === undefined) return respond(ctx, { status: 404, body: { error: 'not_found', detail: 'no such order' } })
    const parsed = parseJournalFilters({
      ids: [],
      outcomes: [],
      review: false,
      after: oneOf(ctx.query['after']),
      limit: oneOf(ctx.query['limit']),
    })
    if (E.isLeft(parsed)) return respond(ctx, badQuery(parsed.left))
    const { afterId, limit = ADMIN_JOURNAL_PAGE } = parsed.right
    const history = await orderHistoryPage(deps)(key, { limit, ...(afterId === undefined ? {} : { afterId }) })()
    if (E.isLeft(history)) return respond(ctx, UNAVAILABLE)
    const page = journalPageView(history.right)
    ctx.body = { originalOrderId: key, events: page.entries, next: page.next }
  })
  // The journal, filtered as `journal list` filters it (same names, same checks): ?id=&order=&outcome=failed,rejected
  // &since=&until=&review=1&after=&limit=. A page of entries without bodies, and the cursor of the next page.
  router.get('/admin/journal', admin, async (ctx) => {
    const q = ctx.query
    const parsed = parseJournalFilters(journalFiltersOfQuery(q))
    if (E.isLeft(parsed)) return respond(ctx, badQuery(parsed.left))
    const { query, afterId, limit = ADMIN_JOURNAL_PAGE } = parsed.right
    const found = await deps.orders.searchJournal({
      ...query,
      ...(afterId === undefined ? {} : { afterId }),
      limit,
      withBodies: false,
    })()
    if (E.isLeft(found)) return respond(ctx, UNAVAILABLE)
    const page = journalPageView(journalPage(found.right, limit))
    ctx.body = { entries: page.entries, next: page.next }
  })
  router.get('/admin/journal/:id', admin, async (ctx) => {
    const raw = ctx.params['id'] ?? ''
    const notFound = { status: 404, body: { error: 'not_found', detail: 'no such journal entry' } }
    if (!/^\d{1,15}$/.test(raw)) return respond(ctx, notFound)
    const found = await deps.orders.searchJournal({ ids: [Number(raw)], limit: 1, withBodies: true })()
    if (E.isLeft(found)) return respond(ctx, UNAVAILABLE)
    const [record] = found.right
    if (record === undefined) return respond(ctx, notFound)
    ctx.body = journalEntryView(record)
  })
  return router
}
