import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type OrderLine } from '@domino-sm/core'
import { aWeighedWirePosition, aWirePosition, orderCreatedBody, type WirePositionJson } from '@domino-sm/testkit'

/**
 * Product names as a retailer writes them: Cyrillic, quotes of both kinds (a JSON string escapes `"`), a backslash,
 * an apostrophe (T-SQL's quote), a character beyond the BMP (a surrogate pair in UTF-16).
 */
const NAMES = [
  'Молоко «Домик в деревне» 3,2% 950 г',
  'Сок "Добрый" яблочный 1 л',
  'Пакет-майка 30\\40 см',
  "Печенье Юбилейное 'Традиционное' 112 г",
  'Лимонад Буратино 🍋 0,5 л',
  'Бананы весовые',
]

/** A Честный знак code: its GS separators (U+001D) are control characters, kept exactly as sent. */
const markingCode = (i: number): string =>
  `0104607001771234215${String(i).padStart(6, '0')}\u001d91EE06\u001d92dGVzdA==`

/**
 * Position `i`: every fourth one weighed (a fractional quantity), every third one marked, every fifth one replaced;
 * the first priced at the largest exact amount (2^53 - 1 kopecks), so that a way that sends money through a float
 * shows it.
 */
const position = (i: number): WirePositionJson => {
  const name = NAMES[i % NAMES.length] ?? 'Товар'
  const base =
    i % 4 === 3
      ? aWeighedWirePosition({ id: `2000000456${String(i).padStart(3, '0')}`, name })
      : aWirePosition({
          id: `4607001771${String(i).padStart(3, '0')}`,
          name,
          quantity: 1 + (i % 3),
          price: `${99 + i}.90`,
        })
  return {
    ...base,
    ...(i === 0
      ? { price: '90071992547409.91', quantity: 1, discountPrice: '0.01', totalPrice: '90071992547409.91' }
      : {}),
    ...(i % 3 === 1 ? { markingCode: [{ value: markingCode(i) }] } : {}),
    ...(i % 5 === 4 ? { replacedByID: `4607001770${String(i).padStart(3, '0')}` } : {}),
  }
}

/** The lines of an order of `count` positions, as the hook decodes them from SberMarket's body. */
export const orderLines = (count: number): readonly OrderLine[] => {
  const decoded = decodeHookBody(
    orderCreatedBody({ originalOrderId: 'LPC-1', positions: Array.from({ length: count }, (_, i) => position(i)) })
      .body,
  )
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent' || decoded.right.event._tag !== 'OrderCreated')
    throw new Error(`an order of ${count} bench lines does not decode`)
  return decoded.right.event.content.positions
}
