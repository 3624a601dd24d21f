import type { Kopecks } from '../money/kopecks.js'
import type { Quantity } from '../money/quantity.js'
import type { Cancellation, OrderContent, OrderLine } from '../order/order.js'

/**
 * The wire format of SberMarket's webhooks (docs/contract.md §2, §3) as data: every field of the envelope and the
 * payload, every spelling of it that public receivers were seen reading, and the form its value takes. The one
 * place to change when the truth is known (a new alias is one more string in a `wire` list below). Three readers
 * are built from these lists: the io-ts codecs, the definition (`order-payload.codec.ts`, `status-payload.codec.ts`,
 * `to-domain.ts`); the fast path (`fast-order-payload.ts`, `fast-status-payload.ts`); and the reader for review
 * (`lenient-order-payload.ts`). Each implements each form once (`CODEC_OF_FORM`, `fast-fields.ts`: records over
 * `Form`, so a new form does not compile until every reader has it); `test/unit/wire-forms.test.ts` holds every
 * reader to every spelling and to the samples of `FORM_SAMPLES`.
 *
 * A field's `wire` list is in order of preference: when a payload carries two spellings, the first given (not
 * absent, `null` or `""`) wins, and a spelling whose value cannot be read makes the field unreadable, whichever
 * wins. `domain` is the field of the domain model it fills: the compiler checks that the form gives that field's
 * type (a price cannot be read as text).
 */

/** What each form decodes to: the type of the domain field it may fill. */
export interface FormValues {
  /** A string that can be stored as written, or a finite number as its decimal text (ids, floors). */
  readonly text: string
  /** `text`, trimmed, not blank. */
  readonly nonBlankText: string
  /** Roubles as a decimal string or number, exactly, in kopecks; never negative. */
  readonly money: Kopecks
  /** A number or decimal string (fractional for weighed goods) in thousandths; never negative. */
  readonly quantity: Quantity
  /** true/false, "true"/"false", 1/0, "1"/"0". */
  readonly flag: boolean
  /** Marking codes («Честный знак»): a list of `{value|code|cis}` or of text, one object or one text. */
  readonly markingCodes: readonly string[]
}
export type Form = keyof FormValues

/** The forms whose value is a `V`. */
type FormFor<V> = { [F in Form]: FormValues[F] extends V ? F : never }[Form]

/**
 * A field of `T` as the wire carries it. A required field has one spelling: its codec requires that key (an alias
 * of a required field would need a rule for "one of these keys", which no payload seen needs).
 */
export type WireField<T> = {
  [K in keyof T & string]-?: {
    readonly domain: K
    readonly form: FormFor<NonNullable<T[K]>>
  } & (
    | { readonly wire: readonly [string, ...string[]]; readonly required?: undefined }
    /** `required`: how a reason for review names the field when it is missing or unreadable. */
    | { readonly wire: readonly [string]; readonly required: string }
  )
}[keyof T & string]

/** Any field of the table, as the generic readers see it. */
export interface FieldSpec {
  readonly domain: string
  readonly wire: readonly [string, ...string[]]
  readonly form: Form
  readonly required?: string | undefined
}

/** The groups of an order payload: objects of optional fields under one key (`customer`, `address`, ...). */
export type GroupKey = 'customer' | 'address' | 'delivery' | 'total'

/** A group of `OrderContent[K]`'s fields under the key `wire`. */
interface WireGroup<K extends GroupKey> {
  readonly kind: 'group'
  readonly wire: string
  readonly domain: K
  /** Personal data: a reason for review names its fields but never quotes their values (docs/contract.md §4, Logs). */
  readonly personal: boolean
  readonly fields: readonly WireField<NonNullable<OrderContent[K]>>[]
}

/** A list of text, or one text under another key that stands for a list of one (`paymentMethods`/`paymentMethod`). */
interface WireTextList {
  readonly kind: 'list'
  readonly domain: 'paymentMethods'
  /** The list's spellings; the first given wins. */
  readonly list: readonly [string, ...string[]]
  /** The single value's spellings, read when no list is given. */
  readonly single: readonly string[]
}

/** One entry of an order payload, in the order the codecs check them (and so the order their errors are told in). */
export type OrderEntry =
  | ({ readonly kind: 'field' } & WireField<OrderContent>)
  | WireGroup<'customer'>
  | WireGroup<'address'>
  | WireGroup<'delivery'>
  | WireGroup<'total'>
  | WireTextList

