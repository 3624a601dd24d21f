import fc from 'fast-check'
import {
  CANCELLATION_REASON,
  FORM_SAMPLES,
  ORDER_ENTRIES,
  POSITION_FIELDS,
  type FieldSpec,
} from '../../dist/wire/wire-forms.js'

/**
 * Arbitraries of webhook bodies for the property tests of the wire decoding: event type spellings, decimal text at the
 * edges of the grammar, numbers as JSON carries them, Cyrillic text, odd scalars, and the mutations of a JSON tree
 * (replace or remove a part, add a field anywhere, flip numbers and their text).
 */

export const envelopeOf = (type: unknown, payload: unknown, key = 'event_type'): string =>
  JSON.stringify({ [key]: type, timestamp: '2026-05-24T12:00:00+03:00', payload })

export const EVENT_TYPES = [
  'order.created',
  'order.changed',
  'order.updated',
  'order.paid',
  'order.received',
  'order.delivered',
  'order.cancelled',
  'order.canceled',
  ' ORDER.Created ',
  'Order.Cancelled',
  'order.unknown',
  'order.created.v2',
  '',
]
/** Mostly the order events, whose payloads have the most to get wrong; every spelling now and then. */
export const eventType = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('order.created', 'order.changed', 'order.updated', ' ORDER.Created ') },
  { weight: 2, arbitrary: fc.constantFrom(...EVENT_TYPES) },
)
export const eventKey = fc.constantFrom('event_type', 'event-type', 'eventType')

/** Decimal text at the edges of `parseScaledDecimal`'s grammar: signs, separators, zeros, long and odd forms. */
const oddDecimal = fc.oneof(
  fc.constantFrom(
    '0',
    '-0',
    '-0.00',
    '+5',
    '5.',
    '.5',
    '5,5',
    '5,',
    '1e3',
    '1E-2',
    '1.005',
    '129.900',
    '129.90',
    ' 12.30 ',
    '\u00a012\n',
    '007',
    '0.000',
    '-1',
    '-0.01',
    '+0',
    'NaN',
    'Infinity',
    '0x10',
    '١٢٣',
    '１２',
    '12 34',
    '1.2.3',
    '1,2,3',
    '--1',
    '+-1',
    '',
    ' ',
    '9007199254740991',
    '90071992547409.91',
    '90071992547409.92',
    '9007199254740.991',
    '9007199254740.992',
    '999999999999.999',
    '1000000000000',
    '0.1',
    '0.001',
    '0.0001',
  ),
  fc
    .tuple(
      fc.constantFrom('', '', '+', '-'),
      fc.stringMatching(/^[0-9]{1,20}$/),
      fc.constantFrom('', '.', ','),
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.constantFrom('', ' ', '\t'),
    )
    .map(([sign, whole, sep, fraction, pad]) => `${pad}${sign}${whole}${sep === '' ? '' : sep + fraction}${pad}`),
)

/** Numbers as JSON carries them, integral, fractional, huge, tiny and negative. */
const wireNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    0.5,
    0.455,
    2.0,
    129.9,
    0.1 + 0.2,
    1e21,
    1e-7,
    2 ** 53,
    2 ** 53 + 2,
    999999999999,
    1e12,
    12345678901.2345,
    1e308,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.nat({ max: 100000 }).map((n) => n / 1000),
)

const cyrillic = fc.stringMatching(/^[А-Яа-яЁё0-9 ,.«»№-]{0,40}$/)

/** Any value a producer could put where a scalar belongs. */
const wireScalar = fc.oneof(
  oddDecimal,
  wireNumber,
  cyrillic,
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(null, true, false, 'true', 'false', '1', '0', 1, 0, [], {}, ['a'], { a: 1 }),
  fc.constantFrom(
    'yes',
    'no',
    'да',
    'нет',
    'on',
    'off',
    'TRUE',
    'True',
    'null',
    'undefined',
    ' true',
    '1 ',
    '01',
    '1.0',
  ),
)
export const anyValue = fc.oneof(
  { weight: 4, arbitrary: wireScalar },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
)

/** A field's usual values, and now and then any odd scalar in its place. */
const usually = <T>(typical: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 5, arbitrary: typical }, { weight: 1, arbitrary: wireScalar })

