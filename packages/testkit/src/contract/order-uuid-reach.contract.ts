import { expect } from 'chai'
import * as O from 'fp-ts/lib/Option.js'
import type { OrderRepository, OriginalOrderId, StoreStats } from '@domino-sm/core'
import { envelope, fullOrderPayload } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'
import { deliver, uniqueOrderUuid } from './order-keys.contract.js'

const uuidOnly = (eventType: string, uuid: string, extra: Readonly<Record<string, unknown>> = {}): string =>
  envelope(eventType, { orderUUID: uuid, ...extra }).body

const bothKeysCreated = (key: string, uuid: string): string =>
  envelope('order.created', { ...fullOrderPayload(key), orderUUID: uuid }).body

/** A change keyed by `orderUUID` alone: the whole order without `originalOrderId`. */
const uuidOnlyChanged = (uuid: string, comment: string): string => {
  const { originalOrderId: _key, ...payload } = fullOrderPayload('x')
  return envelope('order.changed', { ...payload, orderUUID: uuid, comment }).body
}

/** The pending updates a store holds: its table is `pending_updates` or (SQL Server) `pending_update`. */
const pendingRows = (stats: StoreStats): number =>
  stats.tables.find((t) => /^pending_updates?$/.test(t.table))?.rows ?? -1

const journalOf = async (repository: OrderRepository, key: string) =>
  (await run(repository.listJournal(key as OriginalOrderId))).map((r) => ({
    eventType: r.eventType,
    outcome: r.outcome,
    detail: r.detail,
  }))

/**
 * An event keyed by `orderUUID` alone reaches the order created under its `originalOrderId` with that `orderUUID`
 * (docs/contract.md §4): applied to it and journaled under its key; the updates that overtook the create, kept under
 * either key, are applied by the create in the order received; a create keyed by the `orderUUID` alone answers that
 * order. Two instances racing agree: the store resolves the key inside its operation.
 */
