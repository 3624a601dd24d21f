import { expect } from 'chai'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type OrderCreated } from '@domino-sm/core'
import { envelope, orderCreatedBody } from '@domino-sm/testkit'
import { mutate } from '../support/wire-arbitraries.js'

const RUNS = 300

/** decodeHookBody must answer every input with an Either; a throw would become a 500 at the edge. */
const decodesWithoutThrowing = (body: string): boolean => {
  const result = decodeHookBody(body)
  return E.isLeft(result) || E.isRight(result)
}

const EVENT_TYPES = [
  'order.created',
  'order.changed',
  'order.updated',
  'order.paid',
  'order.received',
  'order.delivered',
  'order.cancelled',
  'order.canceled',
  'order.unknown',
]

/** A decimal amount as the wire sends it ("129.90", "500") and the kopecks it means, computed with BigInt. */
const decimalRoubles = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.nat({ max: 99 }), fc.integer({ min: 0, max: 2 }))
  .map(([whole, cents, digits]) => {
    const fraction = digits === 0 ? '' : digits === 1 ? String(Math.floor(cents / 10)) : String(cents).padStart(2, '0')
    const text = fraction === '' ? String(whole) : `${whole}.${fraction}`
    const kopecks = whole * 100n + BigInt((fraction + '00').slice(0, 2))
    return { text, kopecks }
  })

/** A quantity with up to three decimals, as text or as a JSON number, and its thousandths. */
const quantity = fc
  .tuple(fc.nat({ max: 100000 }), fc.nat({ max: 999 }), fc.boolean())
  .map(([whole, thousandths, asNumber]) => {
    const text = thousandths === 0 ? String(whole) : `${whole}.${String(thousandths).padStart(3, '0')}`
    return { wire: asNumber ? Number(text) : text, thousandths: BigInt(whole) * 1000n + BigInt(thousandths) }
  })

const position = fc.record({ id: fc.stringMatching(/^[0-9]{4,13}$/), price: decimalRoubles, quantity })

/** JSON text nested `depth` levels deep, built as text: JSON.stringify itself overflows the stack long before. */
const nestedJson = (depth: number, open: string, close: string): string =>
  `${open.repeat(depth)}1${close.repeat(depth)}`

describe('decodeHookBody under hostile input (property-based)', () => {
  it('never throws for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), decodesWithoutThrowing), { numRuns: RUNS })
  })

  it('never throws for arbitrary JSON values, and rejects anything that is not an object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = decodeHookBody(JSON.stringify(value))
        if (value === null || typeof value !== 'object' || Array.isArray(value))
          return E.isLeft(result) && result.left._tag === 'MalformedEnvelope'
        return E.isLeft(result) || E.isRight(result)
      }),
      { numRuns: RUNS },
    )
  })

  it('never throws for any event type with an arbitrary payload', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...EVENT_TYPES),
        fc.constantFrom('event_type', 'event-type'),
        fc.jsonValue(),
        (type, key, payload) => decodesWithoutThrowing(envelope(type, payload, key).body),
      ),
      { numRuns: RUNS },
    )
  })

  it('never throws for a valid order.created with one part replaced by an arbitrary value or removed', () => {
    const base = orderCreatedBody({ originalOrderId: 'H52417390815' }).json
    const replacement = fc.oneof(
      fc.jsonValue(),
      fc.constant(undefined),
      fc.double(),
      fc.bigInt().map(String),
      fc.string({ unit: 'binary' }),
    )
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), replacement, (path, value) => {
        const mutated = mutate(base, path, value)
        return mutated === undefined || decodesWithoutThrowing(JSON.stringify(mutated))
      }),
      { numRuns: RUNS },
    )
  })

  it('decodes generated valid orders with exact kopecks and quantities, equal to the decimal input', () => {
    fc.assert(
      fc.property(fc.array(position, { minLength: 1, maxLength: 8 }), decimalRoubles, (positions, total) => {
        const wire = positions.map((p) => ({ id: p.id, price: p.price.text, quantity: p.quantity.wire }))
        const body = orderCreatedBody(
          { originalOrderId: 'H1', positions: wire, total: { totalPrice: total.text } },
          { minimal: true },
        ).body
        const decoded = decodeHookBody(body)
        if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent') return false
        const event = decoded.right.event as OrderCreated
        expect(event._tag).to.equal('OrderCreated')
        expect(event.content.positions.map((l) => BigInt(l.price))).to.deep.equal(positions.map((p) => p.price.kopecks))
        expect(event.content.positions.map((l) => BigInt(l.quantity))).to.deep.equal(
          positions.map((p) => p.quantity.thousandths),
        )
        expect(BigInt(event.content.total?.totalPrice ?? -1)).to.equal(total.kopecks)
        return true
      }),
      { numRuns: RUNS },
    )
  })

  it('rejects prices and quantities beyond exact integers instead of rounding them', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 14n, max: 10n ** 40n }), (huge) => {
        const body = orderCreatedBody(
          { originalOrderId: 'H1', positions: [{ id: '1', quantity: 1, price: String(huge) }] },
          { minimal: true },
        ).body
        const strict = decodeHookBody(body, 'reject')
        const review = decodeHookBody(body)
        // Never rounded: refused by the strict reader, and left out (with its reason) by the reader for review.
        const reviewed =
          E.isRight(review) && review.right._tag === 'KnownEvent' && review.right.event._tag === 'OrderCreated'
            ? review.right.event
            : undefined
        return (
          E.isLeft(strict) &&
          strict.left._tag === 'InvalidPayload' &&
          reviewed?.content.positions.length === 0 &&
          (reviewed.unread?.length ?? 0) > 0
        )
      }),
      { numRuns: 100 },
    )
  })

  it('survives deep nesting: 10000 levels as the body, as the payload, and inside an order', () => {
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const deep = nestedJson(10000, open, close)
      expect(decodesWithoutThrowing(deep)).to.equal(true)
      expect(decodesWithoutThrowing(`{"event_type":"order.paid","payload":${deep}}`)).to.equal(true)
      expect(
        decodesWithoutThrowing(`{"event_type":"order.paid","payload":{"originalOrderId":"H1","extra":${deep}}}`),
      ).to.equal(true)
      const order = `{"event_type":"order.created","payload":{"originalOrderId":"H1","positions":[{"id":"1","quantity":1,"price":"65"}],"extra":${deep}}}`
      expect(decodesWithoutThrowing(order)).to.equal(true)
    }
    expect(decodesWithoutThrowing(nestedJson(100000, '[', ']'))).to.equal(true)
  })
})
