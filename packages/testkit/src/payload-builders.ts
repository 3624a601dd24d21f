/** A position as the wire carries it; extra fields are passed through as they are. */
export interface WirePositionJson {
  readonly id: string
  readonly quantity: number | string
  readonly price: string | number
  readonly [field: string]: unknown
}

/**
 * Fields of an order payload (docs/contract.md §3). The given fields replace the base payload's; a field given as
 * `undefined` is removed from it.
 */
export interface OrderPayloadInput {
  readonly originalOrderId: string
  readonly positions?: readonly WirePositionJson[]
  readonly [field: string]: unknown
}

export interface OrderBodyOptions {
  /** Start from a payload with the key and one position only, instead of a full order. */
  readonly minimal?: boolean
  /** The event type to send; `order.created` / `order.changed` by default. */
  readonly eventType?: string
  /** The envelope attribute carrying the type: `event_type` (default) or `event-type`. */
  readonly eventTypeKey?: string
}

/** A built request: the envelope as an object and as the JSON text that is sent. */
export interface BuiltBody {
  readonly json: Readonly<Record<string, unknown>>
  readonly body: string
}

/** One typical position: a piece product priced in a decimal string. */
export const aWirePosition = (overrides: Partial<WirePositionJson> = {}): WirePositionJson => ({
  id: '4607001771234',
  name: 'Молоко Домик в деревне 3,2% 950 г',
  originalQuantity: 2,
  quantity: 2,
  price: '129.90',
  discountPrice: '119.90',
  totalPrice: '259.80',
  totalDiscountPrice: '239.80',
  weight: '950',
  ...overrides,
})

/** A weighed position: the quantity is fractional (kilograms). */
export const aWeighedWirePosition = (overrides: Partial<WirePositionJson> = {}): WirePositionJson => ({
  id: '2000000456789',
  name: 'Яблоки Гала весовые',
  originalQuantity: 0.5,
  quantity: 0.455,
  price: '189.99',
  totalPrice: '86.45',
  weight: '455',
  ...overrides,
})

/** A whole order payload, every documented field set, with Cyrillic text and an unknown extra field. */
export const fullOrderPayload = (originalOrderId: string): Record<string, unknown> => ({
  originalOrderId,
  storeID: '1437',
  shipmentMethod: 'by_courier',
  replacementPolicy: 'call_or_replace',
  comment: 'Позвоните за 15 минут, домофон не работает',
  customer: { name: 'Иван Петров', phone: '+79031234567', email: 'ivan@example.ru' },
  address: {
    full_address: 'г. Москва, ул. Тверская, д. 1, кв. 10',
    city: 'Москва',
    street: 'ул. Тверская',
    building: '1',
    entrance: '1',
    floor: '3',
    apartment: '10',
    door_phone: '10',
    lat: '55.757',
    lon: '37.615',
    delivery_to_door: true,
  },
  delivery: { expectedFrom: '2026-05-24T15:00:00+03:00', expectedTo: '2026-05-24T16:00:00+03:00' },
  paymentMethods: ['card_online'],
  positions: [aWirePosition(), aWeighedWirePosition()],
  total: { totalPrice: '346.25', discountTotalPrice: '326.25' },
  flowType: 'collect_and_deliver',
})

/** The smallest order payload the hook accepts: the key and one position. */
export const minimalOrderPayload = (originalOrderId: string): Record<string, unknown> => ({
  originalOrderId,
  positions: [{ id: '4601234000017', quantity: 1, price: '65' }],
})

const withFields = (
  base: Record<string, unknown>,
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> => {
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) delete merged[key]
    else merged[key] = value
  }
  return merged
}

/** An envelope around `payload`. */
export const envelope = (eventType: string, payload: unknown, eventTypeKey = 'event_type'): BuiltBody => {
  const json = { [eventTypeKey]: eventType, timestamp: '2026-05-24T12:00:00+03:00', payload }
  return { json, body: JSON.stringify(json) }
}

const orderBody = (defaultType: string, input: OrderPayloadInput, options: OrderBodyOptions): BuiltBody => {
  const base =
    options.minimal === true ? minimalOrderPayload(input.originalOrderId) : fullOrderPayload(input.originalOrderId)
  return envelope(options.eventType ?? defaultType, withFields(base, input), options.eventTypeKey)
}

/** An `order.created` body. */
export const orderCreatedBody = (input: OrderPayloadInput, options: OrderBodyOptions = {}): BuiltBody =>
  orderBody('order.created', input, options)

/** An `order.changed` body: the whole order again. */
export const orderChangedBody = (input: OrderPayloadInput, options: OrderBodyOptions = {}): BuiltBody =>
  orderBody('order.changed', input, options)

/** A status event body (`order.paid`, `order.received`, ...): the key and any `extra` payload fields. */
export const statusBody = (
  eventType: string,
  originalOrderId: string,
  extra: Readonly<Record<string, unknown>> = {},
): BuiltBody => envelope(eventType, { originalOrderId, ...extra })
