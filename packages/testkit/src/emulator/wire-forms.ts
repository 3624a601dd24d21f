import { randomUUID } from 'node:crypto'
import { envelope, fullOrderPayload } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'

/**
 * The payload forms the public receivers of SberMarket's webhooks show (docs/contract.md §3), as shares of a day's
 * orders; each is a probability from 0 to 1, drawn per order.
 */
export interface FormShape {
  /** `store_id`/`storeId` for `storeID`, `shippingMethod` for `shipmentMethod`, a single `paymentMethod`. */
  readonly aliases: number
  /** `""` and `null` in optional fields (`discountPrice`, `weight`, `replacedByID`, `comment`, `customer.name`). */
  readonly emptyStrings: number
  /** The order key and the store id as JSON integers, prices as numbers, quantities as text. */
  readonly integerKeys: number
  /** Marking codes («Честный знак») on the first line, one with the GS separator inside. */
  readonly markingCodes: number
  /** Orders the hook cannot read whole: it must answer 200 and create them for review. */
  readonly unreadable: number
  /** `order.updated` and `order.canceled` instead of `order.changed` and `order.cancelled`. */
  readonly otherSpellings: number
  /** Events the hook only journals (`order.assembled`, `courier.assigned`, ...) sent along the lifecycle. */
  readonly publicOnlyEvents: number
  /** Orders keyed by `orderUUID` alone (the newer Kuper API): no `originalOrderId` in any of their events. */
  readonly orderUuidKeys: number
  /** Orders that send `orderUUID` beside `originalOrderId` (which stays the key; the orderUUID is kept). */
  readonly bothKeys: number
}

export const DEFAULT_FORM_SHAPE: FormShape = {
  aliases: 0.3,
  emptyStrings: 0.3,
  integerKeys: 0.1,
  markingCodes: 0.2,
  unreadable: 0.1,
  otherSpellings: 0.5,
  publicOnlyEvents: 0.2,
  orderUuidKeys: 0.1,
  bothKeys: 0.1,
}

export const PUBLIC_ONLY_EVENTS = [
  'order.assembled',
  'courier.assigned',
  'courier.arrived',
  'order.delivering',
] as const

/** The ways an order is made unreadable, each one seen or plausible. */
const UNREADABLE_KINDS = [
  'a price "бесплатно"',
  'a position without a price',
  'no positions',
  'a lone surrogate in the customer name',
] as const

/** What the service must keep of an order's `order.created`, as read back. */
export interface ExpectedForms {
  /** Whether it must carry a review mark (it was sent unreadable), and how. */
  readonly unreadable?: (typeof UNREADABLE_KINDS)[number]
  readonly storeId?: string
  readonly shipmentMethod?: string
  /** Per line, in order: its marking codes, or undefined for none. */
  readonly markingCodes?: readonly (readonly string[] | undefined)[]
  /** The `orderUUID` it was sent with, which the order must keep. */
  readonly orderUuid?: string
}

/** The payload field that carries an order's key in all its events. */
export type KeyField = 'originalOrderId' | 'orderUUID'

/** One order's forms: its key (as text, and as the wire carries it), its `order.created` body, and what must be read back. */
export interface OrderForms {
  readonly id: string
  readonly key: string | number
  /** Where its events carry the key: `orderUUID` for an order keyed by it alone. */
  readonly keyField: KeyField
  readonly createdBody: string
  readonly expected: ExpectedForms
  readonly spellings: { readonly changed: string; readonly cancelled: string }
}

const GS = '\u001d'
let integerCounter = 0
// Integer keys unique per run, far below 2^53: seconds of the day's start, then a counter.
const INTEGER_BASE =
  (Math.floor(Date.now() / 1000) % 100_000_000) * 10_000_000 + Math.floor(Math.random() * 1000) * 10_000

/** A numeric order key no other call in any run has made (as SberMarket's integer-typed ids would be). */
export const integerOrderKey = (): number => {
  integerCounter += 1
  return INTEGER_BASE + integerCounter
}

type Payload = Record<string, unknown>
type Position = Record<string, unknown>

const positionsOf = (payload: Payload): Position[] => (payload['positions'] as Position[]).map((p) => ({ ...p }))

const applyAliases = (payload: Payload, random: () => number): Pick<ExpectedForms, 'storeId' | 'shipmentMethod'> => {
  delete payload['storeID']
  delete payload['shipmentMethod']
  delete payload['paymentMethods']
  if (random() < 0.5) payload['store_id'] = '2001'
  else payload['storeId'] = 2001
  payload['shippingMethod'] = 'byCourier'
  payload['paymentMethod'] = 'SberGateway'
  return { storeId: '2001', shipmentMethod: 'byCourier' }
}

const applyEmptyStrings = (payload: Payload): void => {
  payload['comment'] = ''
  payload['customer'] = { ...(payload['customer'] as Payload), name: null }
  payload['positions'] = positionsOf(payload).map((p) => ({ ...p, discountPrice: '', replacedByID: '', weight: '' }))
}