/** Sets `value` at a random place in a JSON tree (or removes the key when `value` is undefined). */
export const mutate = (tree: unknown, path: readonly number[], value: unknown): unknown => {
  if (path.length === 0 || tree === null || typeof tree !== 'object') return value
  const [step = 0, ...rest] = path
  if (Array.isArray(tree)) {
    if (tree.length === 0) return value
    const index = step % tree.length
    return (tree as unknown[]).map((item, i) => (i === index ? mutate(item, rest, value) : item))
  }
  const keys = Object.keys(tree)
  if (keys.length === 0) return value
  const key = keys[step % keys.length] as string
  const copy: Record<string, unknown> = { ...(tree as Record<string, unknown>) }
  if (rest.length === 0 && value === undefined) delete copy[key]
  else copy[key] = mutate(copy[key], rest, value)
  return copy
}

/** Adds a field somewhere in the tree: an unknown extra one, or a known name at the wrong level. */
export const addField = (tree: unknown, path: readonly number[], name: string, value: unknown): unknown => {
  if (tree === null || typeof tree !== 'object') return tree
  if (path.length === 0 || Array.isArray(tree)) {
    if (Array.isArray(tree))
      return tree.length === 0
        ? tree
        : (tree as unknown[]).map((item, i) =>
            i === (path[0] ?? 0) % tree.length ? addField(item, path.slice(1), name, value) : item,
          )
    return { ...(tree as Record<string, unknown>), [name]: value }
  }
  const keys = Object.keys(tree)
  const key = keys[(path[0] ?? 0) % Math.max(keys.length, 1)]
  if (key === undefined) return { [name]: value }
  const copy: Record<string, unknown> = { ...(tree as Record<string, unknown>) }
  copy[key] = addField(copy[key], path.slice(1), name, value)
  return copy
}

/** Every number leaf turned into its text and back: producers send "2" for 2 and 2 for "2". */
export const flipNumbers = (tree: unknown, toText: boolean): unknown => {
  if (typeof tree === 'number') return toText ? String(tree) : tree
  if (typeof tree === 'string' && !toText && tree.trim() !== '' && Number.isFinite(Number(tree))) return Number(tree)
  if (Array.isArray(tree)) return tree.map((item) => flipNumbers(item, toText))
  if (tree !== null && typeof tree === 'object')
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, flipNumbers(v, toText)]))
  return tree
}

/** Where a field of the table of wire forms (`wire-forms.ts`) sits in an order payload. */
export type Placement =
  | { readonly where: 'header' | 'position'; readonly field: FieldSpec }
  | { readonly where: 'group'; readonly group: string; readonly groupDomain: string; readonly field: FieldSpec }

/** Every field of the table of wire forms, where it sits: the order's own fields, its groups' and a position's. */
export const tablePlacements = (): readonly Placement[] => [
  ...ORDER_ENTRIES.flatMap((entry): Placement[] => {
    if (entry.kind === 'field') return [{ where: 'header', field: entry }]
    if (entry.kind === 'group') {
      return entry.fields.map((field) => ({ where: 'group', group: entry.wire, groupDomain: entry.domain, field }))
    }
    return []
  }),
  ...POSITION_FIELDS.map((field): Placement => ({ where: 'position', field })),
]

/** Every spelling the table knows, lists and cancellation reasons included. */
export const TABLE_NAMES: readonly string[] = [
  ...tablePlacements().flatMap((p) => (p.where === 'group' ? [p.group, ...p.field.wire] : p.field.wire)),
  ...ORDER_ENTRIES.flatMap((entry) => (entry.kind === 'list' ? [...entry.list, ...entry.single] : [])),
  ...CANCELLATION_REASON.wire,
  ...CANCELLATION_REASON.fields.flatMap((field) => field.wire),
]

/**
 * A field of the table under one of its spellings (drawn from the table, so that a spelling added there is drawn
 * here), with a value: a sample its form reads or refuses, or any odd value.
 */
export const tableField = fc
  .constantFrom(...tablePlacements())
  .chain((placement) =>
    fc.tuple(
      fc.constant(placement),
      fc.constantFrom(...placement.field.wire),
      fc.oneof(
        fc.constantFrom(...FORM_SAMPLES[placement.field.form].reads.map(([json]) => JSON.parse(json) as unknown)),
        fc.constantFrom(...FORM_SAMPLES[placement.field.form].refuses.map((json) => JSON.parse(json) as unknown)),
        fc.constantFrom(null, '', undefined),
      ),
    ),
  )

