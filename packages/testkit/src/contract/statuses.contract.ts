import { expect } from 'chai'
import { orderStateOf, type OrderRepository } from '@domino-sm/core'
import { aStatusReported, anOrderCreated } from '../domain-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, minute, storedOrder, type RepositoryGetter } from './contract-support.js'

const EVENT_OF = {
  paid: 'order.paid',
  handed_to_courier: 'order.received',
  delivered: 'order.delivered',
  cancelled: 'order.cancelled',
} as const
type Reported = keyof typeof EVENT_OF

const CANCELLATION = { cancellation: { slug: 'client_refused', description: 'Клиент отказался от заказа' } }

/** Creates an order and moves it through `path`, each step one minute later; returns its key. */
const orderAt = async (repository: OrderRepository, path: readonly Reported[]): Promise<string> => {
  const key = uniqueOrderId('S')
  await createAt(repository, anOrderCreated({ originalOrderId: key }), minute(0))
  for (const [index, status] of path.entries()) {
    const result = await applyAt(
      repository,
      aStatusReported(EVENT_OF[status], key, status === 'cancelled' ? CANCELLATION : {}),
      minute(index + 1),
    )
    if (result.outcome !== 'applied') throw new Error(`setting up ${key}: ${status} was ${result.outcome}`)
  }
  return key
}

/**
 * `applyUpdate` with status events: forward only, duplicates and stale events change nothing. What is stored is read
 * back whole after each event (lines, payload, customer included) and compared with what was stored before it plus
 * the status, its time and its cancellation: a store that decides a status event on the order's state alone must
 * keep everything else as it was. The result answers the order's state (`orderStateOf` of what is stored).
 */
export const statusesContract = (repository: RepositoryGetter): void => {
  describe('status updates', () => {
    it('applies each forward move and stores it, with the time of the update', async () => {
      const key = await orderAt(repository(), [])
      for (const [index, status] of (['paid', 'handed_to_courier', 'delivered'] as const).entries()) {
        const before = await storedOrder(repository(), key)
        const result = await applyAt(repository(), aStatusReported(EVENT_OF[status], key), minute(10 + index))
        expect(result.outcome, status).to.equal('applied')
        expect(result.order?.status).to.equal(status)
        const stored = await storedOrder(repository(), key)
        expect(stored).to.deep.equal({ ...before, status, updatedAt: minute(10 + index) })
        expect(stored.content.positions).to.have.length.above(0)
        expect(result.order).to.deep.equal(orderStateOf(stored))
        expect(stored.createdAt).to.deep.equal(minute(0))
      }
    })

    it('applies a move that skips ahead (new -> delivered)', async () => {
      const key = await orderAt(repository(), [])
      const result = await applyAt(repository(), aStatusReported('order.delivered', key), minute(20))
      expect(result.outcome).to.equal('applied')
      expect((await storedOrder(repository(), key)).status).to.equal('delivered')
    })

    it('answers a repeat with duplicate and changes nothing', async () => {
      const key = await orderAt(repository(), ['paid'])
      const before = await storedOrder(repository(), key)
      const result = await applyAt(repository(), aStatusReported('order.paid', key), minute(30))
      expect(result.outcome).to.equal('duplicate')
      expect(result.order).to.deep.equal(orderStateOf(before))
      expect(await storedOrder(repository(), key)).to.deep.equal(before)
    })

    it('answers a backward move with stale and changes nothing', async () => {
      const key = await orderAt(repository(), ['paid', 'handed_to_courier'])
      const before = await storedOrder(repository(), key)
      const result = await applyAt(repository(), aStatusReported('order.paid', key), minute(30))
      expect(result.outcome).to.equal('stale')
      expect(result.order).to.deep.equal(orderStateOf(before))
      expect(await storedOrder(repository(), key)).to.deep.equal(before)
    })

    it('answers anything after delivered with stale, cancelled included', async () => {
      const key = await orderAt(repository(), ['delivered'])
      const before = await storedOrder(repository(), key)
      for (const eventType of ['order.paid', 'order.received', 'order.cancelled']) {
        const result = await applyAt(repository(), aStatusReported(eventType, key, CANCELLATION), minute(40))
        expect(result.outcome, eventType).to.equal('stale')
      }
      expect(await storedOrder(repository(), key)).to.deep.equal(before)
    })

    for (const path of [[], ['paid'], ['paid', 'handed_to_courier']] as const) {
      it(`cancels an order in status ${path.at(-1) ?? 'new'} and keeps the reason`, async () => {
        const key = await orderAt(repository(), path)
        const before = await storedOrder(repository(), key)
        const result = await applyAt(repository(), aStatusReported('order.cancelled', key, CANCELLATION), minute(50))
        expect(result.outcome).to.equal('applied')
        const stored = await storedOrder(repository(), key)
        expect(stored).to.deep.equal({
          ...before,
          status: 'cancelled',
          cancellation: CANCELLATION.cancellation,
          updatedAt: minute(50),
        })
        expect(result.order).to.deep.equal(orderStateOf(stored))
      })
    }

    it('keeps a reason given as text, and no reason when none is given', async () => {
      const withText = await orderAt(repository(), [])
      await applyAt(
        repository(),
        aStatusReported('order.canceled', withText, { cancellationReason: 'Нет в наличии' }),
        minute(5),
      )
      expect((await storedOrder(repository(), withText)).cancellation).to.deep.equal({ description: 'Нет в наличии' })
      const without = await orderAt(repository(), [])
      await applyAt(repository(), aStatusReported('order.cancelled', without), minute(5))
      const stored = await storedOrder(repository(), without)
      expect(stored.status).to.equal('cancelled')
      expect(stored).to.not.have.property('cancellation')
    })

    it('answers any status after cancelled with stale (a repeated cancel is a duplicate)', async () => {
      const key = await orderAt(repository(), ['cancelled'])
      const before = await storedOrder(repository(), key)
      for (const eventType of ['order.paid', 'order.received', 'order.delivered']) {
        expect((await applyAt(repository(), aStatusReported(eventType, key), minute(60))).outcome, eventType).to.equal(
          'stale',
        )
      }
      expect((await applyAt(repository(), aStatusReported('order.cancelled', key), minute(61))).outcome).to.equal(
        'duplicate',
      )
      expect(await storedOrder(repository(), key)).to.deep.equal(before)
    })
  })
}
