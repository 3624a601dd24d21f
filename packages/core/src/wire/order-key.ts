import * as t from 'io-ts'
import type { OriginalOrderId } from '../order/order-id.js'
import { ORDER_UUID_KEY, ORIGINAL_ORDER_ID_KEY } from './wire-forms.js'
import { isAbsent, OriginalOrderIdCodec, readKeyText } from './primitive.codec.js'
import { isJsonObject } from '../json/json-object.js'

type Json = Readonly<Record<string, unknown>>

/**
 * The key of a payload, read by `readPayloadKey`: the key and the `orderUUID` kept beside it (the key itself when it
 * came from `orderUUID`), or why there is no key. `orderUuidProblem` says why an `orderUUID` sent beside a readable
 * `originalOrderId` could not be read: the key stands, the order payload is not read whole.
 */
export type PayloadKey =
  | {
      readonly _tag: 'Key'
      readonly originalOrderId: OriginalOrderId
      readonly orderUuid?: string
      readonly orderUuidProblem?: string
    }
  | { readonly _tag: 'NoKey'; readonly field: string; readonly problem: string }

const noKey = (field: string, problem: string): PayloadKey => ({ _tag: 'NoKey', field, problem })

/**
 * The order key of a payload (docs/contract.md §3): `originalOrderId` when it is given (not absent, null or ""),
 * `orderUUID` otherwise. A given `originalOrderId` that cannot be read is no key, even beside a readable `orderUUID`:
 * the same order would otherwise be keyed two ways by events that differ only in that field.
 */
export const readPayloadKey = (payload: Json): PayloadKey => {
  const original = payload[ORIGINAL_ORDER_ID_KEY]
  const uuid = payload[ORDER_UUID_KEY]
  const uuidRead = isAbsent(uuid) ? undefined : readKeyText(uuid)
  if (!isAbsent(original)) {
    const key = readKeyText(original)
    if (typeof key !== 'string') return noKey(ORIGINAL_ORDER_ID_KEY, key.problem)
    if (uuidRead === undefined) return { _tag: 'Key', originalOrderId: key as OriginalOrderId }
    return typeof uuidRead === 'string'
      ? { _tag: 'Key', originalOrderId: key as OriginalOrderId, orderUuid: uuidRead }
      : { _tag: 'Key', originalOrderId: key as OriginalOrderId, orderUuidProblem: uuidRead.problem }
  }
  if (uuidRead === undefined) return noKey(ORIGINAL_ORDER_ID_KEY, 'is required (or orderUUID)')
  if (typeof uuidRead !== 'string') return noKey(ORDER_UUID_KEY, uuidRead.problem)
  return { _tag: 'Key', originalOrderId: uuidRead as OriginalOrderId, orderUuid: uuidRead }
}

/** The key fields of a payload as the codecs give them: `orderUUID` only when one was read. */
export interface WireKey {
  readonly originalOrderId: OriginalOrderId
  /**
   * Always set by the codec, `undefined` when none was read: in a `t.intersection` the other members hand the input
   * back unchanged, and io-ts merges what they return, so without its own value the payload's raw `orderUUID` (`""`,
   * `null`: absent) would come through as if it had been read.
   */
  readonly orderUUID?: string | undefined
}

/**
 * The key fields of a payload as an io-ts codec, for `t.intersection` with the rest of a payload's codec. `strict`
 * (order payloads) also fails on an unreadable `orderUUID` beside a readable key, so that the order is read for
 * review; otherwise (status payloads) only a missing key fails.
 */
export const wireKeyCodec = (strict: boolean): t.Type<WireKey, WireKey, unknown> =>
  new t.Type<WireKey, WireKey, unknown>(
    strict ? 'OrderKey' : 'StatusKey',
    (u): u is WireKey => isJsonObject(u) && OriginalOrderIdCodec.is(u[ORIGINAL_ORDER_ID_KEY]),
    (u, c) => {
      if (!isJsonObject(u)) return t.failure(u, c, 'expected an object')
      const key = readPayloadKey(u)
      if (key._tag === 'NoKey') {
        const actual = u[key.field]
        return t.failure(actual, [...c, { key: key.field, type: OriginalOrderIdCodec, actual }], key.problem)
      }
      if (strict && key.orderUuidProblem !== undefined) {
        const actual = u[ORDER_UUID_KEY]
        return t.failure(
          actual,
          [...c, { key: ORDER_UUID_KEY, type: OriginalOrderIdCodec, actual }],
          key.orderUuidProblem,
        )
      }
      return t.success({ originalOrderId: key.originalOrderId, orderUUID: key.orderUuid })
    },
    t.identity,
  )
