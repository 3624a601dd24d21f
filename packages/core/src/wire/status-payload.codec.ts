import * as t from 'io-ts'
import { wireKeyCodec } from './order-key.js'
import { Text, optional, unstorableTextReason } from './primitive.codec.js'
import { CANCELLATION_REASON } from './wire-forms.js'

/** The reason object of a cancellation (guess: `{slug, description}`, `CANCELLATION_REASON`). */
export const WireCancellationReason = t.partial(
  Object.fromEntries(
    CANCELLATION_REASON.fields.flatMap((field) => field.wire.map((key) => [key, optional(Text)] as const)),
  ),
)
export type WireCancellationReason = Readonly<Record<string, string | undefined>>

/** Text of a reason; text that cannot be stored as written is dropped like any unreadable reason (the raw body keeps it). */
const textOf = (u: unknown): string | undefined =>
  typeof u === 'string'
    ? unstorableTextReason(u) === undefined
      ? u
      : undefined
    : typeof u === 'number' && Number.isFinite(u)
      ? String(u)
      : undefined

/**
 * A cancellation reason in whatever form it comes: text, `{slug, description}`, or something else. It never
 * fails: a cancellation must not be refused (and retried, and lost) because its reason has an odd shape; a
 * reason that cannot be read is dropped, and the raw body keeps it.
 */
export const LenientCancellationReason = new t.Type<WireCancellationReason | string | undefined, unknown, unknown>(
  'LenientCancellationReason',
  (u): u is WireCancellationReason | string | undefined =>
    u === undefined || typeof u === 'string' || WireCancellationReason.is(u),
  (u) => {
    const text = textOf(u)
    if (text !== undefined) return t.success(text)
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.success(undefined)
    const wire = u as Readonly<Record<string, unknown>>
    const reason: Record<string, string> = {}
    for (const field of CANCELLATION_REASON.fields) {
      for (const key of field.wire) {
        const text = textOf(wire[key])
        if (text !== undefined) {
          reason[key] = text
          break
        }
      }
    }
    return t.success(reason)
  },
  t.identity,
)

/**
 * `payload` of `order.paid`, `order.received`, `order.delivered` and `order.cancelled`. Only the key is required
 * (`originalOrderId`, or `orderUUID` without it; an unreadable `orderUUID` beside a readable key is ignored).
 * The cancellation reason's form is a guess; its spellings are `CANCELLATION_REASON` (wire-forms.ts).
 */
export const WireStatusPayload = t.intersection([
  wireKeyCodec(false),
  t.partial(Object.fromEntries(CANCELLATION_REASON.wire.map((key) => [key, LenientCancellationReason] as const))),
])
export type WireStatusPayload = t.TypeOf<typeof WireStatusPayload>