const group = <K extends GroupKey>(
  wire: string,
  domain: K,
  personal: boolean,
  fields: readonly WireField<NonNullable<OrderContent[K]>>[],
): WireGroup<K> => ({ kind: 'group', wire, domain, personal, fields })

/** The envelope (docs/contract.md §2): the event type's spellings, in order of preference, and the payload's key. */
export const EVENT_TYPE_WIRE = ['event_type', 'event-type', 'eventType'] as const
export const PAYLOAD_KEY = 'payload'

/**
 * The order key (docs/contract.md §3, §4): `originalOrderId`, or, when a payload has none, the newer Kuper API's
 * `orderUUID` (`"retailer-slug:<uuid>"`). With both, `originalOrderId` stays the key and `orderUUID` is kept on the
 * order. Not aliases of each other: both may be sent, and `order-key.ts` holds the rule between them. Their form is
 * `KEY_SAMPLES`.
 */
export const ORIGINAL_ORDER_ID_KEY = 'originalOrderId'
export const ORDER_UUID_KEY = 'orderUUID'

/** One position of `payload.positions`: the line of the order. */
export const POSITION_FIELDS: readonly WireField<OrderLine>[] = [
  { domain: 'sku', wire: ['id'], form: 'nonBlankText', required: 'SKU (id)' },
  { domain: 'quantity', wire: ['quantity'], form: 'quantity', required: 'quantity' },
  { domain: 'price', wire: ['price'], form: 'money', required: 'price' },
  { domain: 'name', wire: ['name'], form: 'text' },
  { domain: 'originalQuantity', wire: ['originalQuantity'], form: 'quantity' },
  { domain: 'discountPrice', wire: ['discountPrice'], form: 'money' },
  { domain: 'totalPrice', wire: ['totalPrice'], form: 'money' },
  { domain: 'totalDiscountPrice', wire: ['totalDiscountPrice'], form: 'money' },
  { domain: 'weight', wire: ['weight'], form: 'text' },
  { domain: 'replacedBySku', wire: ['replacedByID'], form: 'text' },
  // Seen as `markingCode`; the others are plausible spellings.
  { domain: 'markingCodes', wire: ['markingCode', 'markingCodes', 'marking_codes'], form: 'markingCodes' },
]

/** The key of the positions' list: at least one position that can be read. */
export const POSITIONS_KEY = 'positions'

/** The field of a marking code object that holds the code: seen `value`; `code` and `cis` are plausible. */
export const MARKING_CODE_VALUE_WIRE = ['value', 'code', 'cis'] as const

/** `payload` of `order.created` and `order.changed` (docs/contract.md §3), its key and positions apart. */
export const ORDER_ENTRIES: readonly OrderEntry[] = [
  { kind: 'field', domain: 'storeId', wire: ['storeID', 'store_id', 'storeId'], form: 'text' },
  { kind: 'field', domain: 'shipmentMethod', wire: ['shipmentMethod', 'shippingMethod'], form: 'text' },
  { kind: 'field', domain: 'replacementPolicy', wire: ['replacementPolicy'], form: 'text' },
  { kind: 'field', domain: 'comment', wire: ['comment'], form: 'text' },
  group('customer', 'customer', true, [
    { domain: 'name', wire: ['name'], form: 'text' },
    { domain: 'phone', wire: ['phone'], form: 'text' },
    { domain: 'email', wire: ['email'], form: 'text' },
  ]),
  group('address', 'address', true, [
    { domain: 'fullAddress', wire: ['full_address'], form: 'text' },
    { domain: 'city', wire: ['city'], form: 'text' },
    { domain: 'street', wire: ['street'], form: 'text' },
    { domain: 'building', wire: ['building'], form: 'text' },
    { domain: 'entrance', wire: ['entrance'], form: 'text' },
    { domain: 'floor', wire: ['floor'], form: 'text' },
    { domain: 'apartment', wire: ['apartment'], form: 'text' },
    { domain: 'doorPhone', wire: ['door_phone'], form: 'text' },
    { domain: 'lat', wire: ['lat'], form: 'text' },
    { domain: 'lon', wire: ['lon'], form: 'text' },
    { domain: 'deliveryToDoor', wire: ['delivery_to_door'], form: 'flag' },
  ]),
  group('delivery', 'delivery', false, [
    { domain: 'expectedFrom', wire: ['expectedFrom'], form: 'text' },
    { domain: 'expectedTo', wire: ['expectedTo'], form: 'text' },
  ]),
  // Seen `["CashDesk","SberGateway"]`; one receiver reads a single `paymentMethod` instead.
  { kind: 'list', domain: 'paymentMethods', list: ['paymentMethods'], single: ['paymentMethod'] },
  group('total', 'total', false, [
    { domain: 'totalPrice', wire: ['totalPrice'], form: 'money' },
    { domain: 'discountTotalPrice', wire: ['discountTotalPrice'], form: 'money' },
  ]),
]

