import { orderChangedBody, orderCreatedBody, statusBody } from '../payload-builders.js'
import { seededRandom } from '../seeded-random.js'
import { uniqueOrderId } from '../unique-order-id.js'
import type { OutgoingEvent } from './hook-client.js'

/**
 * One order's day: waves of events. The waves are played one after another; the events of a wave are sent at
 * once, in array order, so that they race (a duplicate, or a status event overtaking its `order.created`).
 */
export interface OrderPlan {
  readonly originalOrderId: string
  readonly waves: readonly (readonly OutgoingEvent[])[]
}

/** The shares of orders that get each kind of trouble; each is a probability from 0 to 1. */
export interface DayShape {
  /** Cancelled by the retailer's customer or SberMarket (an `order.cancelled`) instead of delivered. */
  readonly cancelled: number
  /** Changed (`order.changed`) after creation. */
  readonly changed: number
  /** Per event: sent twice, at once or one wave later. */
  readonly duplicated: number
  /** The first status event is sent, and answered, before `order.created`. */
  readonly overtaking: number
  /** The first status event races `order.created` (sent at the same moment). */
  readonly racing: number
}

export const DEFAULT_DAY_SHAPE: DayShape = { cancelled: 0.15, changed: 0.3, duplicated: 0.2, overtaking: 0.1, racing: 0.1 }

export interface DayPlanOptions {
  readonly orders: number
  /** The same seed plans the same day (the keys differ: they are unique per run). */
  readonly seed?: number
  readonly shape?: Partial<DayShape>
  /** Prefix of the order keys. */
  readonly keyPrefix?: string
}

const LIFECYCLE = ['order.paid', 'order.received', 'order.delivered'] as const

const event = (eventType: string, originalOrderId: string, body: string): OutgoingEvent => ({ eventType, originalOrderId, body })

/** The events of one order in their natural order, before any trouble is added. */
const lifecycle = (id: string, random: () => number, shape: DayShape): OutgoingEvent[] => {
  const events = [event('order.created', id, orderCreatedBody({ originalOrderId: id }).body)]
  if (random() < shape.changed) {
    const body = orderChangedBody({ originalOrderId: id, comment: 'Заменить молоко на кефир', positions: [{ id: '4607001779999', quantity: 3, price: '99.90' }] }).body
    events.push(event('order.changed', id, body))
  }
  // A cancelled order is cancelled after 0, 1 or 2 of the forward steps.
  const cancelAfter = random() < shape.cancelled ? Math.floor(random() * 3) : undefined
  const steps = cancelAfter === undefined ? LIFECYCLE : LIFECYCLE.slice(0, cancelAfter)
  for (const type of steps) events.push(event(type, id, statusBody(type, id).body))
  if (cancelAfter !== undefined) {
    events.push(event('order.cancelled', id, statusBody('order.cancelled', id, { cancellation: { slug: 'client_refused', description: 'Клиент отказался' } }).body))
  }
  return events
}

/** Plans one order: its lifecycle in waves, with duplicates, overtaking and racing as the shape asks. */
const planOrder = (id: string, random: () => number, shape: DayShape): OrderPlan => {
  const [created, ...rest] = lifecycle(id, random, shape)
  if (created === undefined) throw new Error('a lifecycle starts with order.created')
  const firstStatus = rest.findIndex((e) => e.eventType !== 'order.changed')
  const waves: OutgoingEvent[][] = [[created], ...rest.map((e) => [e])]
  const trouble = random()
  if (firstStatus >= 0 && trouble < shape.overtaking) {
    const [status] = waves.splice(firstStatus + 1, 1)
    if (status !== undefined) waves.unshift(status)
  } else if (firstStatus >= 0 && trouble < shape.overtaking + shape.racing) {
    const [status] = waves.splice(firstStatus + 1, 1)
    if (status !== undefined) waves[0] = [...status, created]
  }
  const withDuplicates: OutgoingEvent[][] = waves.map((wave) => [...wave])
  waves.forEach((wave, index) => {
    for (const e of wave) {
      if (random() >= shape.duplicated) continue
      const later = random() < 0.5 ? withDuplicates[index + 1] : undefined
      if (later === undefined) withDuplicates[index]?.push(e)
      else later.push(e)
    }
  })
  return { originalOrderId: id, waves: withDuplicates }
}

/** A busy day: `orders` orders, each through its lifecycle, with the trouble SberMarket's deliveries meet. */
export const planDay = (options: DayPlanOptions): readonly OrderPlan[] => {
  const shape = { ...DEFAULT_DAY_SHAPE, ...options.shape }
  const random = seededRandom(options.seed ?? 1)
  const plans: OrderPlan[] = []
  for (let i = 0; i < options.orders; i += 1) plans.push(planOrder(uniqueOrderId(options.keyPrefix ?? 'EMU'), random, shape))
  return plans
}
