import { expect } from 'chai'
import * as O from 'fp-ts/lib/Option.js'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'
import { envelope, fullOrderPayload } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'
import { deliver, uniqueOrderUuid } from './order-keys.contract.js'

/** An order.created keyed by `orderUUID` alone: the whole order without `originalOrderId`. */
const uuidOnlyCreated = (uuid: string): string => {
  const { originalOrderId: _key, ...payload } = fullOrderPayload('x')
  return envelope('order.created', { ...payload, orderUUID: uuid }).body
}

const bothKeys = (
  eventType: string,
  key: string,
  uuid: string,
  extra: Readonly<Record<string, unknown>> = {},
): string =>
  envelope(eventType, {
    ...(eventType === 'order.created' || eventType === 'order.changed'
      ? fullOrderPayload(key)
      : { originalOrderId: key }),
    orderUUID: uuid,
    ...extra,
  }).body

const journalOf = async (repository: OrderRepository, key: string) =>
  (await run(repository.listJournal(key as OriginalOrderId))).map((r) => ({
    eventType: r.eventType,
    outcome: r.outcome,
    detail: r.detail,
  }))

const exists = async (repository: OrderRepository, key: string): Promise<boolean> =>
  O.isSome(await run(repository.findOrder(key as OriginalOrderId)))

/**
 * An event keyed by `originalOrderId` that no order has, with an `orderUUID` beside it that an order has (as its key:
 * created under the `orderUUID` alone; or as its `orderUuid`), reaches that order (docs/contract.md §4): a create
 * answers its number, an update applies to it, journaled under the order's key with a note naming the key it was
 * sent with. The order keeps its key. One SberMarket order never becomes two, also when the two creates race.
 */
