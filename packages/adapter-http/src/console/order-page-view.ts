import type { JournalRecord, Order } from '@domino-sm/core'
import { formatQuantity } from '@domino-sm/core/internals'
import { html, type Html } from './html.js'
import { entryTable, outcomeBadge, waited, when } from './layout-view.js'
import type { OrderWithHistory } from './console-data.js'

const rubles = (kopecks: number | undefined): string => {
  if (kopecks === undefined) return '—'
  const sign = kopecks < 0 ? '-' : ''
  const abs = Math.abs(kopecks)
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')} ₽`
}

export const searchForm = (key = ''): Html =>
  html`<form method="get" action="/console/orders" class="search" role="search">
    <label for="order-key">Ключ заказа (originalOrderId)</label>
    <input
      id="order-key"
      name="key"
      value="${key}"
      required
      maxlength="255"
      autocomplete="off"
      placeholder="H12345678901"
    />
    <button type="submit">Найти</button>
  </form>`

const STATUS_WORDS: Readonly<Record<string, string>> = {
  new: 'новый',
  paid: 'оплачен',
  handed_to_courier: 'передан курьеру',
  delivered: 'доставлен',
  cancelled: 'отменён',
}

const header = (order: Order, now: Date): Html => {
  const c = order.content
  return html`<dl class="facts">
      <dt>Номер Домино</dt>
      <dd>${order.number}</dd>
      <dt>Статус</dt>
      <dd>
        ${order.status}
        (${STATUS_WORDS[order.status] ?? ''})${order.cancellation === undefined ? '' : html`: ${order.cancellation.slug ?? ''} ${order.cancellation.description ?? ''}`}
      </dd>
      <dt>Магазин</dt>
      <dd>${c.storeId ?? '—'}</dd>
      <dt>Доставка</dt>
      <dd>${c.delivery?.expectedFrom ?? '—'} — ${c.delivery?.expectedTo ?? '—'}</dd>
      <dt>Способ</dt>
      <dd>
        ${c.shipmentMethod ?? '—'}; замены: ${c.replacementPolicy ?? '—'}; оплата: ${c.paymentMethods.join(', ') || '—'}
      </dd>
      <dt>Сумма</dt>
      <dd>${rubles(c.total?.totalPrice)} (со скидкой ${rubles(c.total?.discountTotalPrice)})</dd>
      <dt>Создан / изменён</dt>
      <dd>${when(order.createdAt)} / ${when(order.updatedAt)}</dd>
      <dt>Покупатель</dt>
      <dd>${c.customer?.name ?? '—'} ${c.customer?.phone ?? ''} ${c.customer?.email ?? ''}</dd>
      <dt>Адрес</dt>
      <dd>${c.address?.fullAddress ?? '—'}</dd>
      <dt>Комментарий</dt>
      <dd>${c.comment ?? '—'}</dd>
    </dl>
    ${
      order.review === undefined
        ? html`<p class="ok">Отметки «на проверку» нет.</p>`
        : html`<section class="review" aria-labelledby="h-mark">
            <h2 id="h-mark">
              На проверке ${waited(now.getTime() - order.review.markedAt.getTime())} (с ${when(order.review.markedAt)})
            </h2>
            <p>Хук не смог прочитать:</p>
            <ul class="reasons">
              ${order.review.reasons.map((r) => html`<li>${r}</li>`)}
            </ul>
            ${
              order.review.unappliedChangeJson === undefined
                ? ''
                : html`<details>
                    <summary>Неприменённое изменение (как прислано)</summary>
                    <pre tabindex="0">${order.review.unappliedChangeJson}</pre>
                  </details>`
            }
          </section>`
    }
    <table>
      <caption>
        Строки заказа (${c.positions.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">SKU</th>
          <th scope="col">Название</th>
          <th scope="col">Кол-во</th>
          <th scope="col">Исходное</th>
          <th scope="col">Цена</th>
          <th scope="col">Со скидкой</th>
          <th scope="col">Итого</th>
          <th scope="col">Коды маркировки</th>
        </tr>
      </thead>
      <tbody>
        ${c.positions.map(
          (l) =>
            html`<tr>
              <td>${l.sku}</td>
              <td>${l.name ?? ''}</td>
              <td>${formatQuantity(l.quantity)}</td>
              <td>${l.originalQuantity === undefined ? '' : formatQuantity(l.originalQuantity)}</td>
              <td>${rubles(l.price)}</td>
              <td>${rubles(l.discountPrice)}</td>
              <td>${rubles(l.totalPrice)}</td>
              <td>${(l.markingCodes ?? []).map((code) => html`<code>${code}</code> `)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`
}

const historyTable = (
  key: string,
  history: readonly JournalRecord[],
  next: number | null,
  shown: JournalRecord | undefined,
  canAct: boolean,
  csrf: string,
): Html =>
  html`<section aria-labelledby="h-history">
    <h2 id="h-history">История: все запросы по ключу, сначала старые</h2>
    <form method="post" action="/console/replay">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <input type="hidden" name="back" value="/console/orders/${encodeURIComponent(key)}" />
      ${entryTable(history, { select: canAct, caption: `Записи журнала (${history.length})` })}
      <ul class="bodies">
        ${history.map((e) => html`<li><a href="/console/orders/${encodeURIComponent(key)}?body=${e.id}#body">Тело запроса #${e.id}</a></li>`)}
      </ul>
      ${canAct ? replayFields() : ''}
    </form>
    ${next === null ? '' : html`<p><a href="/console/orders/${encodeURIComponent(key)}?after=${next}" rel="next">Следующие записи истории</a></p>`}
    ${
      shown === undefined
        ? ''
        : html`<section id="body" aria-labelledby="h-body" tabindex="-1">
            <h3 id="h-body">Тело запроса #${shown.id} (${shown.eventType ?? '—'}, ${outcomeBadge(shown.outcome)})</h3>
            ${shown.rawBody === null ? html`<p>Тело не хранится (очищено по сроку хранения, стёрто или не было прочитано).</p>` : html`<pre class="body" tabindex="0">${prettyJson(shown.rawBody)}</pre>`}
          </section>`
    }
  </section>`

/** The note and the button of a replay: the first step is always a dry run. */
export const replayFields = (): Html =>
  html`<fieldset class="action">
    <legend>Повторить выбранные записи</legend>
    <label for="replay-note">Примечание (обязательно: кто попросил, зачем)</label>
    <input id="replay-note" name="note" required maxlength="500" />
    <button type="submit">Проверить (пробный прогон)</button>
  </fieldset>`

export const prettyJson = (text: string): string => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

const actions = (key: string, order: Order | undefined, csrf: string): Html =>
  html`<section aria-labelledby="h-actions">
    <h2 id="h-actions">Действия</h2>
    ${
      order?.review === undefined
        ? ''
        : html`<form method="post" action="/console/orders/${encodeURIComponent(key)}/clear-review" class="action">
            <input type="hidden" name="_csrf" value="${csrf}" />
            <fieldset>
              <legend>Снять отметку «на проверку»</legend>
              <label for="clear-note">Примечание (обязательно: что решили и с кем)</label>
              <input id="clear-note" name="note" required maxlength="500" />
              <button type="submit">Снять отметку</button>
            </fieldset>
          </form>`
    }
    <form method="post" action="/console/orders/${encodeURIComponent(key)}/erase" class="action danger">
      <input type="hidden" name="_csrf" value="${csrf}" />
      <fieldset>
        <legend>Стереть персональные данные покупателя</legend>
        <p>
          Имя, телефон, e-mail и адрес удаляются из заказа, его данных и тел запросов в журнале. Номер, строки, статусы
          и факты журнала остаются. Отменить нельзя.
        </p>
        <label for="erase-note">Примечание (обязательно: кто попросил, когда, номер обращения)</label>
        <input id="erase-note" name="note" required maxlength="500" />
        <label for="erase-confirm">Введите ключ заказа ещё раз для подтверждения</label>
        <input id="erase-confirm" name="confirmOrderKey" required maxlength="255" autocomplete="off" />
        <button type="submit">Стереть персональные данные</button>
      </fieldset>
    </form>
  </section>`

/** The order page: the «Заказ СМ», its history, a body on demand, and the operator's actions. */
export const orderPageView = (
  key: string,
  found: OrderWithHistory,
  shownBody: JournalRecord | undefined,
  now: Date,
  canAct: boolean,
  csrf: string,
): Html =>
  html`${searchForm(key)}
  ${
    found.order === undefined
      ? html`<p class="warn">
          Заказа с ключом <strong>${key}</strong> нет${found.history.length > 0 ? ' (но есть записи журнала)' : ''}.
        </p>`
      : header(found.order, now)
  }
  ${found.history.length === 0 ? '' : historyTable(key, found.history, found.next, shownBody, canAct, csrf)}
  ${canAct && (found.order !== undefined || found.history.length > 0) ? actions(key, found.order, csrf) : ''}`
