import { expect } from 'chai'
import { orderStateOf } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, anOrderCreated } from '../domain-builders.js'
import { aWeighedWirePosition, aWirePosition } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, minute, storedOrder, type RepositoryGetter } from './contract-support.js'

const THREE_LINES = [
  aWirePosition({ id: 'L1', quantity: 1, totalPrice: '129.90' }),
  aWeighedWirePosition({ id: 'L2', quantity: 0.512 }),
  aWirePosition({ id: 'L3', name: 'Хлеб «Дарницкий»', price: '58.50', replacedByID: '4601234000017' }),
]

/** `applyUpdate` with `order.changed`: content and lines replaced, number and status kept, final orders untouched. */
export const orderChangedContract = (repository: RepositoryGetter): void => {
  describe('order.changed: content changes', () => {
    it('replaces the content with more lines, keeping number and status', async () => {
      const key = uniqueOrderId('H')
      const created = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
      await applyAt(repository(), aStatusReported('order.paid', key), minute(1))
      const change = anOrderChanged({ originalOrderId: key, comment: 'Изменён при сборке', positions: THREE_LINES })
      const result = await applyAt(repository(), change, minute(2))
      expect(result.outcome).to.equal('applied')
      const stored = await storedOrder(repository(), key)
      expect(stored).to.deep.equal({
        ...created.order,
        status: 'paid',
        content: change.update.content,
        payloadJson: change.update.payloadJson,
        updatedAt: minute(2),
      })
      expect(stored.content.positions).to.have.length(3)
      expect(result.order).to.deep.equal(orderStateOf(stored))
    })

    it('replaces the content with fewer lines', async () => {
      const key = uniqueOrderId('H')
      await createAt(repository(), anOrderCreated({ originalOrderId: key, positions: THREE_LINES }), minute(0))
      const change = anOrderChanged(
        { originalOrderId: key, positions: [aWirePosition({ id: 'L9', quantity: 4 })] },
        { minimal: true },
      )
      expect((await applyAt(repository(), change, minute(1))).outcome).to.equal('applied')
      const stored = await storedOrder(repository(), key)
      expect(stored.content).to.deep.equal(change.update.content)
      expect(stored.content.positions.map((line) => line.sku)).to.deep.equal(['L9'])
    })

    for (const final of ['order.delivered', 'order.cancelled']) {
      it(`answers a change after ${final} with stale and keeps the content`, async () => {
        const key = uniqueOrderId('H')
        await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
        await applyAt(repository(), aStatusReported(final, key), minute(1))
        const before = await storedOrder(repository(), key)
        const result = await applyAt(
          repository(),
          anOrderChanged({ originalOrderId: key, positions: THREE_LINES }),
          minute(2),
        )
        expect(result.outcome).to.equal('stale')
        expect(result.order).to.deep.equal(orderStateOf(before))
        expect(await storedOrder(repository(), key)).to.deep.equal(before)
      })
    }
  })
}