export const orderUuidFirstContract = (repository: RepositoryGetter): void => {
  describe('order keys: an event with both keys reaches the order created under its orderUUID alone', () => {
    it('answers a create with both keys with the order created under the orderUUID: no second order, journaled under its key', async () => {
      const key = uniqueOrderId('UF')
      const uuid = uniqueOrderUuid('auchan')
      const first = await deliver(repository(), uuidOnlyCreated(uuid), minute(0))
      expect(first.created?._tag).to.equal('Created')
      const again = await deliver(repository(), bothKeys('order.created', key, uuid), minute(1))
      expect(again.created?._tag).to.equal('AlreadyExists')
      expect(again.created?.order).to.include({ originalOrderId: uuid, number: first.created?.order.number })
      expect(await exists(repository(), key)).to.equal(false)
      expect(await journalOf(repository(), uuid)).to.deep.equal([
        { eventType: 'order.created', outcome: 'created', detail: null },
        {
          eventType: 'order.created',
          outcome: 'duplicate',
          detail: `reached by orderUUID ${uuid} (sent as originalOrderId ${key})`,
        },
      ])
      expect(await journalOf(repository(), key)).to.deep.equal([])
    })

    it('applies status events and a change with both keys to it; the order keeps the orderUUID as its key', async () => {
      const key = uniqueOrderId('UF')
      const uuid = uniqueOrderUuid('lenta')
      const first = await deliver(repository(), uuidOnlyCreated(uuid), minute(0))
      const paid = await deliver(repository(), bothKeys('order.paid', key, uuid), minute(1))
      expect(paid.updated?.outcome).to.equal('applied')
      expect(paid.updated?.order).to.include({ originalOrderId: uuid, status: 'paid' })
      expect(
        (await deliver(repository(), bothKeys('order.changed', key, uuid, { comment: 'с обоими ключами' }), minute(2)))
          .updated?.outcome,
      ).to.equal('applied')
      expect((await deliver(repository(), bothKeys('order.paid', key, uuid), minute(3))).updated?.outcome).to.equal(
        'duplicate',
      )
      expect(
        (
          await deliver(
            repository(),
            bothKeys('order.cancelled', key, uuid, { cancellation: { slug: 'out_of_stock' } }),
            minute(4),
          )
        ).updated?.outcome,
      ).to.equal('applied')

      const order = await storedOrder(repository(), uuid)
      expect(order).to.include({ originalOrderId: uuid, status: 'cancelled', number: first.created?.order.number })
      expect(order.content).to.include({ orderUuid: uuid, comment: 'с обоими ключами' })
      expect(await exists(repository(), key)).to.equal(false)
      const note = `reached by orderUUID ${uuid} (sent as originalOrderId ${key})`
      expect((await journalOf(repository(), uuid)).map((r) => [r.eventType, r.outcome, r.detail])).to.deep.equal([
        ['order.created', 'created', null],
        ['order.paid', 'applied', note],
        ['order.changed', 'applied', note],
        ['order.paid', 'duplicate', note],
        ['order.cancelled', 'applied', note],
      ])
      expect(await journalOf(repository(), key)).to.deep.equal([])
    })

    it('reaches, by an orderUUID beside a new key, the order created with that orderUUID beside another key', async () => {
      const [first, second] = [uniqueOrderId('UF'), uniqueOrderId('UF')]
      const uuid = uniqueOrderUuid('magnit')
      const created = await deliver(repository(), bothKeys('order.created', first, uuid), minute(0))
      const again = await deliver(repository(), bothKeys('order.created', second, uuid), minute(1))
      expect(again.created?._tag).to.equal('AlreadyExists')
      expect(again.created?.order).to.include({ originalOrderId: first, number: created.created?.order.number })
      expect((await deliver(repository(), bothKeys('order.paid', second, uuid), minute(2))).updated?.order).to.include({
        originalOrderId: first,
        status: 'paid',
      })
      expect(await exists(repository(), second)).to.equal(false)
    })

    it('goes to the order of its own key when there is one, whatever has its orderUUID', async () => {
      const key = uniqueOrderId('UF')
      const uuid = uniqueOrderUuid('okey')
      await deliver(repository(), uuidOnlyCreated(uuid), minute(0))
      await deliver(repository(), envelope('order.created', fullOrderPayload(key)).body, minute(1))
      const paid = await deliver(repository(), bothKeys('order.paid', key, uuid), minute(2))
      expect(paid.updated?.order).to.include({ originalOrderId: key, status: 'paid' })
      expect((await storedOrder(repository(), uuid)).status).to.equal('new')
      expect((await journalOf(repository(), key)).map((r) => r.detail)).to.deep.equal([null, null])
    })

    it('keeps an event with both keys pending under its key when no order has either', async () => {
      const key = uniqueOrderId('UF')
      const uuid = uniqueOrderUuid('okey')
      expect((await deliver(repository(), bothKeys('order.paid', key, uuid), minute(0))).updated).to.deep.equal({
        outcome: 'pending',
      })
      expect(await journalOf(repository(), key)).to.deep.equal([
        { eventType: 'order.paid', outcome: 'pending', detail: null },
      ])
      // Its create with both keys applies it, as before.
      const created = await deliver(repository(), bothKeys('order.created', key, uuid), minute(1))
      expect(created.created?._tag === 'Created' ? created.created.order.status : undefined).to.equal('paid')
    })

    it('creates one order when a create under the orderUUID alone and one with both keys race (10 rounds)', async () => {
      for (let round = 0; round < 10; round += 1) {
        const key = uniqueOrderId('UF')
        const uuid = uniqueOrderUuid('vkusvill')
        const bodies =
          round % 2 === 0
            ? [uuidOnlyCreated(uuid), bothKeys('order.created', key, uuid)]
            : [bothKeys('order.created', key, uuid), uuidOnlyCreated(uuid)]
        const results = await Promise.all(bodies.map((body) => deliver(repository(), body, minute(0))))
        const tags = results.map((r) => r.created?._tag).sort()
        expect(tags, `round ${round}`).to.deep.equal(['AlreadyExists', 'Created'])
        const [a, b] = results.map((r) => r.created?.order)
        expect(a?.number, `round ${round}`).to.equal(b?.number)
        expect(a?.originalOrderId, `round ${round}`).to.equal(b?.originalOrderId)
        const orders = [await exists(repository(), key), await exists(repository(), uuid)]
        expect(orders.filter(Boolean), `round ${round}: ${orders.join()}`).to.have.length(1)
        const winner = a?.originalOrderId ?? ''
        expect((await journalOf(repository(), winner)).map((r) => r.outcome).sort(), `round ${round}`).to.deep.equal([
          'created',
          'duplicate',
        ])
      }
    })
  })
}
