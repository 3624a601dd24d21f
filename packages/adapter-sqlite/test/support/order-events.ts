import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type OrderCreated, type OrderEvent, type OrderUpdate } from '@domino-sm/core'

/** A request body as SberMarket sends it. */
const hookBody = (eventType: string, payload: Readonly<Record<string, unknown>>): string =>
  JSON.stringify({ event_type: eventType, timestamp: '2026-05-24T12:00:00+03:00', payload })

/** A whole-order payload with personal data in it, so that tests can check none of it leaks into reasons. */
const orderPayload = (
  originalOrderId: string,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> => ({
  originalOrderId,
  storeID: '42',
  shipmentMethod: 'by_courier',
  replacementPolicy: 'call_or_replace',
  comment: 'домофон не работает',
  customer: { name: 'Иван Петров', phone: '+79990001122', email: 'ivan@example.com' },
  address: {
    full_address: 'Москва, ул. Ленина, 1, кв. 5',
    city: 'Москва',
    floor: 3,
    delivery_to_door: false,
    lat: '55.75',
  },
  delivery: { expectedFrom: '2026-05-24T14:00:00+03:00', expectedTo: '2026-05-24T15:00:00+03:00' },
  paymentMethods: ['card_online'],
  positions: [
    {
      id: 'SKU-1',
      name: 'Молоко 3.2%',
      originalQuantity: 2,
      quantity: 2,
      price: '89.90',
      totalPrice: '179.80',
      weight: '1000',
    },
    {
      id: 'SKU-2',
      quantity: 0.455,
      price: '349.00',
      discountPrice: '299.00',
      totalDiscountPrice: '136.05',
      replacedByID: 'SKU-3',
    },
  ],
  total: { totalPrice: '315.85', discountTotalPrice: '315.85' },
  unknownField: { kept: true },
  ...overrides,
})

const decode = (body: string): OrderEvent => {
  const decoded = decodeHookBody(body)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent')
    throw new Error(`test body does not decode: ${body.slice(0, 80)}`)
  return decoded.right.event
}

/** `order.created` for `originalOrderId`, decoded by core as the hook would. */
export const orderCreated = (
  originalOrderId: string,
  overrides: Readonly<Record<string, unknown>> = {},
): OrderCreated => {
  const event = decode(hookBody('order.created', orderPayload(originalOrderId, overrides)))
  if (event._tag !== 'OrderCreated') throw new Error('not an order.created')
  return event
}

/** An update with the raw body it was decoded from (stores keep the body for pending updates). */
export interface UpdateWithBody {
  readonly update: OrderUpdate
  readonly rawBody: string
}

const orderUpdate = (eventType: string, payload: Readonly<Record<string, unknown>>): UpdateWithBody => {
  const rawBody = hookBody(eventType, payload)
  const event = decode(rawBody)
  if (event._tag === 'OrderCreated') throw new Error('not an update')
  return { update: event, rawBody }
}

export const statusUpdate = (eventType: string, originalOrderId: string): UpdateWithBody =>
  orderUpdate(eventType, { originalOrderId })
