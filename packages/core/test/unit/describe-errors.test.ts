import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody } from '@domino-sm/core'
import { envelope } from '@domino-sm/testkit'

// describeErrors is internal to core; it is tested through the one function that uses it.
const detailOf = (eventType: string, payload: unknown): string => {
  const result = decodeHookBody(envelope(eventType, payload).body, 'reject')
  if (E.isRight(result)) throw new Error('decoded')
  return result.left.detail
}

const line = { id: 'A', quantity: 1, price: '1' }

describe('describeErrors (through decodeHookBody)', () => {
  it('names a missing field by its path from payload', () => {
    expect(detailOf('order.created', { originalOrderId: 'K', positions: [line, { id: 'B', price: '1' }] })).to.equal(
      'payload.positions.1.quantity: is required',
    )
  })

  it("uses the codec's message when it has one", () => {
    expect(detailOf('order.created', { originalOrderId: 'K', positions: [{ ...line, totalPrice: '1.234' }] })).to.equal(
      'payload.positions.0.totalPrice: more than 2 decimal places: "1.234"',
    )
  })

  it('says "has the wrong type" for a union that fails, with no union member in the path', () => {
    expect(detailOf('order.created', { originalOrderId: 'K', positions: [line], address: ['x'] })).to.equal(
      'payload.address: has the wrong type',
    )
    expect(detailOf('order.created', { originalOrderId: 'K', positions: [line], customer: 'Иван' })).to.equal(
      'payload.customer: has the wrong type',
    )
  })

  it('reports each path once, and at most three paths', () => {
    const detail = detailOf('order.created', {
      originalOrderId: 'K',
      positions: [{ id: '' }, { price: 'x' }, line],
      comment: {},
    })
    const parts = detail.split('; ')
    expect(parts).to.have.length(3)
    expect(new Set(parts.map((part) => part.split(':')[0])).size).to.equal(3)
    expect(parts[0]).to.equal('payload.positions.0.id: must not be blank')
  })

  it('says "is required" for a missing value and names the type for a wrong one', () => {
    expect(detailOf('order.paid', {})).to.equal('payload.originalOrderId: is required')
    expect(detailOf('order.paid', { originalOrderId: true })).to.equal('payload.originalOrderId: expected text')
  })
})
