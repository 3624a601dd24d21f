/**
 * Every spelling of a payload field that the public receivers of SberMarket's webhooks were seen reading
 * (docs/contract.md §3), in order of preference: when a payload carries two spellings, the first given wins. The one
 * place to change when the truth is known; the codecs (`order-payload.codec.ts`, `to-domain.ts`) and the fast path
 * (`fast-order-payload.ts`) both read these lists.
 */
export const STORE_ID_KEYS = ['storeID', 'store_id', 'storeId'] as const
export const SHIPMENT_METHOD_KEYS = ['shipmentMethod', 'shippingMethod'] as const
/** The list of payment methods; one receiver reads a single `paymentMethod` instead. */
export const PAYMENT_METHODS_KEY = 'paymentMethods'
export const PAYMENT_METHOD_KEY = 'paymentMethod'
/** A position's marking codes («Честный знак»); seen as `markingCode`, the others are plausible spellings. */
export const MARKING_CODE_KEYS = ['markingCode', 'markingCodes', 'marking_codes'] as const
/** The field of a marking code object that holds the code: seen `value`; `code` and `cis` are plausible. */
export const MARKING_CODE_VALUE_KEYS = ['value', 'code', 'cis'] as const

/**
 * The wire -> domain pairs of a field with aliases, for `copyGiven`, which copies pairs in order and lets a later
 * given value overwrite an earlier one: so the least preferred spelling comes first.
 */
export const aliasPairs = <D extends string>(keys: readonly string[], domain: D): readonly (readonly [string, D])[] =>
  [...keys].reverse().map((key) => [key, domain] as const)

/**
 * The order key (docs/contract.md §3, §4): `originalOrderId`, or, when a payload has none, the newer Kuper API's
 * `orderUUID` (`"retailer-slug:<uuid>"`; "either `order_id` or `orderUUID` is required"). With both, `originalOrderId`
 * stays the key and `orderUUID` is kept on the order.
 */
export const ORIGINAL_ORDER_ID_KEY = 'originalOrderId'
export const ORDER_UUID_KEY = 'orderUUID'