const applyNumbers = (payload: Payload): void => {
  payload['storeID'] = 1437
  payload['positions'] = positionsOf(payload).map((p) => ({
    ...p,
    price: Number(p['price']),
    quantity: `${Number(p['quantity']).toFixed(1)}`,
  }))
}

const applyMarkingCodes = (payload: Payload, key: string): (readonly string[] | undefined)[] => {
  const codes = [`010460123456789021${key.slice(-6)}${GS}93Ab1=`, `010460123456789021${key.slice(-4)}x`]
  const positions = positionsOf(payload)
  positions[0] = { ...positions[0], markingCode: codes.map((value) => ({ value })) }
  payload['positions'] = positions
  return positions.map((_, i) => (i === 0 ? codes : undefined))
}

const applyUnreadable = (payload: Payload, kind: (typeof UNREADABLE_KINDS)[number]): void => {
  const positions = positionsOf(payload)
  switch (kind) {
    case 'a price "бесплатно"':
      positions[0] = { ...positions[0], price: 'бесплатно' }
      payload['positions'] = positions
      return
    case 'a position without a price':
      delete positions[0]?.['price']
      payload['positions'] = positions
      return
    case 'no positions':
      delete payload['positions']
      return
    case 'a lone surrogate in the customer name':
      payload['customer'] = { ...(payload['customer'] as Payload), name: 'Ив\ud800ан' }
  }
}

/** Draws one order's forms with `random`, in a fixed order of draws (the same seed plans the same day). */
export const drawForms = (keyPrefix: string, random: () => number, shape: FormShape): OrderForms => {
  const draws = {
    aliases: random() < shape.aliases,
    emptyStrings: random() < shape.emptyStrings,
    integerKey: random() < shape.integerKeys,
    markingCodes: random() < shape.markingCodes,
    unreadable:
      random() < shape.unreadable ? UNREADABLE_KINDS[Math.floor(random() * UNREADABLE_KINDS.length)] : undefined,
    otherSpellings: random() < shape.otherSpellings,
    // One more draw per order: a seed plans another day than before these forms were added (still the same one each time).
    orderUuid: random() < shape.orderUuidKeys ? 'only' : random() < shape.bothKeys ? 'beside' : undefined,
  }
  // An orderUUID unique per run ("retailer-slug:<uuid>"), as the key or beside it.
  const uuid = draws.orderUuid === undefined ? undefined : `emu-${keyPrefix.toLowerCase().slice(0, 8)}:${randomUUID()}`
  const integer = draws.integerKey && draws.orderUuid !== 'only' ? integerOrderKey() : undefined
  const id =
    draws.orderUuid === 'only' && uuid !== undefined
      ? uuid
      : integer === undefined
        ? uniqueOrderId(keyPrefix)
        : String(integer)
  const key: string | number = integer ?? id
  const keyField: KeyField = draws.orderUuid === 'only' ? 'orderUUID' : 'originalOrderId'
  const payload: Payload =
    keyField === 'orderUUID'
      ? { ...withoutOriginalOrderId(fullOrderPayload(id)), orderUUID: id }
      : { ...fullOrderPayload(id), originalOrderId: key }
  if (draws.orderUuid === 'beside') payload['orderUUID'] = uuid
  let expected: ExpectedForms = {
    storeId: '1437',
    shipmentMethod: 'by_courier',
    ...(uuid === undefined ? {} : { orderUuid: uuid }),
  }
  if (draws.integerKey) applyNumbers(payload)
  if (draws.aliases) expected = { ...expected, ...applyAliases(payload, random) }
  if (draws.emptyStrings) applyEmptyStrings(payload)
  if (draws.markingCodes) expected = { ...expected, markingCodes: applyMarkingCodes(payload, id) }
  if (draws.unreadable !== undefined) {
    applyUnreadable(payload, draws.unreadable)
    expected = { unreadable: draws.unreadable, ...(uuid === undefined ? {} : { orderUuid: uuid }) }
  }
  return {
    id,
    key,
    keyField,
    createdBody: envelope('order.created', payload).body,
    expected,
    spellings: draws.otherSpellings
      ? { changed: 'order.updated', cancelled: 'order.canceled' }
      : { changed: 'order.changed', cancelled: 'order.cancelled' },
  }
}

/** A status or journal-only event's body for an order key as the wire carries it, in the field that carries it. */
export const eventBody = (
  eventType: string,
  key: string | number,
  extra: Readonly<Record<string, unknown>> = {},
  keyField: KeyField = 'originalOrderId',
): string => envelope(eventType, { [keyField]: key, ...extra }).body

const withoutOriginalOrderId = (payload: Payload): Payload => {
  const { originalOrderId: _key, ...rest } = payload
  return rest
}

/** An order's whole payload again (an `order.changed`), keyed as its `order.created` was. */
export const changedPayload = (forms: OrderForms, fields: Readonly<Record<string, unknown>>): Payload => {
  const base = { ...fullOrderPayload(forms.id), ...fields }
  return forms.keyField === 'orderUUID'
    ? { ...withoutOriginalOrderId(base), orderUUID: forms.key }
    : { ...base, originalOrderId: forms.key }
}
