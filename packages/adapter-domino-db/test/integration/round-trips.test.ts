import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import { migratedSchema, testServerUrl, warmStore, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/** The TDS requests a connection sends (SQL batches, RPCs, transaction-manager requests), counted at tedious' one door. */
interface RequestCounter {
  readonly count: () => number
  readonly reset: () => void
  readonly restore: () => void
}

const countRequests = async (admin: MigratedSchema['admin']): Promise<RequestCounter> => {
  const lending = admin as unknown as { acquire(r: object): Promise<object>; release(c: object): void }
  const connection = await lending.acquire(admin)
  lending.release(connection)
  const proto = Object.getPrototypeOf(connection) as { makeRequest: (...args: unknown[]) => unknown }
  const original = proto.makeRequest
  let sent = 0
  proto.makeRequest = function (this: unknown, ...args: unknown[]) {
    sent += 1
    return original.apply(this, args)
  }
  return { count: () => sent, reset: () => (sent = 0), restore: () => (proto.makeRequest = original) }
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

    it('sends 1 request for a repeated create, 4 for an update or a pending write (begin, read under the key lock, write with the journal entry, commit), 5 for a new order', async () => {
      if (store === undefined || counter === undefined) throw new Error('not set up')
      const key = uniqueOrderId('N')
      const event = anOrderCreated({ originalOrderId: key })
      const measure = async (task: () => Promise<E.Either<unknown, unknown>>): Promise<number> => {
        counter?.reset()
        expect(E.isRight(await task())).to.equal(true)
        return counter?.count() ?? -1
      }
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
      // mssql's Transaction: begin and commit are TDS transaction-manager requests; the two in between are RPCs of
      // sp_executesql with typed parameters (docs/domino-integration.md: why 4 and not 2). A create is first tried as a
      // duplicate in one request that begins and commits its own transaction: SberMarket's retries cost 1.
      expect(perOperation).to.deep.equal({ create: 5, duplicate: 1, status: 4, pending: 4 })
    })
  })
}
