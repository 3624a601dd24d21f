import { randomUUID } from 'node:crypto'
import type { OrderCreated, RequestReceipt } from '@domino-sm/core'

/** Far enough ahead that no store's clock passes it: operations given it are journaled as answered in time. */
export const NEVER_LATE = new Date(Date.UTC(9999, 0, 1))

/** A fresh request id, as the edge gives one at arrival. */
export const newRequestId = (): string => randomUUID()

/** A receipt of a request received at `at`, due by `answerBy` (never, by default). */
export const receiptFor = (
  eventType: string,
  rawBody: string,
  at: Date,
  answerBy: Date = NEVER_LATE,
  requestId: string = newRequestId(),
): RequestReceipt => ({
  requestId,
  receivedAt: at,
  answerBy,
  eventType,
  rawBody,
})

/** The body an `order.created` of `event` arrives as. */
export const createdBodyOf = (event: OrderCreated): string =>
  `{"event_type":"order.created","payload":${event.payloadJson}}`

/** The receipt of the `order.created` of `event`, received at `at`. */
export const createdReceipt = (event: OrderCreated, at: Date, answerBy?: Date): RequestReceipt =>
  receiptFor('order.created', createdBodyOf(event), at, answerBy)
