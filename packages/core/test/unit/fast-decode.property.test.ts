import { expect } from 'chai'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, eventKindOf } from '@domino-sm/core'
import { decodeHookBodyByCodecs } from '../../dist/wire/decode-hook-body.js'
import { fastOrderPayload } from '../../dist/wire/fast-order-payload.js'
import { fastStatusPayload } from '../../dist/wire/fast-status-payload.js'
import { WireOrderPayload } from '../../dist/wire/order-payload.codec.js'
import { WireStatusPayload } from '../../dist/wire/status-payload.codec.js'
import {
  aWeighedWirePosition,
  aWirePosition,
  FIXTURE_NAMES,
  fullOrderPayload,
  loadFixture,
  minimalOrderPayload,
} from '@domino-sm/testkit'
import {
  addField,
  anyValue,
  envelopeOf,
  EVENT_TYPES,
  eventKey,
  eventType,
  flipNumbers,
  generatedOrder,
  KNOWN_NAMES,
  mutate,
  placeField,
  TABLE_NAMES,
  tableField,
} from '../support/wire-arbitraries.js'

/**
 * The hot path's decoder (`fast-order-payload.ts`, `fast-status-payload.ts`) against the definition, the io-ts
 * codecs (a fast path is kept only where a property test proves it equal to the definition): over generated and mutated bodies, the fast path accepts a payload exactly
 * when the codecs do, and `decodeHookBody` gives deep-equal results to `decodeHookBodyByCodecs`, values and
 * problems alike (chai's deep equality tells -0 from 0 and a missing field from an undefined one).
 */

const tally = { bodies: 0, orderPayloads: 0, statusPayloads: 0, fastAccepted: 0, bothRejected: 0, rejectedBodies: 0 }

const isObject = (u: unknown): u is Readonly<Record<string, unknown>> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

/** The codecs accept an order payload: it decodes, and it has a position (decodeHookBody's own rule after them). */
const codecsAcceptOrder = (payload: unknown): boolean => {
  const decoded = WireOrderPayload.decode(payload)
  return E.isRight(decoded) && decoded.right.positions.length > 0
}

/** Checks one body both ways; true so that it can be a property. */
const agrees = (rawBody: string): boolean => {
  tally.bodies += 1
  const fast = decodeHookBody(rawBody)
  const reference = decodeHookBodyByCodecs(rawBody)
  expect(fast, rawBody.slice(0, 300)).to.deep.equal(reference)
  expect(decodeHookBody(rawBody, 'reject'), rawBody.slice(0, 300)).to.deep.equal(
    decodeHookBodyByCodecs(rawBody, 'reject'),
  )
  if (E.isLeft(reference)) tally.rejectedBodies += 1
  let body: unknown
  try {
    body = JSON.parse(rawBody)
  } catch {
    return true
  }
  if (!isObject(body) || !isObject(body['payload'])) return true
  const payload = body['payload']
  const type = body['event_type'] ?? body['event-type'] ?? body['eventType']
  const kind = typeof type === 'string' ? eventKindOf(type) : undefined
  if (kind === undefined) return true
  let fastAccepts: boolean
  let codecsAccept: boolean
  if (kind === 'created' || kind === 'changed') {
    tally.orderPayloads += 1
    fastAccepts = fastOrderPayload(payload) !== undefined
    codecsAccept = codecsAcceptOrder(payload)
  } else {
    tally.statusPayloads += 1
    fastAccepts = fastStatusPayload(payload, kind.status === 'cancelled') !== undefined
    codecsAccept = E.isRight(WireStatusPayload.decode(payload))
  }
  if (fastAccepts !== codecsAccept) {
    // Built only on a failure: JSON.stringify itself overflows on the deepest payloads below.
    expect.fail(
      `the fast path ${fastAccepts ? 'accepts' : 'rejects'} what the codecs ${codecsAccept ? 'accept' : 'reject'}: ${rawBody.slice(0, 300)}`,
    )
  }
  if (fastAccepts) tally.fastAccepted += 1
  else tally.bothRejected += 1
  return true
}

const fixturePayloads = FIXTURE_NAMES.map((name) => loadFixture(name).payload as unknown)
const basePayload = fc.oneof(
  fc.constantFrom(...fixturePayloads),
  fc.constant(fullOrderPayload('H52417390815')),
  fc.constant(minimalOrderPayload('H1')),
  fc.constant({
    originalOrderId: 'H2',
    positions: [aWirePosition(), aWeighedWirePosition(), aWirePosition({ quantity: '3', price: 65 })],
  }),
  generatedOrder,
)

