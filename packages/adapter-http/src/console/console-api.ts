import type Router from '@koa/router'
import * as E from 'fp-ts/lib/Either.js'
import type { Context, Middleware } from 'koa'
import { parseJournalFilters } from '../support/journal-filters.js'
import { journalEntryView, journalListView, journalPageView } from '../http/journal-view.js'
import { orderView } from '../http/order-view.js'
import { clearReviewMark, eraseOrderPersonalData, replayEntries } from './console-actions.js'
import { journalEntry, journalPage, orderWithHistory, StoreUnavailable, todayFigures } from './console-data.js'
import type { ConsoleDeps } from './console-deps.js'
import type { ConsoleState } from './console-guards.js'
import { journalFiltersOfQuery } from '../http/query-values.js'
import { eventTypeOf, httpStatusOf, noteOf, oneOf, orderKeyOf, replayIdsOf } from './console-input.js'
import { openApiDocument } from './openapi.js'

type Ctx = Context & { state: ConsoleState; params: Record<string, string> }

const problem = (ctx: Context, status: number, error: string, detail: string): void => {
  ctx.status = status
  ctx.body = { error, detail }
}

/** What the console's JSON routes hold for a page of the journal unless `limit` says otherwise. */
const CONSOLE_JOURNAL_PAGE = 100

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString())

/** A store that cannot answer: 503, with no internal message. */
export const storeGuard = async (ctx: Context, next: () => Promise<unknown>): Promise<void> => {
  try {
    await next()
  } catch (error) {
    if (!(error instanceof StoreUnavailable)) throw error
    problem(ctx, 503, 'store_unavailable', 'the store cannot answer now; try again shortly')
  }
}

/**
 * The JSON routes under the console (README "Support console"; the document at /console/api/openapi.json): what
 * the pages show and do, for a script with a bearer token as for the page with its session. `guard` authenticates,
 * `act` adds the CSRF check and the operator-only rule for routes that change something.
 */