export const orderUuidReachContract = (repository: RepositoryGetter): void => {
  describe('order keys: an event keyed by orderUUID alone reaches the order of its originalOrderId', () => {
    it('applies status events and a change keyed by orderUUID alone to the order created with both keys, journaled under its key', async () => {
      const key = uniqueOrderId('UR')
      const uuid = uniqueOrderUuid('auchan')
      const created = await deliver(repository(), bothKeysCreated(key, uuid), minute(0))
      expect(created.created?._tag).to.equal('Created')
      const paid = await deliver(repository(), uuidOnly('order.paid', uuid), minute(1))
      expect(paid.updated?.outcome).to.equal('applied')
      expect(paid.updated?.order).to.include({ originalOrderId: key, status: 'paid' })
      expect((await deliver(repository(), uuidOnlyChanged(uuid, 'по orderUUID'), minute(2))).updated?.outcome).to.equal(
        'applied',
      )
      expect((await deliver(repository(), uuidOnly('order.paid', uuid), minute(3))).updated?.outcome).to.equal(
        'duplicate',
      )
      const cancelled = await deliver(
        repository(),
        uuidOnly('order.cancelled', uuid, { cancellation: { slug: 'out_of_stock', description: 'Нет в наличии' } }),
        minute(4),
      )
      expect(cancelled.updated?.outcome).to.equal('applied')

      const order = await storedOrder(repository(), key)
      expect(order).to.include({ originalOrderId: key, status: 'cancelled', number: created.created?.order.number })
      expect(order.content).to.include({ orderUuid: uuid, comment: 'по orderUUID' })
      expect(order.cancellation).to.deep.equal({ slug: 'out_of_stock', description: 'Нет в наличии' })
      expect(O.isNone(await run(repository().findOrder(uuid as OriginalOrderId)))).to.equal(true)
      const reached = `reached by orderUUID ${uuid}`
      expect(await journalOf(repository(), key)).to.deep.equal([
        { eventType: 'order.created', outcome: 'created', detail: null },
        { eventType: 'order.paid', outcome: 'applied', detail: reached },
        { eventType: 'order.changed', outcome: 'applied', detail: reached },
        { eventType: 'order.paid', outcome: 'duplicate', detail: reached },
        { eventType: 'order.cancelled', outcome: 'applied', detail: reached },
      ])
      expect(await journalOf(repository(), uuid)).to.deep.equal([])
    })

    it('keeps an event keyed by an orderUUID no order has pending under it, as before', async () => {
      const uuid = uniqueOrderUuid('okey')
      const other = uniqueOrderUuid('okey')
      await deliver(repository(), bothKeysCreated(uniqueOrderId('UR'), other), minute(0))
      expect((await deliver(repository(), uuidOnly('order.paid', uuid), minute(1))).updated).to.deep.equal({
        outcome: 'pending',
      })
      expect(await journalOf(repository(), uuid)).to.deep.equal([
        { eventType: 'order.paid', outcome: 'pending', detail: null },
      ])
    })

    it('applies, at the create with both keys, the updates pending under its orderUUID and its key, in the order received, and drops them', async () => {
      const key = uniqueOrderId('UR')
      const uuid = uniqueOrderUuid('lenta')
      const before = pendingRows(await run(repository().stats()))
      expect((await deliver(repository(), uuidOnly('order.paid', uuid), minute(1))).updated?.outcome).to.equal(
        'pending',
      )
      expect(
        (await deliver(repository(), envelope('order.received', { originalOrderId: key }).body, minute(2))).updated
          ?.outcome,
      ).to.equal('pending')
      expect((await deliver(repository(), uuidOnly('order.paid', uuid), minute(3))).updated?.outcome).to.equal(
        'pending',
      )
      expect(
        (await deliver(repository(), uuidOnlyChanged(uuid, 'пришло раньше заказа'), minute(4))).updated?.outcome,
      ).to.equal('pending')
      expect(pendingRows(await run(repository().stats()))).to.equal(before + 4)

      const created = await deliver(repository(), bothKeysCreated(key, uuid), minute(5))
      if (created.created?._tag !== 'Created') throw new Error('expected the order to be created')
      expect(created.created.pendingApplied.map((p) => [p.update._tag, p.outcome])).to.deep.equal([
        ['StatusReported', 'applied'],
        ['StatusReported', 'applied'],
        ['StatusReported', 'stale'],
        ['OrderChanged', 'applied'],
      ])
      const order = await storedOrder(repository(), key)
      expect(order).to.deep.equal(created.created.order)
      expect(order).to.include({ originalOrderId: key, status: 'handed_to_courier' })
      expect(order.content).to.include({ orderUuid: uuid, comment: 'пришло раньше заказа' })
      expect(pendingRows(await run(repository().stats()))).to.equal(before)
      const [entry] = await journalOf(repository(), key).then((rows) =>
        rows.filter((r) => r.eventType === 'order.created'),
      )
      expect(entry).to.deep.equal({
        eventType: 'order.created',
        outcome: 'created',
        detail: `applied 4 pending: applied, applied, stale, applied (3 kept under orderUUID ${uuid})`,
      })
      // Applied once: a later event keyed by the orderUUID reaches the order, nothing is left pending.
      expect((await deliver(repository(), uuidOnly('order.delivered', uuid), minute(6))).updated?.outcome).to.equal(
        'applied',
      )
      expect(pendingRows(await run(repository().stats()))).to.equal(before)
    })

    it('answers a create keyed by orderUUID alone with the order that has it under another key: no second order', async () => {
      const key = uniqueOrderId('UR')
      const uuid = uniqueOrderUuid('magnit')
      const first = await deliver(repository(), bothKeysCreated(key, uuid), minute(0))
      const { originalOrderId: _key, ...payload } = fullOrderPayload('x')
      const again = await deliver(
        repository(),
        envelope('order.created', { ...payload, orderUUID: uuid }).body,
        minute(1),
      )
      expect(again.created?._tag).to.equal('AlreadyExists')
      expect(again.created?.order).to.include({ originalOrderId: key, number: first.created?.order.number })
      expect(O.isNone(await run(repository().findOrder(uuid as OriginalOrderId)))).to.equal(true)
      expect((await journalOf(repository(), key)).map((r) => [r.outcome, r.detail])).to.deep.equal([
        ['created', null],
        ['duplicate', `reached by orderUUID ${uuid}`],
      ])
      expect(await journalOf(repository(), uuid)).to.deep.equal([])
    })

    it('reaches the earliest order that has the orderUUID now: not one whose orderUUID a change replaced', async () => {
      const [first, second] = [uniqueOrderId('UR'), uniqueOrderId('UR')]
      const [uuid, replacement] = [uniqueOrderUuid('perekrestok'), uniqueOrderUuid('perekrestok')]
      await deliver(repository(), bothKeysCreated(first, uuid), minute(0))
      await deliver(
        repository(),
        envelope('order.changed', { ...fullOrderPayload(first), orderUUID: replacement }).body,
        minute(1),
      )
      await deliver(repository(), bothKeysCreated(second, uuid), minute(2))
      const paid = await deliver(repository(), uuidOnly('order.paid', uuid), minute(3))
      expect(paid.updated?.order).to.include({ originalOrderId: second, status: 'paid' })
      expect((await storedOrder(repository(), first)).status).to.equal('new')
      expect((await deliver(repository(), uuidOnly('order.paid', replacement), minute(4))).updated?.order).to.include({
        originalOrderId: first,
        status: 'paid',
      })
    })

    it('loses no event keyed by orderUUID alone that races the create with both keys', async () => {
      for (let round = 0; round < 10; round += 1) {
        const key = uniqueOrderId('UR')
        const uuid = uniqueOrderUuid('vkusvill')
        const [created, paid, cancelled] = await Promise.all([
          deliver(repository(), bothKeysCreated(key, uuid), minute(0)),
          deliver(repository(), uuidOnly('order.paid', uuid), minute(1)),
          deliver(repository(), uuidOnly('order.cancelled', uuid), minute(2)),
        ])
        expect(created.created?._tag, `round ${round}`).to.equal('Created')
        const order = await storedOrder(repository(), key)
        // Whichever came first, both reached the order: applied to it, or kept and applied by the create.
        const outcomes = [paid.updated?.outcome, cancelled.updated?.outcome]
        expect(
          outcomes.every((o) => o === 'applied' || o === 'pending' || o === 'stale'),
          `round ${round}: ${outcomes.join()}`,
        ).to.equal(true)
        expect(order.status, `round ${round}`).to.equal('cancelled')
        expect(O.isNone(await run(repository().findOrder(uuid as OriginalOrderId)))).to.equal(true)
      }
    })
  })
}
