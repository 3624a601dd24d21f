import * as t from 'io-ts'
import { MarkingCodes } from './marking-codes.js'
import { wireKeyCodec } from './order-key.js'
import { Flag, Money, NonBlankText, QuantityCodec, Text, optional } from './primitive.codec.js'
import { ORDER_ENTRIES, POSITION_FIELDS, POSITIONS_KEY } from './wire-forms.js'
import type { FieldSpec, Form } from './wire-forms.js'

/** The codec of each form of `wire-forms.ts`: the definition of what the form accepts. */
export const CODEC_OF_FORM: { readonly [F in Form]: t.Mixed } = {
  text: Text,
  nonBlankText: NonBlankText,
  money: Money,
  quantity: QuantityCodec,
  flag: Flag,
  markingCodes: MarkingCodes,
}

/**
 * Every spelling of each optional field, as io-ts props: absent, `null` and `""` are "not given" (`optional`).
 * Which spelling wins is `to-domain.ts`'s rule; here each one given must be readable.
 */
export const optionalProps = (fields: readonly FieldSpec[]): t.Props => {
  const props: Record<string, t.Mixed> = {}
  for (const field of fields) {
    if (field.required === undefined) for (const key of field.wire) props[key] = optional(CODEC_OF_FORM[field.form])
  }
  return props
}

/** The required fields (one spelling each, `WireField`), as io-ts props. */
const requiredProps = (fields: readonly FieldSpec[]): t.Props => {
  const props: Record<string, t.Mixed> = {}
  for (const field of fields) if (field.required !== undefined) props[field.wire[0]] = CODEC_OF_FORM[field.form]
  return props
}

/** A decoded wire object: its keys as sent, its values decoded by their form. */
export type WireObject = Readonly<Record<string, unknown>>

/**
 * One position of `payload.positions` (`POSITION_FIELDS`). Its required fields are required: without them a line
 * cannot be recorded. Fields not named in the table are accepted and survive in the raw payload.
 */
export const WirePosition: t.Type<WireObject, unknown, unknown> = t.intersection([
  t.type(requiredProps(POSITION_FIELDS)),
  t.partial(optionalProps(POSITION_FIELDS)),
])
export type WirePosition = WireObject

/** The order payload's own entries (`ORDER_ENTRIES`), in the table's order: the order its errors are told in. */
const orderProps = (): t.Props => {
  const props: Record<string, t.Mixed> = {}
  for (const entry of ORDER_ENTRIES) {
    if (entry.kind === 'field') Object.assign(props, optionalProps([entry]))
    else if (entry.kind === 'group') props[entry.wire] = optional(t.partial(optionalProps(entry.fields)))
    else {
      for (const key of entry.list) props[key] = optional(t.array(Text))
      for (const key of entry.single) props[key] = optional(Text)
    }
  }
  return props
}

/**
 * `payload` of `order.created` and `order.changed`: the whole order (docs/contract.md §3), every field and spelling
 * of `wire-forms.ts`. The key is `originalOrderId` or, without it, `orderUUID` (`order-key.ts`).
 */
export const WireOrderPayload = t.intersection([
  wireKeyCodec(true),
  t.type({ [POSITIONS_KEY]: t.array(WirePosition) }),
  t.partial(orderProps()),
])
export type WireOrderPayload = t.TypeOf<typeof WireOrderPayload> & { readonly positions: readonly WirePosition[] }
