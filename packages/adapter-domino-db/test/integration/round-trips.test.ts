import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import { aStatusReported, aStatusReportedByOrderUuid, anOrderCreated, anOrderCreatedByOrderUuid, createdReceipt, fullOrderPayload, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import { uniqueOrderUuid } from '@domino-sm/testkit/contract'
import { migratedSchema, testServerUrl, warmStore, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/** The TDS requests a connection sends (SQL batches, RPCs, transaction-manager requests), counted at tedious' one door. */
interface RequestCounter {
  readonly count: () => number
  readonly reset: () => void
  readonly restore: () => void
  /**
   * Runs `action` (other sessions' work) before the next request is sent, once, while the operation that sends it
   * waits: what the operation read then changes between its read and its write. The action's own requests are not
   * counted.
   */
  readonly beforeNextRequest: (action: () => Promise<unknown>) => void
}

const countRequests = async (admin: MigratedSchema['admin']): Promise<RequestCounter> => {
  const lending = admin as unknown as { acquire(r: object): Promise<object>; release(c: object): void }
  const connection = await lending.acquire(admin)
  lending.release(connection)
  const proto = Object.getPrototypeOf(connection) as { makeRequest: (...args: unknown[]) => unknown }
  const original = proto.makeRequest
  let sent = 0
  let acting = false
  let before: (() => Promise<unknown>) | undefined
  proto.makeRequest = function (this: unknown, ...args: unknown[]) {
    if (acting) return original.apply(this, args)
    sent += 1
    const action = before
    if (action === undefined) return original.apply(this, args)
    before = undefined
    acting = true
    void action().finally(() => {
      acting = false
      original.apply(this, args)
    })
    return undefined
  }
  return {
    count: () => sent,
    reset: () => (sent = 0),
    restore: () => (proto.makeRequest = original),
    beforeNextRequest: (action) => (before = action),
  }
}

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

    it('sends 1 request for a repeated create, 2 for a new order, an update or a pending write (a read without a lock; one write that begins, locks, checks, writes with the journal entry and commits)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      const paid = aStatusReported('order.paid', key)
      const perOperation = {
        create: await measure(() => store!.repository.createOrGet(event, createdReceipt(event, new Date()))()),
        duplicate: await measure(() => store!.repository.createOrGet(event, createdReceipt(event, new Date()))()),
        status: await measure(() => store!.repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))()),
        pending: await measure(() => {
          const early = aStatusReported('order.paid', uniqueOrderId('N'))
          return store!.repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))()
        }),
      }
      console.log(`      round trips per operation: ${JSON.stringify(perOperation)}`)
      // Both are RPCs of sp_executesql with typed parameters; the write begins and commits its own transaction
      // (docs/domino-integration.md §5). A create's read answers a retry of a known order by itself: 1.
      expect(perOperation).to.deep.equal({ create: 2, duplicate: 1, status: 2, pending: 2 })
    })

    it('sends as many for an event keyed by orderUUID alone: its order found by order_uuid within the read (docs/contract.md §4)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const uuid = uniqueOrderUuid()
      const early = aStatusReportedByOrderUuid('order.paid', uuid)
      const event = anOrderCreated({ ...fullOrderPayload(key), originalOrderId: key, orderUUID: uuid })
      const cancelled = aStatusReportedByOrderUuid('order.cancelled', uuid)
      const byUuid = anOrderCreatedByOrderUuid(uuid, fullOrderPayload(key))
      const perOperation = {
        pendingByUuid: await measure(() => store!.repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))()),
        createWithBothKeys: await measure(() => store!.repository.createOrGet(event, createdReceipt(event, new Date()))()),
        statusByUuid: await measure(() => store!.repository.applyUpdate(cancelled.update, receiptFor('order.cancelled', cancelled.rawBody, new Date()))()),
        createByUuid: await measure(() => store!.repository.createOrGet(byUuid, createdReceipt(byUuid, new Date()))()),
      }
      console.log(`      round trips per operation keyed by orderUUID: ${JSON.stringify(perOperation)}`)
      // A create keyed by the orderUUID alone finds no order of its key, so its read is not answered as a retry: it
      // reads the order found by order_uuid, and its write checks it and writes the journal entry only.
      expect(perOperation).to.deep.equal({ pendingByUuid: 2, createWithBothKeys: 2, statusByUuid: 2, createByUuid: 2 })
    })

    it('sends as many for an event with both keys that reaches the order created under its orderUUID alone, found within the read', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const uuid = uniqueOrderUuid()
      const byUuid = anOrderCreatedByOrderUuid(uuid, fullOrderPayload(key))
      const withBoth = anOrderCreated({ ...fullOrderPayload(key), originalOrderId: key, orderUUID: uuid })
      const paid = aStatusReportedByOrderUuid('order.paid', uuid, { originalOrderId: key })
      const perOperation = {
        createByUuid: await measure(() => store!.repository.createOrGet(byUuid, createdReceipt(byUuid, new Date()))()),
        createWithBothKeysReaching: await measure(() => store!.repository.createOrGet(withBoth, createdReceipt(withBoth, new Date()))()),
        statusWithBothKeysReaching: await measure(() => store!.repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))()),
      }
      console.log(`      round trips per operation with both keys, order created under the orderUUID: ${JSON.stringify(perOperation)}`)
      // The create with both keys reads the order found by its orderUUID as its key; its write checks it (under that
      // key's lock too) and writes the duplicate's journal entry; the status as any status.
      expect(perOperation).to.deep.equal({ createByUuid: 2, createWithBothKeysReaching: 2, statusWithBothKeysReaching: 2 })
    })

    /** The requests of `task`, whose write is preceded by `action`: the order it read changes before it writes. */
    const measureRacing = async (action: () => Promise<unknown>, task: () => Promise<E.Either<unknown, unknown>>): Promise<number> => {
      if (counter === undefined) throw new Error('not set up')
      const requests = counter
      requests.reset()
      let read = false
      requests.beforeNextRequest(() => {
        // The first request (the read) is let through; the action runs before the second (the write).
        read = true
        requests.beforeNextRequest(action)
        return Promise.resolve()
      })
      const result = await task()
      expect(read).to.equal(true)
      expect(E.isRight(result), JSON.stringify(result)).to.equal(true)
      return counter?.count() ?? -1
    }

    it('reads and decides again when the order changed between the read and the write (its row_version): core decides on the order as it is then', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      expect(E.isRight(await repository.createOrGet(event, createdReceipt(event, new Date()))())).to.equal(true)
      const paidElsewhere = aStatusReported('order.paid', key)
      const paid = aStatusReported('order.paid', key)
      let outcome: unknown
      const requests = await measureRacing(
        () => repository.applyUpdate(paidElsewhere.update, receiptFor('order.paid', paidElsewhere.rawBody, new Date()))(),
        async () => {
          const applied = await repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))()
          outcome = E.isRight(applied) ? applied.right.result.outcome : applied
          return applied
        },
      )
      console.log(`      a status whose order changed before its write: ${requests} requests, ${String(outcome)}`)
      // read (status new), the write that found another row_version (rolled back, nothing written), read again
      // (status paid), write: core decided on the order as it is, so the second order.paid is a duplicate.
      expect(requests).to.equal(4)
      expect(outcome).to.equal('duplicate')
      const journal = await repository.listJournal(key)()
      expect(E.isRight(journal) && journal.right.map((r) => r.outcome)).to.deep.equal(['created', 'applied', 'duplicate'])
    })

    it('answers a create whose order another create committed between its read and its write with that order (one order per key)', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      let first: unknown
      let second: unknown
      const requests = await measureRacing(
        async () => {
          const created = await repository.createOrGet(event, createdReceipt(event, new Date()))()
          first = E.isRight(created) ? created.right.result : created
        },
        async () => {
          const created = await repository.createOrGet(event, createdReceipt(event, new Date()))()
          second = E.isRight(created) ? created.right.result : created
          return created
        },
      )
      // read (no order yet), the write that found one (rolled back), the read again: a retry of a known order, answered in it.
      expect(requests).to.equal(3)
      const tagOf = (r: unknown): unknown => (typeof r === 'object' && r !== null && '_tag' in r ? r._tag : r)
      const numberOf = (r: unknown): unknown => (typeof r === 'object' && r !== null && 'order' in r ? (r.order as { number: string }).number : r)
      expect([tagOf(first), tagOf(second)]).to.deep.equal(['Created', 'AlreadyExists'])
      expect(numberOf(second)).to.equal(numberOf(first))
    })

    it('applies an update that became pending between a create\'s read and its write: the pending updates are checked too', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      const paid = aStatusReported('order.paid', key)
      let created: unknown
      const requests = await measureRacing(
        () => repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))(),
        async () => {
          const result = await repository.createOrGet(event, createdReceipt(event, new Date()))()
          created = E.isRight(result) ? result.right.result : result
          return result
        },
      )
      expect(requests).to.equal(4)
      // read (no pending update), the write that found one more (rolled back), read again (with it), write.
      const opened = created as { _tag: string; pendingApplied: readonly unknown[]; order: { status: string } }
      expect(opened._tag).to.equal('Created')
      expect(opened.pendingApplied).to.have.length(1)
      expect(opened.order.status).to.equal('paid')
    })
  })
}