export const consoleApi = (
  deps: ConsoleDeps,
  router: Router,
  read: readonly Middleware[],
  act: readonly Middleware[],
): void => {
  router.get('/console/api/openapi.json', ...read, (ctx) => {
    ctx.body = openApiDocument
  })
  router.get('/console/api/today', ...read, async (ctx) => {
    const f = await todayFigures(deps)
    ctx.body = {
      since: f.since.toISOString(),
      now: f.now.toISOString(),
      requests: f.requests,
      complete: f.complete,
      byOutcome: f.byOutcome,
      byStatus: f.byStatus,
      failedOrRejected: f.failedOrRejected.map(journalListView),
      nearDeadlineMs: f.nearDeadlineMs,
      nearDeadlineCount: f.nearDeadlineCount,
      nearDeadline: f.nearDeadline.map(journalListView),
      ordersForReview: f.ordersForReview,
      review: f.review.map((r) => ({
        originalOrderId: r.originalOrderId,
        number: r.number,
        markedAt: r.markedAt.toISOString(),
        waitedSeconds: Math.floor(r.waitedMs / 1000),
        reasons: r.reasons,
      })),
      changeQueues: f.queues.map((q) => ({ consumer: q.consumer, depth: q.depth, oldest: iso(q.oldest) })),
    }
  })
  router.get('/console/api/orders/:key', ...read, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    if (key === undefined) return problem(ctx, 404, 'not_found', 'no such order')
    const paging = parseJournalFilters({
      ids: [],
      outcomes: [],
      review: false,
      after: oneOf(ctx.query['after']),
      limit: oneOf(ctx.query['limit']),
    })
    if (E.isLeft(paging)) return problem(ctx, 400, 'bad_query', paging.left.join('; ').replaceAll('--', ''))
    const found = await orderWithHistory(
      deps.orders,
      key,
      paging.right.afterId,
      paging.right.limit ?? CONSOLE_JOURNAL_PAGE,
    )
    if (found.order === undefined && found.history.length === 0 && paging.right.afterId === undefined)
      return problem(ctx, 404, 'not_found', 'no such order')
    const history = journalPageView({ entries: found.history, next: found.next })
    ctx.body = {
      originalOrderId: key,
      order: found.order === undefined ? null : orderView(found.order),
      history: history.entries,
      next: history.next,
    }
  })
  router.get('/console/api/journal', ...read, async (ctx) => {
    const q = ctx.query
    const parsed = parseJournalFilters(journalFiltersOfQuery(q))
    if (E.isLeft(parsed)) return problem(ctx, 400, 'bad_query', parsed.left.join('; ').replaceAll('--', ''))
    const event = eventTypeOf(oneOf(q['event']))
    if (event === null) return problem(ctx, 400, 'bad_query', 'event: expected an event type of 1 to 100 characters')
    const status = httpStatusOf(oneOf(q['status']))
    if (status === null) return problem(ctx, 400, 'bad_query', 'status: expected an HTTP status such as 503')
    const page = await journalPage(
      deps.orders,
      parsed.right.query,
      parsed.right.afterId,
      parsed.right.limit ?? CONSOLE_JOURNAL_PAGE,
      { eventType: event, httpStatus: status },
    )
    ctx.body = journalPageView(page)
  })
  router.get('/console/api/journal/:id', ...read, async (ctx: Ctx) => {
    const raw = ctx.params['id'] ?? ''
    const entry = /^\d{1,15}$/.test(raw) ? await journalEntry(deps.orders, Number(raw)) : undefined
    if (entry === undefined) return problem(ctx, 404, 'not_found', 'no such journal entry')
    ctx.body = journalEntryView(entry)
  })
  router.post('/console/api/replay', ...act, async (ctx: Ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>
    const ids = replayIdsOf(body['ids'])
    const note = noteOf(body['note'])
    if (ids === undefined || note === undefined || typeof body['dryRun'] !== 'boolean') {
      return problem(
        ctx,
        400,
        'bad_request',
        'send {"ids": [1 to 100 entry ids], "note": "who asked and why", "dryRun": true|false}; a dry run first',
      )
    }
    const report = await replayEntries(deps, ctx.state.principal?.name ?? '?', ids, note, body['dryRun'])
    ctx.body = {
      dryRun: report.dryRun,
      journaledAs: report.journaledAs ?? null,
      entries: report.lines.map((l) => ({
        id: l.id,
        originalOrderId: l.originalOrderId,
        eventType: l.eventType,
        outcomeThen: l.outcomeThen,
        replayable: l.result._tag !== 'NotReplayable',
        outcomeNow: l.result._tag === 'NotReplayable' ? null : l.result.outcome,
        entryId: l.result._tag === 'Replayed' ? (l.result.entryId ?? null) : null,
        verdict: l.verdict,
      })),
    }
  })
  router.post('/console/api/orders/:key/clear-review', ...act, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    const note = noteOf((ctx.request.body as Record<string, unknown> | undefined)?.['note'])
    if (key === undefined) return problem(ctx, 404, 'not_found', 'no such order')
    if (note === undefined)
      return problem(ctx, 400, 'bad_request', 'a note is required: who settled it, and how (1 to 500 characters)')
    const result = await clearReviewMark(deps, ctx.state.principal?.name ?? '?', key, note)
    if (result._tag === 'NoSuchOrder') return problem(ctx, 404, 'not_found', 'no such order')
    ctx.body = { originalOrderId: key, result: result._tag === 'Cleared' ? 'cleared' : 'not_marked' }
  })
  router.post('/console/api/orders/:key/erase', ...act, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    const body = (ctx.request.body ?? {}) as Record<string, unknown>
    const note = noteOf(body['note'])
    if (key === undefined) return problem(ctx, 404, 'not_found', 'no such order')
    if (note === undefined)
      return problem(ctx, 400, 'bad_request', 'a note is required: who asked, when, the ticket (1 to 500 characters)')
    if (body['confirmOrderKey'] !== key)
      return problem(ctx, 400, 'bad_request', 'confirmOrderKey must repeat the order key exactly')
    const report = await eraseOrderPersonalData(deps, ctx.state.principal?.name ?? '?', key, note)
    ctx.body = {
      originalOrderId: key,
      orderFound: report.orderFound,
      journalBodiesErased: report.journalBodiesErased,
      pendingBodiesErased: report.pendingBodiesErased,
      journaledAs: report.journal.id,
    }
  })
}
