import type Router from '@koa/router'
import * as E from 'fp-ts/lib/Either.js'
import type { Context, Middleware } from 'koa'
import { parseJournalFilters } from '../support/journal-filters.js'
import { clearReviewMark, eraseOrderPersonalData, replayEntries } from './console-actions.js'
import { journalEntry, journalPage, orderWithHistory, todayFigures } from './console-data.js'
import type { ConsoleDeps } from './console-deps.js'
import type { ConsoleState } from './console-guards.js'
import {
  consolePathOf,
  eventTypeOf,
  httpStatusOf,
  listOf,
  noteOf,
  oneOf,
  orderKeyOf,
  replayIdsOf,
} from './console-input.js'
import type { Html } from './html.js'
import { entryPageView, journalPageView, replayReportView } from './journal-page-view.js'
import { layout, type PageFrame } from './layout-view.js'
import { messageView } from './message-view.js'
import { orderPageView, searchForm } from './order-page-view.js'
import { todayView } from './today-view.js'

type Ctx = Context & { state: ConsoleState; params: Record<string, string> }

export const page = (ctx: Ctx, frame: Omit<PageFrame, 'principal' | 'csrf'>, content: Html, status = 200): void => {
  ctx.status = status
  ctx.type = 'text/html; charset=utf-8'
  ctx.body = layout(
    {
      ...frame,
      ...(ctx.state.principal === undefined ? {} : { principal: ctx.state.principal }),
      ...(ctx.state.csrf === undefined ? {} : { csrf: ctx.state.csrf }),
    },
    content,
  ).text
}

const formOf = (ctx: Ctx): Record<string, unknown> => (ctx.request.body ?? {}) as Record<string, unknown>