/** `payload` with `value` at the placement under `key` (in the first position, or the group made an object). */
export const placeField = (payload: unknown, placement: Placement, key: string, value: unknown): unknown => {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload
  const copy: Record<string, unknown> = { ...(payload as Record<string, unknown>) }
  const set = (target: unknown): Record<string, unknown> => {
    const isObject = typeof target === 'object' && target !== null && !Array.isArray(target)
    const object: Record<string, unknown> = isObject ? { ...(target as Record<string, unknown>) } : {}
    if (value === undefined) delete object[key]
    else object[key] = value
    return object
  }
  if (placement.where === 'header') return set(copy)
  if (placement.where === 'group') copy[placement.group] = set(copy[placement.group])
  else if (Array.isArray(copy['positions']) && copy['positions'].length > 0) {
    const [first, ...rest] = copy['positions'] as unknown[]
    copy['positions'] = [set(first), ...rest]
  }
  return copy
}

export const KNOWN_NAMES = [
  'originalOrderId',
  'orderUUID',
  'positions',
  'id',
  'quantity',
  'price',
  'name',
  'originalQuantity',
  'discountPrice',
  'totalPrice',
  'totalDiscountPrice',
  'weight',
  'replacedByID',
  'storeID',
  'comment',
  'customer',
  'phone',
  'email',
  'address',
  'full_address',
  'delivery_to_door',
  'lat',
  'delivery',
  'expectedFrom',
  'paymentMethods',
  'paymentMethod',
  'store_id',
  'storeId',
  'shippingMethod',
  'markingCode',
  'markingCodes',
  'marking_codes',
  'value',
  'total',
  'discountTotalPrice',
  'cancellation',
  'cancellationReason',
  'cancellation_reason',
  'slug',
  'description',
  '__proto__',
  'constructor',
]

/** Marking codes in every shape docs/contract.md §3 accepts, and some it does not. */
const markingCodes = fc.oneof(
  fc.array(
    fc.record({
      value: fc.oneof(
        fc.stringMatching(/^[0-9A-Za-z]{8,31}$/),
        fc.constant('0104601234567890215abc\u001d93Ab1'),
        fc.constant(''),
      ),
    }),
    { maxLength: 3 },
  ),
  fc.array(fc.stringMatching(/^[0-9A-Za-z]{0,31}$/), { maxLength: 3 }),
  fc.constantFrom(
    '0104601234567890215abc',
    [{ code: 'A1' }],
    [{ cis: 'B2' }],
    { value: 'C3' },
    [{ value: 1 }],
    [{ value: null }],
    [[1]],
    [{ other: 'x' }],
  ),
)

/** `JSON.rawJSON` (Node.js 21+; not in the compiler's ES2022 library): a value JSON.stringify writes as `text`. */
const rawJson = (text: string): unknown => (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(text)

/**
 * Integer keys as JSON text carries them, beyond 2^53 included (written as raw JSON, so that the body holds their
 * digits), and number forms that are no key: -0, a fraction, an exponent.
 */
const exactInteger = fc.oneof(
  fc.bigInt({ min: 10n ** 15n, max: 10n ** 25n }).map((n) => rawJson(String(n))),
  fc.constantFrom(
    rawJson('-0'),
    rawJson('1e21'),
    rawJson('1.0'),
    rawJson('-5'),
    rawJson('90071992547409931'),
    -0,
    1.5,
    1e21,
  ),
)

/** `orderUUID` as the newer Kuper API sends it (`"retailer-slug:<uuid>"`), and odd forms. */
const orderUuid = fc.oneof(
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,26}$/), fc.uuid()).map(([slug, uuid]) => `${slug}:${uuid}`),
  fc.constantFrom(
    '',
    ' ',
    null,
    'metro:\u0000',
    `${'x'.repeat(28)}:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f`,
    'lenta:\ud800',
  ),
  exactInteger,
)

