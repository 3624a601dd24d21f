import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { PendingUpdate } from '../order/order-event.js'
import { decodeHookBody } from './decode-hook-body.js'

/**
 * A pending update back from the body it was stored as. Stores keep the raw body rather than a second format,
 * so one codec decides what an update means. `none` for a body that is not an update (never stored as pending).
 */
export const pendingUpdateFromBody = (rawBody: string, receivedAt: Date): O.Option<PendingUpdate> => {
  const decoded = decodeHookBody(rawBody)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent') return O.none
  const event = decoded.right.event
  return event._tag === 'OrderCreated' ? O.none : O.some({ update: event, receivedAt })
}
