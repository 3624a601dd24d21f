import type { Cancellation, OrderContent, OrderLine } from '../order/order.js'
import type { WireObject, WireOrderPayload, WirePosition } from './order-payload.codec.js'
import type { WireCancellationReason, WireStatusPayload } from './status-payload.codec.js'
import { CANCELLATION_REASON, ORDER_ENTRIES, POSITION_FIELDS, type FieldSpec } from './wire-forms.js'

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Copies each field of `fields` that the wire gave a value (neither absent, null nor undefined once decoded) from
 * `source` to `target` under its domain name: of its spellings, the first given (`wire-forms.ts`). Written as
 * plain assignments rather than object spreads: the spreads were a measurable part of the hook's CPU time.
 */
const copyGiven = (target: Record<string, unknown>, source: WireObject, fields: readonly FieldSpec[]): void => {
  for (const field of fields) {
    for (const key of field.wire) {
      const value = source[key]
      if (value !== null && value !== undefined) {
        target[field.domain] = value
        break
      }
    }
  }
}

/** `undefined` when an object has no field, so that empty wire objects do not become empty domain ones. */
const nonEmpty = <T extends object>(value: T): T | undefined => {
  for (const _ in value) return value
  return undefined
}

const toLine = (p: WirePosition): OrderLine => {
  const line: Record<string, unknown> = {}
  copyGiven(line, p, POSITION_FIELDS)
  return line as unknown as OrderLine
}

const group = <T extends object>(source: unknown, fields: readonly FieldSpec[]): T | undefined => {
  if (source === null || source === undefined) return undefined
  const target: Record<string, unknown> = {}
  copyGiven(target, source as WireObject, fields)
  return nonEmpty(target as T)
}

/** The first list given under the list's spellings, or the first single value as a list of one, or none. */
const textListOf = (w: WireObject, list: readonly string[], single: readonly string[]): readonly string[] => {
  for (const key of list) {
    const value = w[key]
    if (value !== null && value !== undefined) return value as readonly string[]
  }
  for (const key of single) {
    const value = w[key]
    if (value !== null && value !== undefined) return [value as string]
  }
  return []
}

/** The domain content of a decoded order payload (its positions already decoded; empty only for review). */
export const toOrderContent = (w: WireOrderPayload, positions: readonly WirePosition[]): OrderContent => {
  const wire = w as WireObject
  const content: Mutable<OrderContent> = { positions: positions.map(toLine), paymentMethods: [] }
  if (w.orderUUID !== undefined) content.orderUuid = w.orderUUID
  const target = content as Record<string, unknown>
  for (const entry of ORDER_ENTRIES) {
    if (entry.kind === 'field') copyGiven(target, wire, [entry])
    else if (entry.kind === 'list') target[entry.domain] = textListOf(wire, entry.list, entry.single)
    else {
      const value = group<object>(wire[entry.wire], entry.fields)
      if (value !== undefined) target[entry.domain] = value
    }
  }
  return content
}

const toCancellation = (reason: WireCancellationReason | string): Cancellation | undefined =>
  typeof reason === 'string'
    ? reason.trim() === ''
      ? undefined
      : { description: reason }
    : group<Cancellation>(reason, CANCELLATION_REASON.fields)

/** The cancellation reason under whichever of its guessed spellings came first (`CANCELLATION_REASON`). */
export const cancellationOf = (p: WireStatusPayload): Cancellation | undefined => {
  const wire = p as WireObject
  for (const key of CANCELLATION_REASON.wire) {
    const reason = wire[key] as WireCancellationReason | string | null | undefined
    if (reason !== null && reason !== undefined) return toCancellation(reason)
  }
  return undefined
}
