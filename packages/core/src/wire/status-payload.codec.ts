import * as t from 'io-ts'
import { OriginalOrderIdCodec, Text, optional } from './primitive.codec.js'

/** The reason object of a cancellation (guess: `{slug, description}`). */
export const WireCancellationReason = t.partial({ slug: optional(Text), description: optional(Text) })
export type WireCancellationReason = t.TypeOf<typeof WireCancellationReason>

/**
 * `payload` of `order.paid`, `order.received`, `order.delivered` and `order.cancelled`. Only the key is required.
 * The cancellation reason's form is a guess; every plausible spelling is accepted here and nowhere else.
 */
export const WireStatusPayload = t.intersection([
  t.type({ originalOrderId: OriginalOrderIdCodec }),
  t.partial({
    cancellation: optional(t.union([WireCancellationReason, Text])),
    cancellationReason: optional(t.union([WireCancellationReason, Text])),
    cancellation_reason: optional(t.union([WireCancellationReason, Text])),
  }),
])
export type WireStatusPayload = t.TypeOf<typeof WireStatusPayload>
