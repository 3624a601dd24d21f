import { KNOWN_EVENT_TYPES, OUTCOMES, type FoundJournalRecord } from '@domino-sm/core'
import { PERSONAL_DATA_ERASED_EVENT_TYPE, REVIEW_CLEARED_EVENT_TYPE } from '@domino-sm/core/internals'
import { html, query, type Html } from './html.js'
import { entryTable, orderLink, outcomeBadge, when } from './layout-view.js'
import { prettyJson, replayFields } from './order-page-view.js'
import { REPLAY_REQUESTED_EVENT_TYPE, type ReplayReport } from './console-actions.js'

/** The event types the filter suggests: every spelling SberMarket sends, then the support actions' own. */
const EVENT_TYPES: readonly string[] = [
  ...KNOWN_EVENT_TYPES,
  REVIEW_CLEARED_EVENT_TYPE,
  PERSONAL_DATA_ERASED_EVENT_TYPE,
  REPLAY_REQUESTED_EVENT_TYPE,
]

/** The journal's filters as the page's form holds them (the names of `journal list` and `GET /admin/journal`). */
export interface JournalForm {
  readonly outcome: readonly string[]
  /** An event type as sent (`order.created`, `order.updated`, ...): the console filters what it reads. */
  readonly event: string
  /** An HTTP status answered (`503`): filtered as the event type is. */
  readonly status: string
  readonly order: string
  readonly since: string
  readonly until: string
  readonly review: boolean
}

const formPairs = (form: JournalForm): Record<string, string | readonly string[]> => ({
  outcome: form.outcome.join(','),
  event: form.event,
  status: form.status,
  order: form.order,
  since: form.since,
  until: form.until,
  review: form.review ? '1' : '',
})

export const journalPageView = (
  form: JournalForm,
  page: { readonly entries: readonly FoundJournalRecord[]; readonly next: number | null },
  problems: readonly string[],
  canAct: boolean,
  csrf: string,
): Html => {
  const chosen = new Set(form.outcome.flatMap((o) => o.split(',')))
  return html`<form method="get" action="/console/journal" class="filters">
      <fieldset>
        <legend>Итог</legend>
        ${OUTCOMES.map(
          (o) =>
            html`<label class="check"
              ><input type="checkbox" name="outcome" value="${o}" ${chosen.has(o) ? html` checked` : ''} /> ${o}</label
            >`,
        )}
      </fieldset>
      <label for="f-event">Тип события (как прислан)</label
      ><input id="f-event" name="event" value="${form.event}" maxlength="100" list="event-types" />
      <datalist id="event-types">${EVENT_TYPES.map((t) => html`<option value="${t}"></option>`)}</datalist>
      <label for="f-status">Ответ HTTP</label
      ><input id="f-status" name="status" value="${form.status}" maxlength="3" inputmode="numeric" placeholder="503" />
      <label for="f-order">Ключ заказа</label><input id="f-order" name="order" value="${form.order}" maxlength="255" />
      <label for="f-since">С (ISO 8601)</label
      ><input id="f-since" name="since" value="${form.since}" placeholder="2026-05-24T09:00:00+03:00" />
      <label for="f-until">По (ISO 8601)</label><input id="f-until" name="until" value="${form.until}" />
      <label class="check"
        ><input type="checkbox" name="review" value="1" ${form.review ? html` checked` : ''} /> только заказы на
        проверке</label
      >
      <button type="submit">Показать</button>
    </form>
    ${
      problems.length === 0
        ? ''
        : html`<div class="error" role="alert">
            <p>Фильтр не прочитан:</p>
            <ul>
              ${problems.map((p) => html`<li>${p}</li>`)}
            </ul>
          </div>`
    }
    <form method="post" action="/console/replay">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="back" value="/console/journal${query(formPairs(form))}" />
      ${canAct ? html`<p><button type="button" class="js-only" data-select-all="id">Выбрать все на странице</button></p>` : ''}
      ${entryTable(page.entries, { select: canAct, caption: `Записи (${page.entries.length}), сначала старые; тела запросов только на странице заказа` })}
      ${canAct && page.entries.length > 0 ? replayFields() : ''}
    </form>
    ${page.next === null ? html`<p>Это последняя страница.</p>` : html`<p><a href="/console/journal${query({ ...formPairs(form), after: String(page.next) })}" rel="next">Следующая страница</a></p>`}`
}

/** One entry's facts, and its body only when asked for. */
export const entryPageView = (entry: FoundJournalRecord, showBody: boolean): Html =>
  html`<dl class="facts">
      <dt>Получен</dt>
      <dd>${when(entry.receivedAt)}</dd>
      <dt>Заказ</dt>
      <dd>${orderLink(entry.originalOrderId)}</dd>
      <dt>Событие</dt>
      <dd>${entry.eventType ?? '—'}</dd>
      <dt>Итог</dt>
      <dd>${outcomeBadge(entry.outcome)}, ответ ${entry.httpStatus} за ${entry.durationMs} мс</dd>
      <dt>Подробности</dt>
      <dd>${entry.detail ?? '—'}</dd>
      ${
        entry.replayOf === undefined
          ? ''
          : html`<dt>Повтор записи</dt>
              <dd><a href="/console/journal/${entry.replayOf}">#${entry.replayOf}</a></dd>`
      }
      <dt>Тело</dt>
      <dd>
        ${entry.hasBody ? (showBody ? 'ниже' : html`<a href="/console/journal/${entry.id}?body=1#body">Показать тело запроса</a> (может содержать персональные данные)`) : 'не хранится'}
      </dd>
    </dl>
    ${showBody && entry.rawBody !== null ? html`<pre id="body" class="body" tabindex="0">${prettyJson(entry.rawBody)}</pre>` : ''}`

/** The dry run's table, then the confirmation (same entries, same note), or the replay's result. */
export const replayReportView = (
  report: ReplayReport,
  ids: readonly number[],
  note: string,
  back: string,
  csrf: string,
): Html =>
  html`<table>
      <caption>
        ${report.dryRun ? 'Пробный прогон: что повтор сделал бы сейчас (ничего не изменено)' : `Повтор выполнен; записан в журнал как #${report.journaledAs ?? '—'}`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Запись</th>
          <th scope="col">Заказ</th>
          <th scope="col">Событие</th>
          <th scope="col">Тогда</th>
          <th scope="col">${report.dryRun ? 'Сейчас было бы' : 'Сейчас'}</th>
        </tr>
      </thead>
      <tbody>
        ${report.lines.map(
          (l) =>
            html`<tr>
              <td><a href="/console/journal/${l.id}">#${l.id}</a></td>
              <td>${orderLink(l.originalOrderId)}</td>
              <td>${l.eventType ?? '—'}</td>
              <td>${outcomeBadge(l.outcomeThen)}</td>
              <td>${l.verdict}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${
      report.dryRun
        ? html`<form method="post" action="/console/replay" class="action">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <input type="hidden" name="back" value="${back}" />
            ${ids.map((id) => html`<input type="hidden" name="id" value="${id}" />`)}
            <input type="hidden" name="confirm" value="1" />
            <label for="confirm-note">Примечание</label
            ><input id="confirm-note" name="note" value="${note}" required maxlength="500" />
            <button type="submit">Подтвердить повтор ${ids.length} записей</button>
            <a href="${back}">Отмена</a>
          </form>`
        : html`<p><a href="${back}">Вернуться</a></p>`
    }`
