import * as E from 'fp-ts/lib/Either.js'
import type { OriginalOrderId } from '../order/order-id.js'
import type { Cancellation } from '../order/order.js'
import { readPayloadKey } from './order-key.js'
import { LenientCancellationReason } from './status-payload.codec.js'
import type { WireCancellationReason, WireStatusPayload } from './status-payload.codec.js'
import { cancellationOf } from './to-domain.js'
import { CANCELLATION_REASON } from './wire-forms.js'

type Json = Readonly<Record<string, unknown>>

/** A status payload as the hot path reads it: the key, and for a cancellation its reason. */
export interface FastStatus {
  readonly originalOrderId: OriginalOrderId
  readonly cancellation: Cancellation | undefined
}

/** The reason codec never fails: an unreadable reason is dropped, as `WireStatusPayload` drops it. */
const reasonOf = (u: unknown): WireCancellationReason | string | undefined => {
  const decoded = LenientCancellationReason.decode(u)
  return E.isRight(decoded) ? decoded.right : undefined
}

/**
 * `WireStatusPayload` + `cancellationOf` without the intersection codec: only the key can make it fail (the
 * reason codec never does), so the key is checked here and the reason, under each spelling of
 * `CANCELLATION_REASON`, goes through its own codec, which is the definition of the guessed forms. `undefined`
 * where the codec would reject the payload.
 */
export const fastStatusPayload = (payload: Json, cancelled: boolean): FastStatus | undefined => {
  const key = readPayloadKey(payload)
  if (key._tag === 'NoKey') return undefined
  const id = key.originalOrderId
  if (!cancelled) return { originalOrderId: id, cancellation: undefined }
  const wire: Record<string, unknown> = { originalOrderId: id }
  for (const field of CANCELLATION_REASON.wire) wire[field] = reasonOf(payload[field])
  return { originalOrderId: id, cancellation: cancellationOf(wire as WireStatusPayload) }
}
