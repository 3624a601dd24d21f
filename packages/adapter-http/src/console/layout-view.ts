import type { JournalRecord } from '@domino-sm/core'
import { html, type Html } from './html.js'
import type { Principal } from './console-deps.js'

/** What every page shows around its content: who is signed in, and the CSRF token of the sign-out form. */
export interface PageFrame {
  readonly title: string
  readonly principal?: Principal
  readonly csrf?: string
  /** The navigation item of this page. */
  readonly current?: 'today' | 'orders' | 'journal'
}

const NAV = [
  { id: 'today', href: '/console/today', label: 'Сегодня' },
  { id: 'orders', href: '/console/orders', label: 'Заказ' },
  { id: 'journal', href: '/console/journal', label: 'Журнал' },
] as const

/**
 * The page around every view: Russian (the retailer's support staff), with the hook's own terms (outcomes, event
 * types, HTTP statuses) kept as the journal and the command line spell them. No inline script or style (the
 * Content-Security-Policy allows only /console/assets/).
 */
export const layout = (frame: PageFrame, content: Html): Html =>
  html`<!doctype html>
    <html lang="ru">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${frame.title} · консоль поддержки СберМаркет</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">К содержимому</a>
        <header class="top">
          <span class="brand">Заказы СберМаркет · поддержка</span>
          ${
            frame.principal === undefined
              ? ''
              : html`<nav aria-label="Разделы">
                    <ul>
                      ${NAV.map(
                        (item) =>
                          html`<li>
                            <a href="${item.href}" ${frame.current === item.id ? html` aria-current="page"` : ''}
                              >${item.label}</a
                            >
                          </li>`,
                      )}
                    </ul>
                  </nav>
                  <form method="post" action="/console/sign-out" class="who">
                    <span
                      >${frame.principal.name}${frame.principal.role === 'reader' ? html` <em>(только чтение)</em>` : ''}</span
                    >
                    <input type="hidden" name="_csrf" value="${frame.csrf ?? ''}" />
                    <button type="submit">Выйти</button>
                  </form>`
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${frame.title}</h1>
          ${content}
        </main>
      </body>
    </html>`

/** Moscow time, as the retailer's support reads it, with the offset written: no guessing which zone. */
export const when = (date: Date | null): string => {
  if (date === null) return '—'
  const local = new Date(date.getTime() + 3 * 3600_000).toISOString()
  return `${local.slice(0, 10)} ${local.slice(11, 19)} МСК`
}

/** A duration in words: 3 ч 05 мин, 12 мин, 40 с. */
export const waited = (ms: number): string => {
  const minutes = Math.floor(ms / 60_000)
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} с`
  const days = Math.floor(minutes / 1440)
  const hours = Math.floor((minutes % 1440) / 60)
  const rest = minutes % 60
  if (days > 0) return `${days} д ${hours} ч`
  return hours > 0 ? `${hours} ч ${String(rest).padStart(2, '0')} мин` : `${rest} мин`
}

/** What an outcome means, in words, beside the code the journal keeps. */
export const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  created: 'создан',
  duplicate: 'повтор',
  applied: 'применено',
  stale: 'устарело',
  pending: 'ждёт заказ',
  review: 'на проверку',
  ignored: 'не обрабатывается',
  rejected: 'отклонено',
  failed: 'сбой',
  expired: 'истекло',
}

export const outcomeBadge = (outcome: string): Html =>
  html`<span class="badge o-${outcome}">${outcome}</span> ${OUTCOME_WORDS[outcome] ?? ''}`

export const orderLink = (key: string | null): Html | string =>
  key === null ? '—' : html`<a href="/console/orders/${encodeURIComponent(key)}">${key}</a>`

/** The facts of journal entries as a table (never a body: lists never show personal data). */
export const entryTable = (
  entries: readonly JournalRecord[],
  options: { readonly select?: boolean; readonly caption: string },
): Html =>
  html`<table>
    <caption>
      ${options.caption}
    </caption>
    <thead>
      <tr>
        ${options.select === true ? html`<th scope="col"><span class="sr">Выбрать</span></th>` : ''}
        <th scope="col">№</th>
        <th scope="col">Получен</th>
        <th scope="col">Заказ</th>
        <th scope="col">Событие</th>
        <th scope="col">Итог</th>
        <th scope="col">HTTP</th>
        <th scope="col">мс</th>
        <th scope="col">Подробности</th>
      </tr>
    </thead>
    <tbody>
      ${entries.map(
        (e) =>
          html`<tr>
            ${
              options.select === true
                ? html`<td>
                    <input
                      type="checkbox"
                      name="id"
                      value="${e.id}"
                      id="sel-${e.id}"
                      aria-label="Выбрать запись ${e.id}"
                    />
                  </td>`
                : ''
            }
            <td><a href="/console/journal/${e.id}">#${e.id}</a></td>
            <td>${when(e.receivedAt)}</td>
            <td>${orderLink(e.originalOrderId)}</td>
            <td>${e.eventType ?? '—'}</td>
            <td>${outcomeBadge(e.outcome)}</td>
            <td>${e.httpStatus}</td>
            <td>${e.durationMs}</td>
            <td>${e.replayOf === undefined ? '' : html`повтор #${e.replayOf}. `}${e.detail ?? ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`
