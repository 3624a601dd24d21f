import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  decodeHookBody,
  type ChangeUnreadable,
  type HookProblem,
  type OrderCreated,
  type UnreadablePolicy,
} from '@domino-sm/core'

/** Every payload form of docs/contract.md §3 that the public receivers show, each by its name. */

const body = (eventType: string, payload: unknown): string => JSON.stringify({ event_type: eventType, payload })
const line = { id: '4601234567890', quantity: 1, price: '10.50' }

const created = (payload: unknown, policy: UnreadablePolicy = 'review'): OrderCreated => {
  const decoded = decodeHookBody(body('order.created', payload), policy)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent' || decoded.right.event._tag !== 'OrderCreated') {
    throw new Error(`not an order.created: ${JSON.stringify(decoded)}`)
  }
  return decoded.right.event
}

const problem = (raw: string, policy: UnreadablePolicy = 'review'): HookProblem => {
  const decoded = decodeHookBody(raw, policy)
  if (E.isRight(decoded)) throw new Error(`accepted: ${JSON.stringify(decoded.right)}`)
  return decoded.left
}

describe('decodeHookBody: the payload forms seen in public', () => {
  describe('aliases', () => {
    it('store_id alias', () =>
      expect(created({ originalOrderId: 'H1', store_id: '42', positions: [line] }).content.storeId).to.equal('42'))
    it('storeId alias', () =>
      expect(created({ originalOrderId: 'H1', storeId: 42, positions: [line] }).content.storeId).to.equal('42'))
    it('storeID wins over store_id when both are given, and "" gives way to the alias', () => {
      expect(
        created({ originalOrderId: 'H1', storeID: '1', store_id: '2', positions: [line] }).content.storeId,
      ).to.equal('1')
      expect(
        created({ originalOrderId: 'H1', storeID: '', store_id: '2', positions: [line] }).content.storeId,
      ).to.equal('2')
    })
    it('shippingMethod alias', () =>
      expect(
        created({ originalOrderId: 'H1', shippingMethod: 'byCourier', positions: [line] }).content.shipmentMethod,
      ).to.equal('byCourier'))
    it('singular paymentMethod', () => {
      expect(
        created({ originalOrderId: 'H1', paymentMethod: 'SberGateway', positions: [line] }).content.paymentMethods,
      ).to.deep.equal(['SberGateway'])
      expect(
        created({
          originalOrderId: 'H1',
          paymentMethods: ['CashDesk'],
          paymentMethod: 'SberGateway',
          positions: [line],
        }).content.paymentMethods,
      ).to.deep.equal(['CashDesk'])
    })
  })

  describe('empty strings and null are absent', () => {
    it('empty discountPrice is absent', () => {
      const order = created({
        originalOrderId: 'H1',
        positions: [{ ...line, discountPrice: '', weight: '', replacedByID: '' }],
      })
      expect(order.unread).to.equal(undefined)
      expect(order.content.positions[0]).to.deep.equal({ sku: '4601234567890', quantity: 1000, price: 1050 })
    })
    it('empty comment, null customer name, "" customer are absent', () => {
      const order = created({
        originalOrderId: 'H1',
        comment: '',
        customer: { name: null, phone: '89000000000' },
        positions: [line],
      })
      expect(order.content.comment).to.equal(undefined)
      expect(order.content.customer).to.deep.equal({ phone: '89000000000' })
      expect(
        created({ originalOrderId: 'H1', customer: '', address: null, positions: [line] }).content.customer,
      ).to.equal(undefined)
    })
  })

  describe('numbers and text swapped', () => {
    it('integer originalOrderId', () =>
      expect(created({ originalOrderId: 1234567890, positions: [line] }).originalOrderId).to.equal('1234567890'))
    it('prices as numbers, quantities as text', () => {
      const order = created({
        originalOrderId: 'H1',
        positions: [{ id: 42, quantity: '5.0', price: 287.5, totalPrice: 1437.5 }],
      })
      expect(order.content.positions[0]).to.deep.equal({ sku: '42', quantity: 5000, price: 28750, totalPrice: 143750 })
    })
  })

  describe('marking codes', () => {
    const GS = '\u001d'
    const codesOf = (markingCode: unknown, key = 'markingCode'): unknown =>
      created({ originalOrderId: 'H1', positions: [{ ...line, [key]: markingCode }] }).content.positions[0]
        ?.markingCodes
    it('markingCode [{value}]', () =>
      expect(
        codesOf([{ value: `0104601234567890215abc${GS}93Ab1` }, { value: '0104601234567890215def' }]),
      ).to.deep.equal([`0104601234567890215abc${GS}93Ab1`, '0104601234567890215def']))
    it('markingCode as strings, a single string, {code} and {cis}', () => {
      expect(codesOf(['A1', 'B2'])).to.deep.equal(['A1', 'B2'])
      expect(codesOf('A1')).to.deep.equal(['A1'])
      expect(codesOf([{ code: 'A1' }, { cis: 'B2' }])).to.deep.equal(['A1', 'B2'])
    })
    it('markingCodes and marking_codes spellings', () => {
      expect(codesOf(['A1'], 'markingCodes')).to.deep.equal(['A1'])
      expect(codesOf([{ value: 'A1' }], 'marking_codes')).to.deep.equal(['A1'])
    })
    it('empty marking codes are absent', () => {
      expect(codesOf([])).to.equal(undefined)
      expect(codesOf([{ value: '' }, ' '])).to.equal(undefined)
      expect(codesOf(null)).to.equal(undefined)
    })
    it('an unreadable marking code is a reason for review, the line kept without it', () => {
      const order = created({
        originalOrderId: 'H1',
        positions: [{ ...line, markingCode: [{ value: { nested: true } }] }],
      })
      expect(order.content.positions[0]?.markingCodes).to.equal(undefined)
      expect(order.unread).to.deep.equal([
        'position 1 (SKU "4601234567890"): markingCode [{"value":{"nested":true}}] could not be read (expected marking codes as text)',
      ])
    })
  })

  describe('orders that cannot be read whole are created for review', () => {
    it('a price "бесплатно" -> created for review, the other lines kept', () => {
      const order = created({ originalOrderId: 'H1', positions: [{ id: 'A', quantity: 1, price: 'бесплатно' }, line] })
      expect(order.content.positions.map((l) => l.sku)).to.deep.equal(['4601234567890'])
      expect(order.unread).to.deep.equal([
        'position 1 (SKU "A"): the price "бесплатно" could not be read (not a decimal number: "бесплатно"); the line was not recorded',
      ])
    })
    it('no positions -> created for review', () => {
      const order = created({ originalOrderId: 'H1', storeID: '7' })
      expect(order.content).to.deep.equal({ positions: [], paymentMethods: [], storeId: '7' })
      expect(order.unread).to.deep.equal(['no positions were sent'])
    })
    it('a position without a price -> created for review', () => {
      expect(created({ originalOrderId: 'H1', positions: [{ id: 'A', quantity: 1 }] }).unread).to.deep.equal([
        'position 1 (SKU "A"): the price is missing; the line was not recorded',
        'no position could be read',
      ])
    })
    it('a wrong type in the header is left out, the rest kept', () => {
      const order = created({ originalOrderId: 'H1', comment: { text: 'x' }, total: 'много', positions: [line] })
      expect(order.content.positions).to.have.length(1)
      expect(order.content.comment).to.equal(undefined)
      expect(order.unread).to.deep.equal([
        'comment {"text":"x"} could not be read (expected text)',
        'total is not an object; it was not read',
      ])
    })
    it('lone surrogate in customer name -> review, key intact, no personal data in the reason', () => {
      const raw =
        '{"event_type":"order.created","payload":{"originalOrderId":"H1","customer":{"name":"Ив\\ud800ан","phone":"89000000000"},"positions":[{"id":"A","quantity":1,"price":"1"}]}}'
      const decoded = decodeHookBody(raw)
      if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent' || decoded.right.event._tag !== 'OrderCreated')
        throw new Error('not created')
      const order = decoded.right.event
      expect(order.originalOrderId).to.equal('H1')
      expect(order.content.customer).to.deep.equal({ phone: '89000000000' })
      expect(order.unread).to.deep.equal([
        'customer.name could not be read (holds a lone surrogate, which cannot be stored)',
      ])
      expect(order.unread?.join(' ')).not.to.include('89000000000')
      // The payload as kept escapes the surrogate: JSON.stringify writes well-formed text.
      expect(order.payloadJson).to.include('\\ud800')
    })
    it('a NUL character in a comment -> review', () => {
      expect(created({ originalOrderId: 'H1', comment: 'a\u0000b', positions: [line] }).unread).to.deep.equal([
        'comment "a\\u0000b" could not be read (holds a NUL character, which cannot be stored)',
      ])
    })
    it('an order.changed that cannot be read -> ChangeUnreadable with the reasons and the payload', () => {
      const decoded = decodeHookBody(body('order.updated', { originalOrderId: 'H1', positions: [{ id: 'A' }] }))
      if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent') throw new Error('not decoded')
      const change = decoded.right.event as ChangeUnreadable
      expect(change._tag).to.equal('ChangeUnreadable')
      expect(change.reasons[0]).to.equal(
        'position 1 (SKU "A"): the quantity is missing, the price is missing; the line was not recorded',
      )
      expect(change.payloadJson).to.equal('{"originalOrderId":"H1","positions":[{"id":"A"}]}')
    })
  })

  describe('what stays 400', () => {
    it('no key, a blank key, a key of the wrong type', () => {
      expect(problem(body('order.created', { positions: [line] }))._tag).to.equal('InvalidPayload')
      expect(problem(body('order.created', { originalOrderId: '  ', positions: [line] }))._tag).to.equal(
        'InvalidPayload',
      )
      expect(problem(body('order.created', { originalOrderId: { id: 1 }, positions: [line] }))._tag).to.equal(
        'InvalidPayload',
      )
    })
    it('lone surrogate in the key -> 400, never a key with U+FFFD', () => {
      const p = problem('{"event_type":"order.created","payload":{"originalOrderId":"H\\udc001","positions":[]}}')
      expect(p._tag).to.equal('InvalidPayload')
      expect(p._tag === 'InvalidPayload' && p.originalOrderId).to.equal(undefined)
    })
    it('not JSON, a payload that is not an object', () => {
      expect(problem('{nope')._tag).to.equal('MalformedJson')
      expect(problem(body('order.created', 'H1'))._tag).to.equal('InvalidPayload')
    })
    it('reject policy -> 400 for what the default reads for review', () => {
      expect(
        problem(
          body('order.created', { originalOrderId: 'H1', positions: [{ id: 'A', quantity: 1, price: 'бесплатно' }] }),
          'reject',
        )._tag,
      ).to.equal('InvalidPayload')
      expect(problem(body('order.changed', { originalOrderId: 'H1' }), 'reject')._tag).to.equal('InvalidPayload')
    })
  })
})

describe('decodeHookBody: a cancellation reason that cannot be stored', () => {
  it('drops a reason holding a lone surrogate or NUL, and still cancels', () => {
    const decoded = decodeHookBody(
      '{"event_type":"order.canceled","payload":{"originalOrderId":"H1","cancellation":{"slug":"out_of_stock","description":"Нет\\udc00"},"cancellationReason":"a\\u0000"}}',
    )
    if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent') throw new Error('not decoded')
    expect(decoded.right.event).to.deep.equal({
      _tag: 'StatusReported',
      originalOrderId: 'H1',
      status: 'cancelled',
      cancellation: { slug: 'out_of_stock' },
    })
  })
})