describe('the fast decoding path equals the io-ts codecs (property-based)', () => {
  after(() => {
    // The counts the report quotes: how much each direction was exercised.
    process.stdout.write(
      `      fast path vs codecs: ${tally.bodies} bodies (${tally.rejectedBodies} rejected); ${tally.orderPayloads} order and ${tally.statusPayloads} status payloads; ` +
        `${tally.fastAccepted} accepted by both, ${tally.bothRejected} rejected by both, 0 disagreements\n`,
    )
  })

  it('agrees on every fixture, as sent and pretty-printed, under every event type spelling', () => {
    for (const name of FIXTURE_NAMES) {
      const fixture = loadFixture(name)
      agrees(JSON.stringify(fixture))
      agrees(JSON.stringify(fixture, null, 2))
      for (const type of EVENT_TYPES)
        for (const key of ['event_type', 'event-type', 'eventType']) agrees(envelopeOf(type, fixture.payload, key))
    }
  })

  it('agrees on every odd scalar, and on absence, in every field of a whole order and a cancellation (exhaustive)', () => {
    const TRICKY: readonly unknown[] = [
      undefined,
      null,
      true,
      false,
      '',
      ' ',
      'true',
      'false',
      '1',
      '0',
      1,
      0,
      -0,
      -1,
      0.5,
      1e21,
      [],
      {},
      ['a'],
      { a: 1 },
      'yes',
      'no',
      'да',
      'TRUE',
      ' true',
      '01',
      '1.0',
      '-0',
      '5,5',
      ' 12.30 ',
      '1.005',
      '129.900',
      '+5',
      '5.',
      '.5',
      '1e3',
      'NaN',
      'Ж'.repeat(65),
      ' H1 ',
    ]
    const leaves = (tree: unknown, path: readonly (string | number)[] = []): (readonly (string | number)[])[] =>
      tree !== null && typeof tree === 'object'
        ? [path, ...Object.entries(tree).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(tree) ? Number(k) : k]))]
        : [path]
    const setAt = (tree: unknown, path: readonly (string | number)[], value: unknown): unknown => {
      if (path.length === 0) return value
      const [head, ...rest] = path as [string | number, ...(string | number)[]]
      const copy: Record<string | number, unknown> = Array.isArray(tree)
        ? ([...(tree as unknown[])] as unknown as Record<number, unknown>)
        : { ...(tree as Record<string, unknown>) }
      if (rest.length === 0 && value === undefined && !Array.isArray(tree)) delete copy[head]
      else copy[head] = setAt(copy[head], rest, value)
      return copy
    }
    const order = fullOrderPayload('H52417390815')
    const cancellation = {
      originalOrderId: 'H1',
      cancellation: { slug: 'out_of_stock', description: 'Нет товара' },
      cancellationReason: 'Причина',
    }
    for (const [type, payload] of [
      ['order.created', order],
      ['order.cancelled', cancellation],
    ] as const) {
      for (const path of leaves(payload))
        for (const value of TRICKY) agrees(envelopeOf(type, setAt(payload, path, value)))
    }
  })

  it('agrees on generated orders, under every event type', () => {
    fc.assert(
      fc.property(eventType, eventKey, generatedOrder, (type, key, payload) => agrees(envelopeOf(type, payload, key))),
      { numRuns: 3000 },
    )
  })

  it('agrees when one part of a real order is replaced by an odd value or removed', () => {
    const replacement = fc.oneof(anyValue, fc.constant(undefined))
    fc.assert(
      fc.property(
        eventType,
        basePayload,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        replacement,
        (type, payload, path, value) => agrees(envelopeOf(type, mutate(payload, path, value))),
      ),
      { numRuns: 4000 },
    )
  })

  it('agrees when fields are added anywhere: unknown ones, and known names at the wrong level', () => {
    const name = fc.oneof(fc.constantFrom(...KNOWN_NAMES), fc.string({ maxLength: 8 }))
    fc.assert(
      fc.property(
        eventType,
        basePayload,
        fc.array(fc.nat(), { maxLength: 4 }),
        name,
        anyValue,
        (type, payload, path, field, value) => agrees(envelopeOf(type, addField(payload, path, field, value))),
      ),
      { numRuns: 2000 },
    )
  })

  it('agrees when any field of the table of wire forms is sent under any of its spellings (drawn from wire-forms.ts)', () => {
    fc.assert(
      fc.property(
        eventType,
        basePayload,
        fc.array(tableField, { minLength: 1, maxLength: 4 }),
        (type, payload, fields) => {
          const placed = fields.reduce<unknown>(
            (p, [placement, key, value]) => placeField(p, placement, key, value),
            payload,
          )
          return agrees(envelopeOf(type, placed))
        },
      ),
      { numRuns: 3000 },
    )
  })

  it('agrees when any spelling of the table is added anywhere, at its own level or at the wrong one', () => {
    fc.assert(
      fc.property(
        eventType,
        basePayload,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom(...TABLE_NAMES),
        anyValue,
        (type, payload, path, field, value) => agrees(envelopeOf(type, addField(payload, path, field, value))),
      ),
      { numRuns: 1000 },
    )
  })

  it('agrees with numbers sent as text and text sent as numbers', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('order.created', 'order.changed', 'order.paid'),
        basePayload,
        fc.boolean(),
        (type, payload, toText) => agrees(envelopeOf(type, flipNumbers(payload, toText))),
      ),
      { numRuns: 1000 },
    )
  })

  it('agrees on number literals as JSON text writes them (-0, 1.0, 1e2), which JSON.stringify never produces', () => {
    const literal = fc.oneof(
      fc.constantFrom(
        '-0',
        '-0.0',
        '0.0',
        '1.0',
        '1e2',
        '1E+2',
        '1.50',
        '-0e0',
        '0.4550',
        '2.000',
        '1e-3',
        '100e-2',
        '1e21',
        '1e-7',
        '-1',
        '9007199254740993',
      ),
      fc
        .tuple(
          fc.constantFrom('', '-'),
          fc.stringMatching(/^(0|[1-9][0-9]{0,15})$/),
          fc.stringMatching(/^(\.[0-9]{1,5})?$/),
          fc.stringMatching(/^([eE][+-]?[0-9]{1,2})?$/),
        )
        .map(([sign, whole, fraction, exponent]) => `${sign}${whole}${fraction}${exponent}`),
    )
    const SLOTS = ['Q', 'P', 'O', 'T', 'D', 'F', 'L', 'S', 'I']
    const template =
      '{"event_type":"order.created","payload":{"originalOrderId":"H1","storeID":S,"address":{"floor":F,"lat":L,"delivery_to_door":D},' +
      '"positions":[{"id":I,"quantity":Q,"price":P,"originalQuantity":O,"totalPrice":T}],"total":{"totalPrice":P}}}'
    fc.assert(
      fc.property(
        fc.array(literal, { minLength: SLOTS.length, maxLength: SLOTS.length }),
        fc.nat({ max: SLOTS.length - 1 }),
        (values, keep) => {
          // All slots but one hold a plain valid value, so that each literal is judged in a body that is otherwise fine.
          const valid: Record<string, string> = {
            Q: '1',
            P: '"10"',
            O: '2',
            T: '"10"',
            D: 'true',
            F: '3',
            L: '"55.7"',
            S: '"1437"',
            I: '"42"',
          }
          const body = template.replace(/\b([QPOTDFLSI])\b(?=[,}\]])/g, (slot) =>
            slot === SLOTS[keep] ? (values[keep] ?? '0') : (valid[slot] ?? '0'),
          )
          return agrees(body)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('agrees on status payloads with every guessed form of a cancellation reason', () => {
    const reason = fc.oneof(
      anyValue,
      fc.record({ slug: anyValue, description: anyValue }, { requiredKeys: [] }),
      fc.constant(undefined),
    )
    fc.assert(
      fc.property(
        eventType,
        eventKey,
        fc.oneof(fc.stringMatching(/^H[0-9]{1,11}$/), anyValue),
        reason,
        reason,
        reason,
        (type, key, id, a, b, c) =>
          agrees(
            envelopeOf(
              type,
              { originalOrderId: id, cancellation: a, cancellationReason: b, cancellation_reason: c, extra: 'лишнее' },
              key,
            ),
          ),
      ),
      { numRuns: 2000 },
    )
  })

  it('agrees on huge and deep values, and on payloads too deep to re-serialise', () => {
    const deep = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`
    const order = (extra: string, price = '"65"'): string =>
      `{"event_type":"order.created","payload":{"originalOrderId":"H1","positions":[{"id":"1","quantity":1,"price":${price}}],"extra":${extra}}}`
    for (const depth of [10, 1000, 10000]) {
      agrees(order(deep(depth)))
      agrees(`{"event_type":"order.paid","payload":{"originalOrderId":"H1","extra":${deep(depth)}}}`)
      agrees(
        `{"event_type":"order.created","payload":{"originalOrderId":"H1","positions":[{"id":${deep(depth)},"quantity":1,"price":"1"}]}}`,
      )
    }
    for (const price of [
      '1e400',
      '-1e400',
      '"1' + '0'.repeat(400) + '"',
      '1' + '0'.repeat(30),
      '"0.' + '0'.repeat(500) + '"',
      '129.90',
      '0.10000000000000001',
    ])
      agrees(order('null', price))
    const big = 'Ж'.repeat(200_000)
    agrees(envelopeOf('order.created', { ...fullOrderPayload('H3'), comment: big, customer: { name: big } }))
    agrees(
      envelopeOf('order.created', {
        ...fullOrderPayload('H4'),
        positions: Array.from({ length: 2000 }, (_, i) => aWirePosition({ id: String(i) })),
      }),
    )
  })

  it('exercised both directions thousands of times', () => {
    expect(tally.fastAccepted).to.be.greaterThan(2000)
    expect(tally.bothRejected).to.be.greaterThan(2000)
  })
})
