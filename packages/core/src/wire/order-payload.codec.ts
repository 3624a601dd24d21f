import * as t from 'io-ts'
import { MarkingCodes } from './marking-codes.js'
import { wireKeyCodec } from './order-key.js'
import { Flag, Money, NonBlankText, QuantityCodec, Text, optional } from './primitive.codec.js'

/**
 * One position of `payload.positions`. `id`, `quantity` and `price` are required: without them a line cannot be
 * recorded. Fields not named here are accepted and survive in the raw payload. The marking codes' spellings are
 * those of `MARKING_CODE_KEYS` (field-aliases.ts).
 */
export const WirePosition = t.intersection([
  t.type({ id: NonBlankText, quantity: QuantityCodec, price: Money }),
  t.partial({
    name: optional(Text),
    originalQuantity: optional(QuantityCodec),
    discountPrice: optional(Money),
    totalPrice: optional(Money),
    totalDiscountPrice: optional(Money),
    weight: optional(Text),
    replacedByID: optional(Text),
    markingCode: MarkingCodes,
    markingCodes: MarkingCodes,
    marking_codes: MarkingCodes,
  }),
])
export type WirePosition = t.TypeOf<typeof WirePosition>

export const WireCustomer = t.partial({ name: optional(Text), phone: optional(Text), email: optional(Text) })
export type WireCustomer = t.TypeOf<typeof WireCustomer>

export const WireAddress = t.partial({
  full_address: optional(Text),
  city: optional(Text),
  street: optional(Text),
  building: optional(Text),
  entrance: optional(Text),
  floor: optional(Text),
  apartment: optional(Text),
  door_phone: optional(Text),
  lat: optional(Text),
  lon: optional(Text),
  delivery_to_door: optional(Flag),
})
export type WireAddress = t.TypeOf<typeof WireAddress>

export const WireDelivery = t.partial({ expectedFrom: optional(Text), expectedTo: optional(Text) })
export type WireDelivery = t.TypeOf<typeof WireDelivery>

export const WireTotal = t.partial({ totalPrice: optional(Money), discountTotalPrice: optional(Money) })
export type WireTotal = t.TypeOf<typeof WireTotal>

/**
 * `payload` of `order.created` and `order.changed`: the whole order (docs/contract.md §3). Aliases as in
 * field-aliases.ts: `store_id`/`storeId` for `storeID`, `shippingMethod` for `shipmentMethod`, a single
 * `paymentMethod` beside `paymentMethods`. The key is `originalOrderId` or, without it, `orderUUID` (`order-key.ts`).
 */
export const WireOrderPayload = t.intersection([
  wireKeyCodec(true),
  t.type({ positions: t.array(WirePosition) }),
  t.partial({
    storeID: optional(Text),
    store_id: optional(Text),
    storeId: optional(Text),
    shipmentMethod: optional(Text),
    shippingMethod: optional(Text),
    replacementPolicy: optional(Text),
    comment: optional(Text),
    customer: optional(WireCustomer),
    address: optional(WireAddress),
    delivery: optional(WireDelivery),
    paymentMethods: optional(t.array(Text)),
    paymentMethod: optional(Text),
    total: optional(WireTotal),
  }),
])
export type WireOrderPayload = t.TypeOf<typeof WireOrderPayload>
