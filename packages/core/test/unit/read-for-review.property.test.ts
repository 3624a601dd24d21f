import { expect } from 'chai'
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody } from '@domino-sm/core'
import { parseWithExactKeys } from '../../dist/wire/exact-key.js'
import { readPayloadKey } from '../../dist/wire/order-key.js'
import { anyValue, envelopeOf, generatedOrder, mutate } from '../support/wire-arbitraries.js'

/**
 * The reading for review (docs/contract.md §2) against the strict reading, over generated and mutated order
 * payloads: whatever the strict reader accepts reads the same under the default policy, with no reason; and an
 * `order.created` or `order.changed` whose key can be read is never a problem (never a 4xx) under it.
 */
const ORDER_TYPES = fc.constantFrom('order.created', 'order.changed', 'order.updated')
const tally = { bodies: 0, strictlyAccepted: 0, readForReview: 0 }

const check = (type: string, payload: unknown): boolean => {
  tally.bodies += 1
  const raw = envelopeOf(type, payload)
  const strict = decodeHookBody(raw, 'reject')
  const review = decodeHookBody(raw)
  if (E.isRight(strict)) {
    tally.strictlyAccepted += 1
    expect(review, raw.slice(0, 300)).to.deep.equal(strict)
    return true
  }
  // The key as the body's text holds it (an integer key's digits, not the generator's value): docs/contract.md §3.
  const sent = (parseWithExactKeys(raw) as { readonly payload?: unknown }).payload
  const hasKey =
    typeof sent === 'object' &&
    sent !== null &&
    !Array.isArray(sent) &&
    readPayloadKey(sent as Record<string, unknown>)._tag === 'Key'
  if (!hasKey) {
    expect(review, raw.slice(0, 300)).to.deep.equal(strict)
    return true
  }
  expect(E.isRight(review), `a readable key was refused: ${raw.slice(0, 300)}`).to.equal(true)
  if (E.isRight(review) && review.right._tag === 'KnownEvent') {
    const event = review.right.event
    const reasons =
      event._tag === 'OrderCreated' ? event.unread : event._tag === 'ChangeUnreadable' ? event.reasons : undefined
    expect(reasons, raw.slice(0, 300)).to.be.an('array').that.is.not.empty
    tally.readForReview += 1
  }
  return true
}

describe('reading orders for review (property-based)', () => {
  after(() => {
    process.stdout.write(
      `      read for review: ${tally.bodies} bodies, ${tally.strictlyAccepted} strictly accepted, ${tally.readForReview} read for review\n`,
    )
  })

  it('agrees with the strict reader on what it accepts, and never refuses a readable key', () => {
    fc.assert(
      fc.property(ORDER_TYPES, generatedOrder, (type, payload) => check(type, payload)),
      { numRuns: 2000 },
    )
  })

  it('holds for payloads with one part replaced or removed anywhere', () => {
    fc.assert(
      fc.property(
        ORDER_TYPES,
        generatedOrder,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.option(anyValue, { nil: undefined }),
        (type, payload, path, value) => check(type, mutate(payload, path, value)),
      ),
      { numRuns: 3000 },
    )
  })
})