/** The console's pages: server-rendered HTML over the same functions as the JSON routes (console-api.ts). */
export const consolePages = (
  deps: ConsoleDeps,
  router: Router,
  read: readonly Middleware[],
  act: readonly Middleware[],
): void => {
  const canAct = (ctx: Ctx): boolean => ctx.state.principal?.role === 'operator'
  router.get('/console/today', ...read, async (ctx: Ctx) =>
    page(ctx, { title: 'Сегодня', current: 'today' }, todayView(await todayFigures(deps))),
  )
  router.get('/console/orders', ...read, (ctx: Ctx) => {
    const raw = oneOf(ctx.query['key'])
    if (raw === undefined) return page(ctx, { title: 'Заказ', current: 'orders' }, searchForm())
    const key = orderKeyOf(raw)
    if (key === undefined) return page(ctx, { title: 'Заказ', current: 'orders' }, searchForm(), 400)
    ctx.status = 303
    ctx.redirect(`/console/orders/${encodeURIComponent(key)}`)
    return undefined
  })
  router.get('/console/orders/:key', ...read, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    if (key === undefined) return page(ctx, { title: 'Заказ', current: 'orders' }, searchForm(), 404)
    const after = oneOf(ctx.query['after'])
    const found = await orderWithHistory(
      deps.orders,
      key,
      after !== undefined && /^\d{1,15}$/.test(after) ? Number(after) : undefined,
    )
    const bodyId = oneOf(ctx.query['body'])
    const entry =
      bodyId !== undefined && /^\d{1,15}$/.test(bodyId) ? await journalEntry(deps.orders, Number(bodyId)) : undefined
    // A body only of this order's own history: the order page never shows another key's personal data.
    const shown = entry?.originalOrderId === key ? entry : undefined
    page(
      ctx,
      { title: `Заказ ${key}`, current: 'orders' },
      orderPageView(key, found, shown, deps.clock.now(), canAct(ctx), ctx.state.csrf ?? ''),
      found.order === undefined && found.history.length === 0 ? 404 : 200,
    )
  })
  router.get('/console/journal', ...read, async (ctx: Ctx) => {
    const q = ctx.query
    const form = {
      outcome: listOf(q['outcome']),
      event: oneOf(q['event']) ?? '',
      status: oneOf(q['status']) ?? '',
      order: oneOf(q['order']) ?? '',
      since: oneOf(q['since']) ?? '',
      until: oneOf(q['until']) ?? '',
      review: oneOf(q['review']) === '1',
    }
    const parsed = parseJournalFilters({
      ids: [],
      order: form.order === '' ? undefined : form.order,
      outcomes: form.outcome,
      since: form.since === '' ? undefined : form.since,
      until: form.until === '' ? undefined : form.until,
      review: form.review,
      after: oneOf(q['after']),
    })
    const event = eventTypeOf(form.event)
    const status = httpStatusOf(form.status)
    const problems = [
      ...(E.isLeft(parsed) ? parsed.left.map((p) => p.replaceAll('--', '')) : []),
      ...(event === null ? ['event: expected an event type of 1 to 100 characters'] : []),
      ...(status === null ? ['status: expected an HTTP status such as 503'] : []),
    ]
    if (E.isLeft(parsed) || event === null || status === null)
      return page(
        ctx,
        { title: 'Журнал', current: 'journal' },
        journalPageView(form, { entries: [], next: null }, problems, false, ''),
        400,
      )
    const entries = await journalPage(deps.orders, parsed.right.query, parsed.right.afterId, 100, {
      eventType: event,
      httpStatus: status,
    })
    return page(
      ctx,
      { title: 'Журнал', current: 'journal' },
      journalPageView(form, entries, [], canAct(ctx), ctx.state.csrf ?? ''),
    )
  })
  router.get('/console/journal/:id', ...read, async (ctx: Ctx) => {
    const raw = ctx.params['id'] ?? ''
    const entry = /^\d{1,15}$/.test(raw) ? await journalEntry(deps.orders, Number(raw)) : undefined
    if (entry === undefined)
      return page(ctx, { title: 'Запись журнала', current: 'journal' }, messageView(['Такой записи нет.']), 404)
    return page(
      ctx,
      { title: `Запись журнала #${entry.id}`, current: 'journal' },
      entryPageView(entry, oneOf(ctx.query['body']) === '1'),
    )
  })
  router.post('/console/replay', ...act, async (ctx: Ctx) => {
    const form = formOf(ctx)
    const back = consolePathOf(form['back'])
    const ids = replayIdsOf(form['id'])
    const note = noteOf(form['note'])
    if (ids === undefined || note === undefined) {
      return page(
        ctx,
        { title: 'Повтор' },
        messageView(['Выберите от 1 до 100 записей и напишите примечание: кто попросил и зачем.'], back),
        400,
      )
    }
    const confirmed = form['confirm'] === '1'
    const report = await replayEntries(deps, ctx.state.principal?.name ?? '?', ids, note, !confirmed)
    page(
      ctx,
      { title: confirmed ? 'Повтор выполнен' : 'Повтор: пробный прогон' },
      replayReportView(report, ids, note, back, ctx.state.csrf ?? ''),
    )
  })
  router.post('/console/orders/:key/clear-review', ...act, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    const note = noteOf(formOf(ctx)['note'])
    const back = key === undefined ? '/console/orders' : `/console/orders/${encodeURIComponent(key)}`
    if (key === undefined || note === undefined)
      return page(ctx, { title: 'Снять отметку' }, messageView(['Нужно примечание: что решили и с кем.'], back), 400)
    const result = await clearReviewMark(deps, ctx.state.principal?.name ?? '?', key, note)
    const words = {
      Cleared: 'Отметка «на проверку» снята; действие записано в журнал.',
      NotMarked: 'Заказ не отмечен; ничего не изменено.',
      NoSuchOrder: 'Такого заказа нет.',
    }[result._tag]
    page(ctx, { title: `Заказ ${key}: отметка` }, messageView([words], back), result._tag === 'NoSuchOrder' ? 404 : 200)
  })
  router.post('/console/orders/:key/erase', ...act, async (ctx: Ctx) => {
    const key = orderKeyOf(ctx.params['key'])
    const form = formOf(ctx)
    const note = noteOf(form['note'])
    const back = key === undefined ? '/console/orders' : `/console/orders/${encodeURIComponent(key)}`
    if (key === undefined || note === undefined || form['confirmOrderKey'] !== key) {
      return page(
        ctx,
        { title: 'Стереть персональные данные' },
        messageView(['Нужно примечание и ключ заказа, введённый ещё раз в точности. Ничего не стёрто.'], back),
        400,
      )
    }
    const r = await eraseOrderPersonalData(deps, ctx.state.principal?.name ?? '?', key, note)
    page(
      ctx,
      { title: `Заказ ${key}: персональные данные стёрты` },
      messageView(
        [
          `Стёрто: ${r.orderFound ? 'из заказа' : 'заказа нет'}, тел журнала ${r.journalBodiesErased}, отложенных изменений ${r.pendingBodiesErased}. Записано в журнал как #${r.journal.id}.`,
        ],
        back,
      ),
    )
  })
}
