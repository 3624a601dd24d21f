import { OUTCOMES } from '@domino-sm/core'
import { html, query, type Html } from './html.js'
import { entryTable, orderLink, OUTCOME_WORDS, waited, when } from './layout-view.js'
import type { TodayFigures } from './console-data.js'

const journalLink = (figures: TodayFigures, filters: Readonly<Record<string, string>>, text: string | number): Html =>
  html`<a href="/console/journal${query({ since: figures.since.toISOString(), ...filters })}">${text}</a>`

/** Today: the last 24 hours by outcome and by status, what waits for a person, and the change queues. */
export const todayView = (f: TodayFigures): Html => {
  const statuses = Object.entries(f.byStatus).sort(([a], [b]) => a.localeCompare(b))
  return html`<p class="lead">С ${when(f.since)} по ${when(f.now)}: ${journalLink(f, {}, f.requests)} запросов.</p>
    <div class="cards">
      <section aria-labelledby="h-outcomes">
        <h2 id="h-outcomes">По итогу</h2>
        <table>
          <caption class="sr">
            Запросы за сутки по итогу
          </caption>
          <thead>
            <tr>
              <th scope="col">Итог</th>
              <th scope="col">Запросов</th>
            </tr>
          </thead>
          <tbody>
            ${OUTCOMES.filter((o) => (f.byOutcome[o] ?? 0) > 0).map(
              (o) =>
                html`<tr>
                  <th scope="row"><span class="badge o-${o}">${o}</span> ${OUTCOME_WORDS[o] ?? ''}</th>
                  <td>${journalLink(f, { outcome: o }, f.byOutcome[o] ?? 0)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="h-statuses">
        <h2 id="h-statuses">По ответу HTTP</h2>
        <table>
          <caption class="sr">
            Запросы за сутки по ответу
          </caption>
          <thead>
            <tr>
              <th scope="col">Статус</th>
              <th scope="col">Запросов</th>
            </tr>
          </thead>
          <tbody>
            ${statuses.map(
              ([status, n]) =>
                html`<tr>
                  <th scope="row">${status}</th>
                  <td>${journalLink(f, { status }, n)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="h-attention">
        <h2 id="h-attention">Требует внимания</h2>
        <ul class="figures">
          <li><a href="#review">На проверке</a>: <strong>${f.ordersForReview}</strong> заказов</li>
          <li>
            ${journalLink(f, { outcome: 'failed,rejected' }, 'Сбои и отклонённые')}:
            <strong>${(f.byOutcome['failed'] ?? 0) + (f.byOutcome['rejected'] ?? 0)}</strong>
          </li>
          <li>
            <a href="#near-deadline">Ответы у предела</a> (дольше ${f.nearDeadlineMs} мс):
            <strong>${f.nearDeadlineCount}</strong>
          </li>
        </ul>
      </section>
    </div>
    <section id="review" aria-labelledby="h-review">
      <h2 id="h-review">Заказы на проверке, сначала самые давние</h2>
      ${
        f.review.length === 0
          ? html`<p>Нет заказов, ждущих проверки.</p>`
          : html`<table>
              <caption class="sr">
                Заказы на проверке
              </caption>
              <thead>
                <tr>
                  <th scope="col">Заказ</th>
                  <th scope="col">Номер Домино</th>
                  <th scope="col">Ждёт</th>
                  <th scope="col">С</th>
                  <th scope="col">Почему</th>
                </tr>
              </thead>
              <tbody>
                ${f.review.map(
                  (r) =>
                    html`<tr>
                      <td>${orderLink(r.originalOrderId)}</td>
                      <td>${r.number}</td>
                      <td>${waited(r.waitedMs)}</td>
                      <td>${when(r.markedAt)}</td>
                      <td>
                        <ul class="reasons">
                          ${r.reasons.map((reason) => html`<li>${reason}</li>`)}
                        </ul>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>
    <section id="failed" aria-labelledby="h-failed">
      <h2 id="h-failed">Сбои и отклонённые запросы (последние)</h2>
      ${f.failedOrRejected.length === 0 ? html`<p>За сутки не было.</p>` : entryTable(f.failedOrRejected, { caption: 'Сбои и отклонённые, сначала новые' })}
      <p>${journalLink(f, { outcome: 'failed,rejected' }, 'Все в журнале, с выбором для повтора')}</p>
    </section>
    <section id="near-deadline" aria-labelledby="h-near">
      <h2 id="h-near">Ответы у предела (дольше ${f.nearDeadlineMs} мс)</h2>
      ${f.nearDeadline.length === 0 ? html`<p>За сутки не было.</p>` : entryTable(f.nearDeadline, { caption: 'Медленные ответы, сначала новые' })}
    </section>
    <section id="queues" aria-labelledby="h-queues">
      <h2 id="h-queues">Очередь изменений для заданий Домино</h2>
      ${
        f.queues.length === 0
          ? html`<p>Нет потребителей очереди (очередь есть только в базе Домино на SQL Server).</p>`
          : html`<table>
              <caption class="sr">
                Очередь по потребителям
              </caption>
              <thead>
                <tr>
                  <th scope="col">Потребитель</th>
                  <th scope="col">Ждут</th>
                  <th scope="col">Самое старое</th>
                </tr>
              </thead>
              <tbody>
                ${f.queues.map(
                  (q) =>
                    html`<tr>
                      <th scope="row">${q.consumer}</th>
                      <td>${q.depth}</td>
                      <td>
                        ${q.oldest === null ? '—' : html`${when(q.oldest)} (${waited(f.now.getTime() - q.oldest.getTime())})`}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
    </section>`
}
