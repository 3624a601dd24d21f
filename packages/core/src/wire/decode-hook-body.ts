import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { OrderEvent } from '../order/order-event.js'
import type { Cancellation, OrderContent } from '../order/order.js'
import type { ReportedStatus } from '../order/order-status.js'
import { memberValueSpan, nestedDeeperThan, stringifyJson } from '../json/deep-json.js'
import { describeErrors } from './describe-errors.js'
import { EVENT_TYPE_KEYS, eventKindOf } from './event-type.js'
import { fastOrderPayload } from './fast-order-payload.js'
import { fastStatusPayload } from './fast-status-payload.js'
import type { HookProblem } from './hook-problem.js'
import { WireOrderPayload, type WirePosition } from './order-payload.codec.js'
import { WireStatusPayload } from './status-payload.codec.js'
import { cancellationOf, toOrderContent } from './to-domain.js'
import { readOrderLeniently } from './lenient-order-payload.js'
import { parseWithExactKeys } from './exact-key.js'
import { readPayloadKey, wireKeyCodec } from './order-key.js'
import { escapeUnstorableText, isAbsent } from './primitive.codec.js'
import { ORIGINAL_ORDER_ID_KEY, PAYLOAD_KEY } from './wire-forms.js'
import { isJsonObject } from '../json/json-object.js'

/**
 * What becomes of an order payload whose key can be read but whose content cannot be read whole: `review` reads
 * what it can and says what it could not (the order is created, or the change kept, for review); `reject` makes
 * it an `InvalidPayload` (answered 400).
 */
export type UnreadablePolicy = 'review' | 'reject'

/** A body that was understood: an event we act on, or one of a type we do not handle. */
export type HookMessage =
  | { readonly _tag: 'KnownEvent'; readonly eventType: string; readonly event: OrderEvent }
  | { readonly _tag: 'UnknownEvent'; readonly eventType: string; readonly originalOrderId?: string }

const MAX_EVENT_TYPE_LENGTH = 100

/** The key fields alone, as the codecs read them (`order-key.ts`). */
const STATUS_KEY = wireKeyCodec(false)

/**
 * The deepest nesting of a body whose order is read as usual (the envelope is level 1, the payload level 2, its
 * groups 3 and 4). JSON.parse reads any depth a 1 MiB body allows, but JSON.stringify, a reviver and any recursive
 * walk downstream stop at a few thousand levels: an `order.created` nested deeper is created for review with its
 * payload kept whole (docs/contract.md §2), never refused.
 */
export const MAX_READABLE_DEPTH = 1000

/**
 * The event type as sent. One that cannot be stored as written (a NUL, a lone surrogate) is kept with those
 * characters escaped (`\u0000`): no type we handle has them, so it is journaled readably and answered like any
 * unknown type (200, ignored), never refused by a store (docs/contract.md §2).
 */
const eventTypeOf = (body: Readonly<Record<string, unknown>>): E.Either<HookProblem, string> => {
  for (const key of EVENT_TYPE_KEYS) {
    const value = body[key]
    if (value === undefined || value === null) continue
    if (typeof value !== 'string' || value.trim() === '') {
      return E.left({ _tag: 'MalformedEnvelope', detail: `${key}: expected a non-empty string` })
    }
    if (value.length > MAX_EVENT_TYPE_LENGTH) {
      return E.left({ _tag: 'MalformedEnvelope', detail: `${key}: longer than ${MAX_EVENT_TYPE_LENGTH} characters` })
    }
    return E.right(escapeUnstorableText(value))
  }
  return E.left({ _tag: 'MalformedEnvelope', detail: 'event_type is required' })
}

/**
 * The order key of a payload, when it has a readable one (`readPayloadKey`: `originalOrderId`, or `orderUUID`
 * without it; text or an integer's digits, storable, not longer than any real key); used to journal events we
 * reject or ignore. A key longer than any real one is not journaled under a shortened form that could name
 * another order.
 */
const keyOf = (payload: unknown): { readonly originalOrderId?: string } => {
  if (!isJsonObject(payload)) return {}
  const key = readPayloadKey(payload)
  return key._tag === 'Key' ? { originalOrderId: key.originalOrderId } : {}
}

const invalid = (eventType: string, payload: unknown, detail: string): HookProblem => ({
  _tag: 'InvalidPayload',
  eventType,
  detail,
  ...keyOf(payload),
})

/**
 * The payload's own text in the body: `payload_json` keeps the payload "exactly as sent"
 * (docs/domino-integration.md), so it is the slice of `rawBody` that holds it, found by one scan of the envelope's
 * members (`memberValueSpan`: the last `payload` member, the one `JSON.parse` keeps; no recursion, any depth).
 * Why not `JSON.stringify` of the parsed payload, as before: that rewrote what was sent (`5.0` as `5`, escapes
 * decoded, the earlier of duplicate keys dropped, blanks removed) and allocated a second copy of the payload's text
 * for every order event (`bench/dist/decode-cost.js`: 8.00 -> 5.40 KB per body, the time per body unchanged within
 * noise; BENCHMARKS.md, "The embedded stores' pipeline, third pass"). Text that is not well-formed
 * (a lone surrogate written raw, which only a body built in-process can hold: a body read from the wire is decoded
 * from UTF-8) and a payload the scan does not find are written by `stringifyJson`, which escapes such text and
 * never fails at any depth.
 */