/** Whole payloads built from the testkit's shapes, the fixtures' payloads and generated positions. */
const position = fc.record(
  {
    id: usually(fc.oneof(fc.stringMatching(/^[0-9]{4,13}$/), fc.nat(), fc.constantFrom(' 42 ', 'А-1'))),
    quantity: usually(fc.oneof(wireNumber, oddDecimal)),
    price: usually(fc.oneof(oddDecimal, wireNumber)),
    name: usually(fc.oneof(cyrillic, fc.constant(null))),
    originalQuantity: usually(fc.oneof(wireNumber, fc.constant(null))),
    discountPrice: usually(oddDecimal),
    totalPrice: usually(oddDecimal),
    totalDiscountPrice: usually(fc.oneof(oddDecimal, fc.constant(null))),
    weight: usually(fc.oneof(fc.stringMatching(/^[0-9]{1,4}$/), fc.nat(), fc.constant(''))),
    replacedByID: usually(fc.oneof(fc.stringMatching(/^[0-9]{4,13}$/), fc.constant(null), fc.constant(''))),
    uom: usually(fc.constantFrom('шт', 'кг')),
    markingCode: usually(fc.oneof(markingCodes, fc.constant(''))),
    markingCodes: usually(markingCodes),
  },
  { requiredKeys: ['id', 'quantity', 'price'] },
)
export const generatedOrder = fc.record(
  {
    originalOrderId: usually(
      fc.oneof(
        fc.stringMatching(/^H[0-9]{6,11}$/),
        fc.constantFrom(' H1 ', '', ' ', 'Ж'.repeat(64), 'H'.repeat(65), ` ${'H'.repeat(64)} `),
        fc.nat(),
        exactInteger,
      ),
    ),
    orderUUID: usually(orderUuid),
    storeID: usually(fc.oneof(fc.stringMatching(/^[0-9]{1,5}$/), fc.nat(), fc.constant(''))),
    store_id: usually(fc.oneof(fc.stringMatching(/^[0-9]{1,5}$/), fc.nat())),
    storeId: usually(fc.oneof(fc.stringMatching(/^[0-9]{1,5}$/), fc.constant(''))),
    shipmentMethod: usually(fc.constantFrom('by_courier', 'pickup', null, '')),
    shippingMethod: usually(fc.constantFrom('byCourier', 'pickup', null)),
    paymentMethod: usually(fc.constantFrom('SberGateway', 'CashDesk', '', null)),
    replacementPolicy: usually(fc.constantFrom('call_or_replace', 'remove', null)),
    comment: usually(cyrillic),
    customer: fc.oneof(
      fc.constant(''),
      fc.record(
        {
          name: usually(fc.oneof(cyrillic, fc.constant('Ив\ud800ан'), fc.constant('a\u0000b'))),
          phone: usually(fc.oneof(fc.stringMatching(/^\+7[0-9]{10}$/), fc.nat())),
          email: usually(fc.constantFrom('a@b.ru', 'fedor@пример.рф', null)),
        },
        { requiredKeys: [] },
      ),
      fc.constant(null),
    ),
    address: fc.record(
      {
        full_address: usually(cyrillic),
        city: usually(cyrillic),
        floor: usually(fc.oneof(fc.nat({ max: 30 }), fc.stringMatching(/^[0-9]{1,2}$/))),
        lat: usually(fc.oneof(fc.double({ min: -90, max: 90, noNaN: true }), fc.constant('55.76'))),
        delivery_to_door: usually(fc.constantFrom(true, false, 'true', 'false', 1, 0, '1', '0', null)),
      },
      { requiredKeys: [] },
    ),
    delivery: fc.record(
      {
        expectedFrom: usually(fc.constant('2026-05-24T15:00:00+03:00')),
        expectedTo: usually(fc.constantFrom('2026-05-24T16:00:00+03:00', null)),
      },
      { requiredKeys: [] },
    ),
    paymentMethods: usually(fc.oneof(fc.array(fc.constantFrom('card_online', 'cash', 'карта')), fc.constant(null))),
    positions: fc.array(position, { minLength: 0, maxLength: 6 }),
    total: fc.record(
      { totalPrice: usually(oddDecimal), discountTotalPrice: usually(fc.oneof(oddDecimal, wireNumber)) },
      { requiredKeys: [] },
    ),
  },
  // Now and then no originalOrderId: the key is then orderUUID, when there is one (docs/contract.md §3).
  { requiredKeys: ['positions'] },
)
