import { expect } from 'chai'
import * as O from 'fp-ts/lib/Option.js'
import type { OriginalOrderId } from '@domino-sm/core'
import { anOrderCreated } from '../domain-builders.js'
import { aWeighedWirePosition, aWirePosition } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { createAt, minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'

/** `createOrGet` and `findOrder`: one order per key, its number, its content round-tripped exactly. */
export const createOrGetContract = (repository: RepositoryGetter): void => {
  describe('createOrGet and findOrder', () => {
    it('creates a new order with a non-empty number, status new and no pending applied', async () => {
      const key = uniqueOrderId('C')
      const result = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
      expect(result._tag).to.equal('Created')
      if (result._tag !== 'Created') return
      expect(result.order.number).to.be.a('string').and.not.equal('')
      expect(result.order.originalOrderId).to.equal(key)
      expect(result.order.status).to.equal('new')
      expect(result.pendingApplied).to.deep.equal([])
      expect(await storedOrder(repository(), key)).to.deep.equal(result.order)
    })

    it('answers a second create with AlreadyExists, the same number and the first content', async () => {
      const key = uniqueOrderId('C')
      const first = anOrderCreated({ originalOrderId: key })
      const second = anOrderCreated({
        originalOrderId: key,
        comment: 'Другой комментарий',
        positions: [aWirePosition({ id: 'OTHER', price: '1.00' })],
      })
      const created = await createAt(repository(), first, minute(0))
      const again = await createAt(repository(), second, minute(5))
      expect(again._tag).to.equal('AlreadyExists')
      expect(again.order.number).to.equal(created.order.number)
      expect(again.order.content).to.deep.equal(first.content)
      expect(again.order.payloadJson).to.equal(first.payloadJson)
      expect(await storedOrder(repository(), key)).to.deep.equal(created.order)
    })

    it('gives different keys different numbers', async () => {
      const numbers: string[] = []
      for (let i = 0; i < 5; i += 1) {
        const result = await createAt(repository(), anOrderCreated({ originalOrderId: uniqueOrderId('C') }), minute(i))
        numbers.push(result.order.number)
      }
      expect(new Set(numbers).size).to.equal(numbers.length)
    })

    it('round-trips a full order exactly: kopecks, fractional quantities, Cyrillic, payloadJson, dates', async () => {
      const key = uniqueOrderId('C')
      const event = anOrderCreated({ originalOrderId: key })
      const created = await createAt(repository(), event, minute(1))
      const stored = await storedOrder(repository(), key)
      expect(stored).to.deep.equal({
        originalOrderId: key,
        number: created.order.number,
        status: 'new',
        content: event.content,
        payloadJson: event.payloadJson,
        createdAt: minute(1),
        updatedAt: minute(1),
      })
      expect(stored.content.positions[0]?.price).to.equal(12990)
      expect(stored.content.positions[1]?.quantity).to.equal(455)
      expect(stored.content.customer?.name).to.equal('Иван Петров')
    })

    it('round-trips extreme money and quantities exactly', async () => {
      const key = uniqueOrderId('C')
      const event = anOrderCreated({
        originalOrderId: key,
        positions: [
          aWirePosition({ id: 'A', price: '0.01', quantity: 0.001, totalPrice: '0' }),
          aWeighedWirePosition({ id: 'B', price: '1234567.89', quantity: '1000.5', totalPrice: '1235185172.84' }),
          aWirePosition({ id: 'C', price: 99.9, quantity: 3 }),
        ],
        total: { totalPrice: '99999999.99', discountTotalPrice: '0.10' },
      })
      await createAt(repository(), event, minute(2))
      const stored = await storedOrder(repository(), key)
      expect(stored.content).to.deep.equal(event.content)
      expect(stored.content.positions.map((line) => [line.price, line.quantity])).to.deep.equal([
        [1, 1],
        [123456789, 1000500],
        [9990, 3000],
      ])
    })

    it('keeps absent optional fields absent and present ones present', async () => {
      const key = uniqueOrderId('C')
      const event = anOrderCreated(
        {
          originalOrderId: key,
          comment: null,
          customer: { name: 'Ёлкина Мария', phone: null },
          address: { full_address: 'Санкт-Петербург, Невский пр., 1' },
          positions: [{ id: 'ONLY', quantity: 1, price: '65', name: 'Кефир' }],
        },
        { minimal: true },
      )
      await createAt(repository(), event, minute(3))
      const stored = await storedOrder(repository(), key)
      expect(stored.content).to.deep.equal({
        paymentMethods: [],
        customer: { name: 'Ёлкина Мария' },
        address: { fullAddress: 'Санкт-Петербург, Невский пр., 1' },
        positions: [{ sku: 'ONLY', name: 'Кефир', quantity: 1000, price: 6500 }],
      })
      expect(stored).to.not.have.property('cancellation')
    })

    it('finds nothing for a key it does not have', async () => {
      const found = await run(repository().findOrder(uniqueOrderId('C') as OriginalOrderId))
      expect(O.isNone(found)).to.equal(true)
    })
  })
}