const payloadJsonOf = (rawBody: string, payload: unknown): string => {
  const span = memberValueSpan(rawBody, 0, PAYLOAD_KEY)
  const text = span === undefined ? undefined : rawBody.slice(span[0], span[1])
  return text !== undefined && (text as string & { isWellFormed(): boolean }).isWellFormed()
    ? text
    : stringifyJson(payload)
}

/** How payloads are decoded: by the codecs alone (the definition), or by the fast path first. */
type Route = 'codecs' | 'fast'

const orderEvent = (
  kind: 'created' | 'changed',
  originalOrderId: OrderEvent['originalOrderId'],
  content: OrderContent,
  payloadJson: string,
): OrderEvent =>
  kind === 'created'
    ? { _tag: 'OrderCreated', originalOrderId, content, payloadJson }
    : { _tag: 'OrderChanged', originalOrderId, content, payloadJson }

const decodeOrderByCodecs = (
  rawBody: string,
  eventType: string,
  kind: 'created' | 'changed',
  payload: unknown,
): E.Either<HookProblem, OrderEvent> =>
  pipe(
    WireOrderPayload.decode(payload),
    E.mapLeft((errors) => invalid(eventType, payload, describeErrors('payload', errors))),
    E.chain((wire) => {
      const positions: readonly WirePosition[] = wire.positions
      if (positions.length === 0)
        return E.left(invalid(eventType, payload, 'payload.positions: at least one position is required'))
      return E.right(
        orderEvent(kind, wire.originalOrderId, toOrderContent(wire, positions), payloadJsonOf(rawBody, payload)),
      )
    }),
  )

/**
 * An order payload the strict codecs refused, read for review (docs/contract.md §2): with a readable key, an
 * `order.created` becomes an order with what could be read and `unread` reasons, an `order.changed` a
 * `ChangeUnreadable`. Without a readable key it stays the codecs' problem (400).
 */
const readForReview = (
  rawBody: string,
  strict: E.Left<HookProblem>,
  kind: 'created' | 'changed',
  payload: Readonly<Record<string, unknown>>,
  before: readonly string[] = [],
): E.Either<HookProblem, OrderEvent> => {
  const key = readPayloadKey(payload)
  if (key._tag === 'NoKey') return strict
  const payloadJson = payloadJsonOf(rawBody, payload)
  const read = readOrderLeniently(payload)
  // The codecs refused something the lenient reader let through: their own words are the reason.
  const found = [...before, ...read.reasons]
  const reasons = found.length > 0 ? found : [strict.left.detail]
  return E.right(
    kind === 'created'
      ? {
          _tag: 'OrderCreated',
          originalOrderId: key.originalOrderId,
          content: read.content,
          payloadJson,
          unread: reasons,
        }
      : { _tag: 'ChangeUnreadable', originalOrderId: key.originalOrderId, reasons, payloadJson },
  )
}

/**
 * An order payload in a body nested deeper than `MAX_READABLE_DEPTH`: read for review (what the known fields
 * hold, the payload kept whole), or, under the `reject` policy, refused (400).
 */
const decodeTooDeep = (
  rawBody: string,
  eventType: string,
  kind: 'created' | 'changed',
  payload: Readonly<Record<string, unknown>>,
  unreadable: UnreadablePolicy,
): E.Either<HookProblem, OrderEvent> => {
  // Without a readable key it is the key's problem, in the codecs' words, as at any depth.
  const key = STATUS_KEY.decode(payload)
  if (E.isLeft(key)) return E.left(invalid(eventType, payload, describeErrors('payload', key.left)))
  const strict: E.Left<HookProblem> = {
    _tag: 'Left',
    left: invalid(eventType, payload, `payload: nested deeper than ${MAX_READABLE_DEPTH} levels`),
  }
  if (unreadable === 'reject') return strict
  return readForReview(rawBody, strict, kind, payload, [
    `the body is nested deeper than ${MAX_READABLE_DEPTH} levels: only its known fields were read, and the payload is kept whole`,
  ])
}

/**
 * The fast path when it accepts the payload; the codecs otherwise, so that they word every rejection; and what
 * they refuse is read for review unless the policy is to reject it.
 */
const decodeOrder = (
  rawBody: string,
  eventType: string,
  kind: 'created' | 'changed',
  payload: Readonly<Record<string, unknown>>,
  route: Route,
  unreadable: UnreadablePolicy,
): E.Either<HookProblem, OrderEvent> => {
  const fast = route === 'fast' ? fastOrderPayload(payload) : undefined
  if (fast === undefined) {
    const strict = decodeOrderByCodecs(rawBody, eventType, kind, payload)
    return E.isRight(strict) || unreadable === 'reject' ? strict : readForReview(rawBody, strict, kind, payload)
  }
  return E.right(orderEvent(kind, fast.originalOrderId, fast.content, payloadJsonOf(rawBody, payload)))
}

