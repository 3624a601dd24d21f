import type { Address, Cancellation, Customer, DeliveryWindow, OrderContent, OrderLine, OrderTotal } from '../order/order.js'
import type { WireAddress, WireCustomer, WireDelivery, WireOrderPayload, WirePosition, WireTotal } from './order-payload.codec.js'
import type { WireCancellationReason, WireStatusPayload } from './status-payload.codec.js'

/** `{[key]: value}` when the wire gave a value, `{}` when it gave nothing (absent, null or undefined). */
const field = <K extends string, V>(key: K, value: V | null | undefined): { [P in K]?: V } =>
  (value === null || value === undefined ? {} : { [key]: value }) as { [P in K]?: V }

/** `undefined` when an object has no field left, so that empty wire objects do not become empty domain ones. */
const nonEmpty = <T extends object>(value: T): T | undefined => (Object.keys(value).length === 0 ? undefined : value)

const toLine = (p: WirePosition): OrderLine => ({
  sku: p.id,
  quantity: p.quantity,
  price: p.price,
  ...field('name', p.name),
  ...field('originalQuantity', p.originalQuantity),
  ...field('discountPrice', p.discountPrice),
  ...field('totalPrice', p.totalPrice),
  ...field('totalDiscountPrice', p.totalDiscountPrice),
  ...field('weight', p.weight),
  ...field('replacedBySku', p.replacedByID),
})

const toCustomer = (c: WireCustomer): Customer | undefined =>
  nonEmpty({ ...field('name', c.name), ...field('phone', c.phone), ...field('email', c.email) })

const toAddress = (a: WireAddress): Address | undefined =>
  nonEmpty({
    ...field('fullAddress', a.full_address),
    ...field('city', a.city),
    ...field('street', a.street),
    ...field('building', a.building),
    ...field('entrance', a.entrance),
    ...field('floor', a.floor),
    ...field('apartment', a.apartment),
    ...field('doorPhone', a.door_phone),
    ...field('lat', a.lat),
    ...field('lon', a.lon),
    ...field('deliveryToDoor', a.delivery_to_door),
  })

const toDelivery = (d: WireDelivery): DeliveryWindow | undefined =>
  nonEmpty({ ...field('expectedFrom', d.expectedFrom), ...field('expectedTo', d.expectedTo) })

const toTotal = (t: WireTotal): OrderTotal | undefined =>
  nonEmpty({ ...field('totalPrice', t.totalPrice), ...field('discountTotalPrice', t.discountTotalPrice) })

/** The domain content of a decoded order payload whose `positions` holds at least one line. */
export const toOrderContent = (w: WireOrderPayload, positions: readonly [WirePosition, ...WirePosition[]]): OrderContent => {
  const [first, ...rest] = positions
  return {
    positions: [toLine(first), ...rest.map(toLine)],
    paymentMethods: w.paymentMethods ?? [],
    ...field('storeId', w.storeID),
    ...field('shipmentMethod', w.shipmentMethod),
    ...field('replacementPolicy', w.replacementPolicy),
    ...field('comment', w.comment),
    ...field('customer', w.customer == null ? undefined : toCustomer(w.customer)),
    ...field('address', w.address == null ? undefined : toAddress(w.address)),
    ...field('delivery', w.delivery == null ? undefined : toDelivery(w.delivery)),
    ...field('total', w.total == null ? undefined : toTotal(w.total)),
  }
}

const toCancellation = (reason: WireCancellationReason | string): Cancellation | undefined =>
  typeof reason === 'string'
    ? nonEmpty({ ...field('description', reason.trim() === '' ? undefined : reason) })
    : nonEmpty({ ...field('slug', reason.slug), ...field('description', reason.description) })

/** The cancellation reason under whichever of its guessed names it came. */
export const cancellationOf = (p: WireStatusPayload): Cancellation | undefined => {
  const reason = p.cancellation ?? p.cancellationReason ?? p.cancellation_reason
  return reason == null ? undefined : toCancellation(reason)
}
