import { eventKindOf } from '@domino-sm/core'
import { envelope } from '../payload-builders.js'
import { seededRandom } from '../seeded-random.js'
import type { OutgoingEvent } from './hook-client.js'
import {
  changedPayload,
  DEFAULT_FORM_SHAPE,
  drawForms,
  eventBody,
  PUBLIC_ONLY_EVENTS,
  type ExpectedForms,
  type FormShape,
  type OrderForms,
} from './wire-forms.js'

/**
 * One order's day: waves of events. The waves are played one after another; the events of a wave are sent at
 * once, in array order, so that they race (a duplicate, or a status event overtaking its `order.created`).
 */
export interface OrderPlan {
  /** The order's key as the service keeps it (an integer key as its decimal text). */
  readonly originalOrderId: string
  /** What the service must keep of its `order.created`, when the order is not changed afterwards. */
  readonly expected: ExpectedForms
  /** Whether an `order.changed` replaced the created content (then only the status and the number are checked). */
  readonly changed: boolean
  readonly waves: readonly (readonly OutgoingEvent[])[]
}

/**
 * The shares of orders that get each kind of trouble, and each payload form (`FormShape`); each is a probability
 * from 0 to 1.
 */
export interface DayShape extends FormShape {
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

export const DEFAULT_DAY_SHAPE: DayShape = {
  cancelled: 0.15,
  changed: 0.3,
  duplicated: 0.2,
  overtaking: 0.1,
  racing: 0.1,
  ...DEFAULT_FORM_SHAPE,
}

export interface DayPlanOptions {
  readonly orders: number
  /** The same seed plans the same day (the keys differ: they are unique per run). */
  readonly seed?: number
  readonly shape?: Partial<DayShape>
  /** Prefix of the order keys. */
  readonly keyPrefix?: string
}

const LIFECYCLE = ['order.paid', 'order.received', 'order.delivered'] as const

const event = (eventType: string, originalOrderId: string, body: string): OutgoingEvent => ({
  eventType,
  originalOrderId,
  body,
})

/** Whether an event type reports a status (the events that can overtake an order.created and be kept pending). */
const reportsStatus = (eventType: string): boolean => typeof eventKindOf(eventType) === 'object'

/** The events of one order in their natural order, before any trouble is added. */
const lifecycle = (
  forms: OrderForms,
  random: () => number,
  shape: DayShape,
): { readonly events: OutgoingEvent[]; readonly changed: boolean } => {
  const { id, key } = forms
  const events = [event('order.created', id, forms.createdBody)]
  // An order sent unreadable is not changed afterwards: a change that reads cleanly would clear its review mark.
  const changed = forms.expected.unreadable === undefined && random() < shape.changed
  if (changed) {
    const payload = changedPayload(forms, {
      comment: 'Заменить молоко на кефир',
      positions: [{ id: '4607001779999', quantity: 3, price: '99.90' }],
    })
    events.push(event(forms.spellings.changed, id, envelope(forms.spellings.changed, payload).body))
  }
  // A cancelled order is cancelled after 0, 1 or 2 of the forward steps.
  const cancelAfter = random() < shape.cancelled ? Math.floor(random() * 3) : undefined
  const steps = cancelAfter === undefined ? LIFECYCLE : LIFECYCLE.slice(0, cancelAfter)
  for (const type of steps) events.push(event(type, id, eventBody(type, key, {}, forms.keyField)))
  if (cancelAfter !== undefined) {
    const type = forms.spellings.cancelled
    events.push(
      event(
        type,
        id,
        eventBody(
          type,
          key,
          { cancellation: { slug: 'client_refused', description: 'Клиент отказался' } },
          forms.keyField,
        ),
      ),
    )
  }
  if (random() < shape.publicOnlyEvents) {
    const type = PUBLIC_ONLY_EVENTS[Math.floor(random() * PUBLIC_ONLY_EVENTS.length)] ?? 'order.assembled'
    events.splice(
      1 + Math.floor(random() * events.length),
      0,
      event(type, id, eventBody(type, key, {}, forms.keyField)),
    )
  }
  return { events, changed }
}

/** Plans one order: its forms, its lifecycle in waves, with duplicates, overtaking and racing as the shape asks. */
const planOrder = (keyPrefix: string, random: () => number, shape: DayShape): OrderPlan => {
  const forms = drawForms(keyPrefix, random, shape)
  const id = forms.id
  const { events, changed } = lifecycle(forms, random, shape)
  const [created, ...rest] = events
  if (created === undefined) throw new Error('a lifecycle starts with order.created')
  const firstStatus = rest.findIndex((e) => reportsStatus(e.eventType))
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
  return { originalOrderId: id, expected: forms.expected, changed, waves: withDuplicates }
}

/** A busy day: `orders` orders, each through its lifecycle, with the trouble SberMarket's deliveries meet. */
export const planDay = (options: DayPlanOptions): readonly OrderPlan[] => {
  const shape = { ...DEFAULT_DAY_SHAPE, ...options.shape }
  const random = seededRandom(options.seed ?? 1)
  const plans: OrderPlan[] = []
  for (let i = 0; i < options.orders; i += 1) plans.push(planOrder(options.keyPrefix ?? 'EMU', random, shape))
  return plans
}
