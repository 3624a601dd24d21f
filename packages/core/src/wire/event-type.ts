import { EVENT_TYPE_WIRE } from './wire-forms.js'
import type { ReportedStatus } from '../order/order-status.js'

/** The event types the hook acts on, by what they do. */
export type KnownEventKind = 'created' | 'changed' | { readonly status: ReportedStatus }

/**
 * Every spelling of an event type that SberMarket is known or guessed to send (docs/contract.md §2). `order.updated` and
 * `order.canceled` are guesses from SberMarket's own code. The one place to change when the truth is known.
 */
const EVENT_KINDS: Readonly<Record<string, KnownEventKind>> = {
  'order.created': 'created',
  'order.changed': 'changed',
  'order.updated': 'changed',
  'order.paid': { status: 'paid' },
  'order.received': { status: 'handed_to_courier' },
  'order.delivered': { status: 'delivered' },
  'order.cancelled': { status: 'cancelled' },
  'order.canceled': { status: 'cancelled' },
}

/** Every known spelling, lower case: the metrics start a zero series for each, so that an alert sees the first one counted. */
export const KNOWN_EVENT_TYPES: readonly string[] = Object.keys(EVENT_KINDS)

/** The envelope attributes that may carry the event type, in order of preference (`wire-forms.ts`). */
export const EVENT_TYPE_KEYS = EVENT_TYPE_WIRE

/** What an event type as sent means, ignoring case and surrounding blanks; undefined for types we do not handle. */
export const eventKindOf = (eventType: string): KnownEventKind | undefined => {
  const key = eventType.trim().toLowerCase()
  return Object.prototype.hasOwnProperty.call(EVENT_KINDS, key) ? EVENT_KINDS[key] : undefined
}
