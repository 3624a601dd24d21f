import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { OriginalOrderId } from '@domino-sm/core'
import { openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import {
  aStatusReported,
  aStatusReportedByOrderUuid,
  aWirePosition,
  anOrderChanged,
  anOrderCreated,
  anOrderCreatedByOrderUuid,
  createdReceipt,
  fullOrderPayload,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { uniqueOrderUuid } from '@domino-sm/testkit/contract'
import { countRequests, type RequestCounter } from './request-counter.js'
import { migratedSchema, testServerUrl, warmStore, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

if (url !== undefined) {
  describe('SQL Server adapter: round trips per operation, journal included', () => {
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined
    let counter: RequestCounter | undefined

    before(async function () {
      this.timeout(60_000)
      fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: '2', DOMINO_DB_POOL_MIN: '2' })
      store = await openDominoDbStore(fixture.settings, { now: () => new Date() })
      await warmStore(store.repository, 2)
      counter = await countRequests(fixture.admin)
    })

    after(async () => {
      counter?.restore()
      await store?.close()
      await fixture?.drop()
    })

    /** The requests one store operation sent (it must succeed: the message shows its result otherwise). */
    const measure = async (task: () => Promise<E.Either<unknown, unknown>>): Promise<number> => {
      counter?.reset()
      const result = await task()
      expect(E.isRight(result), JSON.stringify(result)).to.equal(true)
      return counter?.count() ?? -1
    }

    it('sends 1 request for a repeated create, 2 for a new order, an update or a pending write (a read without a lock, one write that begins, locks, checks, writes the journal entry and commits)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      const paid = aStatusReported('order.paid', key)
      const perOperation = {
        create: await measure(() => store!.repository.createOrGet(event, createdReceipt(event, new Date()))()),
        duplicate: await measure(() => store!.repository.createOrGet(event, createdReceipt(event, new Date()))()),
        status: await measure(() =>
          store!.repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))(),
        ),
        pending: await measure(() => {
          const early = aStatusReported('order.paid', uniqueOrderId('N'))
          return store!.repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))()
        }),
      }
      console.log(`      round trips per operation: ${JSON.stringify(perOperation)}`)
      // A create: request 1 is the call of hook_probe_create (migration 0013), which calls hook_duplicate_create
      // (SberMarket's retries end there: 1) and, when no order has the key, reads what the new order needs; request 2
      // begins, locks, checks, writes and commits. An update:
      // two RPCs, the second beginning and committing its own transaction (docs/domino-integration.md §5).
      expect(perOperation).to.deep.equal({ create: 2, duplicate: 1, status: 2, pending: 2 })
    })

    it('sends as many for an event keyed by orderUUID alone: its order found by order_uuid within request 1 (docs/contract.md §4)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const uuid = uniqueOrderUuid()
      const early = aStatusReportedByOrderUuid('order.paid', uuid)
      const event = anOrderCreated({ ...fullOrderPayload(key), originalOrderId: key, orderUUID: uuid })
      const cancelled = aStatusReportedByOrderUuid('order.cancelled', uuid)
      const byUuid = anOrderCreatedByOrderUuid(uuid, fullOrderPayload(key))
      const perOperation = {
        pendingByUuid: await measure(() =>
          store!.repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))(),
        ),
        createWithBothKeys: await measure(() =>
          store!.repository.createOrGet(event, createdReceipt(event, new Date()))(),
        ),
        statusByUuid: await measure(() =>
          store!.repository.applyUpdate(
            cancelled.update,
            receiptFor('order.cancelled', cancelled.rawBody, new Date()),
          )(),
        ),
        createByUuid: await measure(() => store!.repository.createOrGet(byUuid, createdReceipt(byUuid, new Date()))()),
      }
      console.log(`      round trips per operation keyed by orderUUID: ${JSON.stringify(perOperation)}`)
      // The create with both keys is a new order: 2. The create keyed by the orderUUID alone finds no order of its key
      // in request 1, but the order that has its orderUUID under another key: that case is decided under the lock
      // (begin, read: the order found by order_uuid, write the journal entry, commit): 1 + 4.
      expect(perOperation).to.deep.equal({ pendingByUuid: 2, createWithBothKeys: 2, statusByUuid: 2, createByUuid: 5 })
    })

    it('sends as many for an event with both keys that reaches the order created under its orderUUID alone, found within request 1', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const uuid = uniqueOrderUuid()
      const byUuid = anOrderCreatedByOrderUuid(uuid, fullOrderPayload(key))
      const withBoth = anOrderCreated({ ...fullOrderPayload(key), originalOrderId: key, orderUUID: uuid })
      const paid = aStatusReportedByOrderUuid('order.paid', uuid, { originalOrderId: key })
      const perOperation = {
        createByUuid: await measure(() => store!.repository.createOrGet(byUuid, createdReceipt(byUuid, new Date()))()),
        createWithBothKeysReaching: await measure(() =>
          store!.repository.createOrGet(withBoth, createdReceipt(withBoth, new Date()))(),
        ),
        statusWithBothKeysReaching: await measure(() =>
          store!.repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))(),
        ),
      }
      console.log(
        `      round trips per operation with both keys, order created under the orderUUID: ${JSON.stringify(perOperation)}`,
      )
      // The create keyed by the orderUUID alone is a new order: 2. The create with both keys: request 1 finds no order
      // of its key but the one created under its orderUUID, so it runs under the lock: begin, read (the order found by
      // its orderUUID as its key, under that key's lock), the duplicate's journal entry, commit: 1 + 4. The status as
      // any status.
      expect(perOperation).to.deep.equal({
        createByUuid: 2,
        createWithBothKeysReaching: 5,
        statusWithBothKeysReaching: 2,
      })
    })

    it('sends 3 for a new order whose key got a pending update between its read and its write (decided again on the rows the write answered), 2 when another copy created it meanwhile (journaled as its duplicate in the write)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      // A status event of the key is kept pending by another instance between the create's read and its write: the
      // write finds the pending updates changed, answers them and rolls back; the create applies the update.
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      const paid = aStatusReported('order.paid', key)
      counter.reset()
      counter.before(2, () => repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))())
      const pendingMeanwhile = await measure(() => repository.createOrGet(event, createdReceipt(event, new Date()))())
      const order = await repository.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.status : undefined).to.equal('paid')
      // Another copy of the same order.created creates the order between this one's read and its write.
      const other = uniqueOrderId('N')
      const copy = anOrderCreated({ originalOrderId: other })
      let winner: string | undefined
      counter.reset()
      counter.before(2, async () => {
        const first = await repository.createOrGet(copy, createdReceipt(copy, new Date()))()
        winner = E.isRight(first) ? first.right.result.order.number : undefined
      })
      let loser: string | undefined
      const createdMeanwhile = await measure(async () => {
        const answer = await repository.createOrGet(copy, createdReceipt(copy, new Date()))()
        loser = E.isRight(answer) ? `${answer.right.result._tag} ${answer.right.result.order.number}` : undefined
        return answer
      })
      console.log(
        `      round trips of a new order with a conflict: ${JSON.stringify({ pendingMeanwhile, createdMeanwhile })}`,
      )
      expect({ pendingMeanwhile, createdMeanwhile }).to.deep.equal({ pendingMeanwhile: 3, createdMeanwhile: 2 })
      expect(loser).to.equal(`AlreadyExists ${winner ?? 'none'}`)
      const journal = await repository.listJournal(other)()
      expect(E.isRight(journal) ? journal.right.map((entry) => entry.outcome) : []).to.deep.equal([
        'created',
        'duplicate',
      ])
    })

    it('sends 6 for an order.changed of 200 lines, too long for one checked write: the read, then begin, read under the key lock, two writes, commit', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      await store.repository.createOrGet(event, createdReceipt(event, new Date()))()
      const positions = Array.from({ length: 200 }, (_, i) => aWirePosition({ id: `SKU-${i}` }))
      const changed = anOrderChanged({ originalOrderId: key, positions })
      const requests = await measure(() =>
        store!.repository.applyUpdate(changed.update, receiptFor('order.changed', changed.rawBody, new Date()))(),
      )
      console.log(`      round trips of an order.changed of 200 lines: ${requests}`)
      expect(requests).to.equal(6)
      const order = await store.repository.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.content.positions.length : 0).to.equal(200)
    })

    it("decides a status event on the order's state alone and keeps everything else of the order as it was in the database: lines, payload, customer", async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      const stored = async (key: string) => {
        const found = await repository.findOrder(key as OriginalOrderId)()
        if (E.isLeft(found) || O.isNone(found.right)) throw new Error(`no order ${key}`)
        return found.right.value
      }
      const key = uniqueOrderId('N')
      const positions = Array.from({ length: 5 }, (_, i) => aWirePosition({ id: `SKU-${i}`, name: `Товар ${i}` }))
      const event = anOrderCreated({ ...fullOrderPayload(key), originalOrderId: key, positions })
      await repository.createOrGet(event, createdReceipt(event, new Date()))()
      const before = await stored(key)
      expect(before.content.positions).to.have.length(5)
      expect(before.content.customer).to.not.equal(undefined)
      // Applied: the state read (hook_read_state_for_update, migration 0015) and the status write, 2 requests.
      const paidAt = new Date()
      const paid = aStatusReported('order.paid', key)
      const applied = await measure(() =>
        repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, paidAt))(),
      )
      expect(applied).to.equal(2)
      expect(await stored(key)).to.deep.equal({ ...before, status: 'paid', updatedAt: paidAt })
      // A conflict: another instance cancels the order between this event's read and its write; the write answers the
      // whole order as it is now, the event is decided again on its state (stale after cancelled), and nothing of the
      // order's content changes.
      const cancelledAt = new Date(paidAt.getTime() + 1000)
      const cancel = aStatusReported('order.cancelled', key, { cancellation: { slug: 'out_of_stock' } })
      const delivered = aStatusReported('order.delivered', key)
      counter.reset()
      counter.before(2, () =>
        repository.applyUpdate(cancel.update, receiptFor('order.cancelled', cancel.rawBody, cancelledAt))(),
      )
      let outcome: string | undefined
      const conflicted = await measure(async () => {
        const answer = await repository.applyUpdate(
          delivered.update,
          receiptFor('order.delivered', delivered.rawBody, new Date(cancelledAt.getTime() + 1000)),
        )()
        outcome = E.isRight(answer) ? answer.right.result.outcome : undefined
        return answer
      })
      expect({ conflicted, outcome }).to.deep.equal({ conflicted: 3, outcome: 'stale' })
      expect(await stored(key)).to.deep.equal({
        ...before,
        status: 'cancelled',
        cancellation: { slug: 'out_of_stock' },
        updatedAt: cancelledAt,
      })
    })

    it('sends 3 for an update whose order changed between its read and its write: the write answers the order as it is now, and goes again', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      await repository.createOrGet(event, createdReceipt(event, new Date()))()
      const paid = aStatusReported('order.paid', key)
      const delivered = aStatusReported('order.delivered', key)
      const early = aStatusReported('order.paid', uniqueOrderId('P'))
      const late = anOrderCreated({ originalOrderId: early.update.originalOrderId })
      // The status: another instance applies order.paid between its read and its write, so order.delivered is
      // decided twice, the second time on the order the write found (paid), and applied.
      counter.reset()
      counter.before(2, () => repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))())
      const status = await measure(() =>
        repository.applyUpdate(delivered.update, receiptFor('order.delivered', delivered.rawBody, new Date()))(),
      )
      // The pending write: its order is created between its read and its write, so it is applied to it instead.
      counter.reset()
      counter.before(2, () => repository.createOrGet(late, createdReceipt(late, new Date()))())
      const pending = await measure(() =>
        repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))(),
      )
      console.log(`      round trips with a conflict: ${JSON.stringify({ status, pending })}`)
      expect({ status, pending }).to.deep.equal({ status: 3, pending: 3 })
      const order = await repository.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.status : undefined).to.equal('delivered')
      const created = await repository.findOrder(early.update.originalOrderId)()
      expect(E.isRight(created) && O.isSome(created.right) ? created.right.value.status : undefined).to.equal('paid')
      const journal = await repository.listJournal(key)()
      expect(E.isRight(journal) ? journal.right.map((entry) => entry.outcome) : []).to.deep.equal([
        'created',
        'applied',
        'applied',
      ])
    })
  })
}