/**
 * The reason of an `order.cancelled` (a **guess**, docs/contract.md §3): under any of `wire` (the first given,
 * even one that reads as nothing, is the reason), as text or as an object of `fields`. It never makes a payload
 * unreadable: a reason that cannot be read is dropped, and the raw body keeps it.
 */
export const CANCELLATION_REASON = {
  wire: ['cancellation', 'cancellationReason', 'cancellation_reason'],
  fields: [
    { domain: 'slug', wire: ['slug'], form: 'text' },
    { domain: 'description', wire: ['description'], form: 'text' },
  ],
} as const satisfies { readonly wire: readonly string[]; readonly fields: readonly WireField<Cancellation>[] }

/** What an optional field reads as "not given" (docs/contract.md §3): a key not sent, `null` or `""`. */
export const ABSENT_SAMPLES: readonly string[] = ['null', '""']

/**
 * What each form reads, as the JSON text of a value in a body (`[json, what it reads as]`), and what it refuses;
 * the readers are tested against these. Not every case of a form (its property tests go further), but every kind
 * of value the contract names.
 */
export interface FormSamples<V> {
  readonly reads: readonly (readonly [json: string, value: V | undefined])[]
  readonly refuses: readonly string[]
}

export const FORM_SAMPLES: { readonly [F in Form]: FormSamples<FormValues[F] | number> } = {
  text: {
    reads: [
      ['"byCourier"', 'byCourier'],
      ['" Лента "', ' Лента '],
      ['12', '12'],
      ['1.5', '1.5'],
      ['"\\u001d"', '\u001d'],
    ],
    refuses: ['true', '{}', '["a"]', '"a\\u0000b"', '"\\ud800"'],
  },
  nonBlankText: {
    reads: [
      ['"4601234567890"', '4601234567890'],
      ['" 42 "', '42'],
      ['42', '42'],
    ],
    refuses: ['" "', 'true', '{}', '"a\\u0000"'],
  },
  money: {
    reads: [
      ['"129.90"', 12990],
      ['287.5', 28750],
      ['" 12.30 "', 1230],
      ['"5,5"', 550],
      ['0', 0],
      ['"90071992547409.91"', 9007199254740991],
    ],
    refuses: ['"бесплатно"', '"-1"', '"1.005"', '-0.01', 'true', '[]', '"1e3"'],
  },
  quantity: {
    reads: [
      ['5', 5000],
      ['"5.0"', 5000],
      ['0.512', 512],
      ['"1000.5"', 1000500],
    ],
    refuses: ['"1.0005"', '-1', '"много"', 'false'],
  },
  flag: {
    reads: [
      ['true', true],
      ['"true"', true],
      ['1', true],
      ['"1"', true],
      ['false', false],
      ['"false"', false],
      ['0', false],
      ['"0"', false],
    ],
    refuses: ['"yes"', '2', '"TRUE"', '[]'],
  },
  markingCodes: {
    reads: [
      ['[{"value":"0104601234567890215abc\\u001d93Ab1"}]', ['0104601234567890215abc\u001d93Ab1']],
      ['[{"code":"A1"},{"cis":"B2"}]', ['A1', 'B2']],
      ['["A1","B2"]', ['A1', 'B2']],
      ['{"value":"C3"}', ['C3']],
      ['"C3"', ['C3']],
      ['[{"value":7}]', ['7']],
      ['[{"value":""}," "]', undefined],
    ],
    refuses: ['[{"value":true}]', '[[1]]', '[{"value":"a\\u0000"}]', 'false'],
  },
}

/**
 * The order key's form (docs/contract.md §3): text, trimmed, at most 64 characters, storable; or an integer as its
 * digits exactly as the body writes them; never a number that is not plain digits.
 */
export const KEY_SAMPLES: FormSamples<string> = {
  reads: [
    ['"H1234567890"', 'H1234567890'],
    ['" H1 "', 'H1'],
    ['1234567890', '1234567890'],
    ['90071992547409931', '90071992547409931'],
  ],
  refuses: ['"  "', '-0', '-5', '1.0', '1.5', '1e21', 'true', `"${'H'.repeat(65)}"`, '"H\\u0000"'],
}