const statusEvent = (
  originalOrderId: OrderEvent['originalOrderId'],
  status: ReportedStatus,
  cancellation: Cancellation | undefined,
): OrderEvent =>
  cancellation === undefined
    ? { _tag: 'StatusReported', originalOrderId, status }
    : { _tag: 'StatusReported', originalOrderId, status, cancellation }

const decodeStatus = (
  eventType: string,
  status: ReportedStatus,
  payload: Readonly<Record<string, unknown>>,
  route: Route,
): E.Either<HookProblem, OrderEvent> => {
  const fast = route === 'fast' ? fastStatusPayload(payload, status === 'cancelled') : undefined
  if (fast !== undefined) return E.right(statusEvent(fast.originalOrderId, status, fast.cancellation))
  return pipe(
    WireStatusPayload.decode(payload),
    E.mapLeft((errors) => invalid(eventType, payload, describeErrors('payload', errors))),
    E.map((wire) =>
      statusEvent(wire.originalOrderId, status, status === 'cancelled' ? cancellationOf(wire) : undefined),
    ),
  )
}

const decodeBody = (
  rawBody: string,
  route: Route,
  unreadable: UnreadablePolicy,
): E.Either<HookProblem, HookMessage> => {
  let body: unknown
  try {
    body = parseWithExactKeys(rawBody)
  } catch {
    return E.left({ _tag: 'MalformedJson', detail: 'the body is not valid JSON' })
  }
  if (!isJsonObject(body)) return E.left({ _tag: 'MalformedEnvelope', detail: 'the body must be a JSON object' })
  const typed = eventTypeOf(body)
  if (E.isLeft(typed)) return typed
  const eventType = typed.right
  const payload = body[PAYLOAD_KEY]
  const kind = eventKindOf(eventType)
  if (kind === undefined) return E.right({ _tag: 'UnknownEvent', eventType, ...keyOf(payload) })
  if (!isJsonObject(payload)) return E.left(invalid(eventType, payload, 'payload: expected an object'))
  const event =
    kind === 'created' || kind === 'changed'
      ? nestedDeeperThan(rawBody, MAX_READABLE_DEPTH)
        ? decodeTooDeep(rawBody, eventType, kind, payload, unreadable)
        : decodeOrder(rawBody, eventType, kind, payload, route, unreadable)
      : decodeStatus(eventType, kind.status, payload, route)
  if (E.isLeft(event)) return event
  return E.right({
    _tag: 'KnownEvent',
    eventType,
    event: isAbsent(payload[ORIGINAL_ORDER_ID_KEY])
      ? keyedByOrderUuid(event.right)
      : withOrderUuidBeside(event.right, payload),
  })
}

/**
 * An event whose payload had no `originalOrderId`: its key is its `orderUUID` (`readPayloadKey`), noted as
 * `orderUuidKey` so that the store can reach the order created under another key with that orderUUID
 * (docs/contract.md §4). One place for every decoding route, so the fast path and the codecs agree.
 */
const keyedByOrderUuid = (event: OrderEvent): OrderEvent =>
  event._tag === 'ReviewCleared' ? event : { ...event, orderUuidKey: event.originalOrderId }

/**
 * An event with a readable `orderUUID` beside its `originalOrderId`: noted as `orderUuidBeside`, so that the store
 * can reach an order created earlier under that `orderUUID` alone when none has the event's key (docs/contract.md
 * §4). Every event type, status events too (their payload codec drops the field); one place for both routes.
 */
const withOrderUuidBeside = (event: OrderEvent, payload: Readonly<Record<string, unknown>>): OrderEvent => {
  if (event._tag === 'ReviewCleared') return event
  const key = readPayloadKey(payload)
  return key._tag === 'Key' && key.orderUuid !== undefined && key.orderUuid !== event.originalOrderId
    ? { ...event, orderUuidBeside: key.orderUuid }
    : event
}

/**
 * The envelope (docs/contract.md §2) is `{"event_type": "...", "timestamp": "...", "payload": {...}}`, the type also spelled
 * `event-type`. Decodes a raw request body into what the hook acts on. Pure; never throws. JSON that is not an envelope, a
 * known event type whose payload has no readable key (or, under the `reject` policy, cannot be read whole), and text
 * that is not JSON are `HookProblem`s.
 * Payloads go through the fast path (`fast-order-payload.ts`) first; whatever it does not accept is decoded by the
 * codecs, which word the problem. The result is always that of `decodeHookBodyByCodecs`.
 */
export const decodeHookBody = (
  rawBody: string,
  unreadable: UnreadablePolicy = 'review',
): E.Either<HookProblem, HookMessage> => decodeBody(rawBody, 'fast', unreadable)

/** `decodeHookBody` by the io-ts codecs alone: the definition of the wire format that the fast path is held to. */
export const decodeHookBodyByCodecs = (
  rawBody: string,
  unreadable: UnreadablePolicy = 'review',
): E.Either<HookProblem, HookMessage> => decodeBody(rawBody, 'codecs', unreadable)
