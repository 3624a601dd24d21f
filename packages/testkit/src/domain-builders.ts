import * as E from 'fp-ts/lib/Either.js'
import {
  decodeHookBody,
  type ChangeUnreadable,
  type OrderChanged,
  type OrderCreated,
  type OrderEvent,
  type StatusReported,
} from '@domino-sm/core'
import {
  envelope,
  orderChangedBody,
  orderCreatedBody,
  statusBody,
  type OrderBodyOptions,
  type OrderPayloadInput,
} from './payload-builders.js'

/** An update as a repository receives it: the decoded event and the body it came from. */
export interface UpdateCase<U> {
  readonly update: U
  readonly rawBody: string
}

/** Decodes a body that must be a known event; throws (in a test, a failure) otherwise. */
export const decodeEvent = (rawBody: string): OrderEvent => {
  const decoded = decodeHookBody(rawBody)
  if (E.isLeft(decoded)) throw new Error(`test body does not decode: ${decoded.left._tag}: ${decoded.left.detail}`)
  if (decoded.right._tag !== 'KnownEvent') throw new Error(`test body is an unknown event: ${decoded.right.eventType}`)
  return decoded.right.event
}

const expectTag = <T extends OrderEvent['_tag']>(event: OrderEvent, tag: T): Extract<OrderEvent, { _tag: T }> => {
  if (event._tag !== tag) throw new Error(`expected ${tag}, the body decodes as ${event._tag}`)
  return event as Extract<OrderEvent, { _tag: T }>
}

/** An `OrderCreated` decoded by core from a built body, so repositories get what the hook would give them. */
export const anOrderCreated = (input: OrderPayloadInput, options: OrderBodyOptions = {}): OrderCreated =>
  expectTag(decodeEvent(orderCreatedBody(input, options).body), 'OrderCreated')

/** An `OrderChanged` update with its raw body. */
export const anOrderChanged = (input: OrderPayloadInput, options: OrderBodyOptions = {}): UpdateCase<OrderChanged> => {
  const rawBody = orderChangedBody(input, options).body
  return { update: expectTag(decodeEvent(rawBody), 'OrderChanged'), rawBody }
}

/** A `StatusReported` update (`order.paid`, `order.cancelled`, ...) with its raw body. */
export const aStatusReported = (
  eventType: string,
  originalOrderId: string,
  extra: Readonly<Record<string, unknown>> = {},
): UpdateCase<StatusReported> => {
  const rawBody = statusBody(eventType, originalOrderId, extra).body
  return { update: expectTag(decodeEvent(rawBody), 'StatusReported'), rawBody }
}

/**
 * A status event keyed by `orderUUID` alone (no `originalOrderId`), with its raw body: it reaches the order that has
 * that orderUUID under another key (docs/contract.md §4).
 */
export const aStatusReportedByOrderUuid = (
  eventType: string,
  orderUuid: string,
  extra: Readonly<Record<string, unknown>> = {},
): UpdateCase<StatusReported> => {
  const rawBody = envelope(eventType, { orderUUID: orderUuid, ...extra }).body
  return { update: expectTag(decodeEvent(rawBody), 'StatusReported'), rawBody }
}

/** An `OrderCreated` keyed by `orderUUID` alone: the payload of `input` without its `originalOrderId`. */
export const anOrderCreatedByOrderUuid = (
  orderUuid: string,
  input: Readonly<Record<string, unknown>>,
): OrderCreated => {
  const { originalOrderId: _key, ...payload } = input
  return expectTag(decodeEvent(envelope('order.created', { ...payload, orderUUID: orderUuid }).body), 'OrderCreated')
}

/**
 * The `OrderCreated` core makes of an `order.created` whose payload it cannot read whole (docs/contract.md §2): what
 * could be read, with `unread` reasons. Throws when the payload reads cleanly (the test would prove nothing).
 */
export const anOrderCreatedForReview = (payload: Readonly<Record<string, unknown>>): OrderCreated => {
  const event = expectTag(decodeEvent(envelope('order.created', payload).body), 'OrderCreated')
  if (event.unread === undefined) throw new Error('the payload reads cleanly: it is not an order for review')
  return event
}

/** The `ChangeUnreadable` core makes of an `order.changed` it cannot read whole, with its raw body. */
export const anUnreadableChange = (payload: Readonly<Record<string, unknown>>): UpdateCase<ChangeUnreadable> => {
  const rawBody = envelope('order.changed', payload).body
  return { update: expectTag(decodeEvent(rawBody), 'ChangeUnreadable'), rawBody }
}
