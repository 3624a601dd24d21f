import { expect } from 'chai'
import * as O from 'fp-ts/lib/Option.js'
import type { OriginalOrderId } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, anOrderCreated } from '../domain-builders.js'
import { aWirePosition } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'

/** Updates that overtake their `order.created`: kept pending, applied in the order received when it comes. */
export const pendingContract = (repository: RepositoryGetter): void => {
  describe('pending updates', () => {
    it('keeps status and change updates for an unknown key pending, without creating an order', async () => {
      const key = uniqueOrderId('P')
      const status = await applyAt(repository(), aStatusReported('order.paid', key), minute(0))
      const change = await applyAt(repository(), anOrderChanged({ originalOrderId: key }), minute(1))
      expect(status).to.deep.equal({ outcome: 'pending' })
      expect(change).to.deep.equal({ outcome: 'pending' })
      expect(O.isNone(await run(repository().findOrder(key as OriginalOrderId)))).to.equal(true)
    })

    it('applies pending updates in the order received when the order is created', async () => {
      const key = uniqueOrderId('P')
      const paid = aStatusReported('order.paid', key)
      const change = anOrderChanged({
        originalOrderId: key,
        comment: 'Пришло раньше заказа',
        positions: [aWirePosition({ id: 'NEW', quantity: 5 })],
      })
      const received = aStatusReported('order.received', key)
      const lateBackward = aStatusReported('order.paid', key)
      await applyAt(repository(), paid, minute(1))
      await applyAt(repository(), change, minute(2))
      await applyAt(repository(), received, minute(3))
      await applyAt(repository(), lateBackward, minute(4))
      const result = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(5))
      expect(result._tag).to.equal('Created')
      if (result._tag !== 'Created') return
      expect(result.pendingApplied).to.deep.equal([
        { update: paid.update, outcome: 'applied' },
        { update: change.update, outcome: 'applied' },
        { update: received.update, outcome: 'applied' },
        { update: lateBackward.update, outcome: 'stale' },
      ])
      const stored = await storedOrder(repository(), key)
      expect(stored.status).to.equal('handed_to_courier')
      expect(stored.content).to.deep.equal(change.update.content)
      expect(stored.payloadJson).to.equal(change.update.payloadJson)
      expect(stored).to.deep.equal(result.order)
    })

    it('applies pending updates once: a second create and later updates find them gone', async () => {
      const key = uniqueOrderId('P')
      await applyAt(repository(), aStatusReported('order.paid', key), minute(1))
      const first = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(2))
      const second = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(3))
      expect(second._tag).to.equal('AlreadyExists')
      expect(second.order).to.deep.equal(first.order)
      expect((await applyAt(repository(), aStatusReported('order.paid', key), minute(4))).outcome).to.equal('duplicate')
      expect(await storedOrder(repository(), key)).to.deep.equal(first.order)
    })

    it('keeps a cancel for an unknown key pending and creates the order cancelled', async () => {
      const key = uniqueOrderId('P')
      const cancel = aStatusReported('order.cancelled', key, {
        cancellation: { slug: 'timeout', description: 'Истекло время' },
      })
      expect((await applyAt(repository(), cancel, minute(1))).outcome).to.equal('pending')
      const result = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(2))
      expect(result._tag).to.equal('Created')
      if (result._tag !== 'Created') return
      expect(result.pendingApplied).to.deep.equal([{ update: cancel.update, outcome: 'applied' }])
      const stored = await storedOrder(repository(), key)
      expect(stored.status).to.equal('cancelled')
      expect(stored.cancellation).to.deep.equal({ slug: 'timeout', description: 'Истекло время' })
    })

    it('applies to an order only the updates pending for its own key', async () => {
      const mine = uniqueOrderId('P')
      const other = uniqueOrderId('P')
      await applyAt(repository(), aStatusReported('order.delivered', other), minute(1))
      const result = await createAt(repository(), anOrderCreated({ originalOrderId: mine }), minute(2))
      expect(result._tag === 'Created' ? result.pendingApplied : undefined).to.deep.equal([])
      expect((await storedOrder(repository(), mine)).status).to.equal('new')
    })
  })
}
