import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import mssql from 'mssql'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'
import {
  changeQueueConsumers,
  openDominoDbStore,
  parseConsumerName,
  type DominoDbStore,
} from '@domino-sm/adapter-domino-db'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import { migratedSchema, testServerUrl, warmStore, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/** SberMarket's retries of one event after a timeout arrive together, spread over the instances. */
const COPIES = 24
const POOL = 10

const consumerName = (text: string) => {
  const name = parseConsumerName(text)
  if (E.isLeft(name)) throw new Error(name.left)
  return name.right
}

/** The change rows of one key, per consumer name and kind. */
const changeRows = async (admin: mssql.ConnectionPool, schema: string, key: string): Promise<string[]> => {
  const result = await admin
    .request()
    .input('key', mssql.NVarChar(64), key)
    .query<{ name: string; change_kind: string; status: string }>(
      `SELECT c.name, q.change_kind, q.status FROM [${schema}].[order_change] AS q
INNER JOIN [${schema}].[change_consumer] AS c ON c.consumer_id = q.consumer_id
WHERE q.original_order_id = @key ORDER BY c.name, q.change_id;`,
    )
  return result.recordset.map((row) => `${row.name} ${row.change_kind} ${row.status}`)
}

/** Counts the TDS requests every connection of this process sends (tedious' one door), to show what a burst cost. */
const countingRequests = async (admin: mssql.ConnectionPool): Promise<{ count: () => number; stop: () => void }> => {
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
  return { count: () => sent, stop: () => (proto.makeRequest = original) }
}

if (url !== undefined) {
  describe('SQL Server adapter: a burst of copies of one status event (SberMarket retries after a timeout)', function () {
    this.timeout(120_000)
    let fixture: MigratedSchema | undefined
    let stores: DominoDbStore[] = []
    const consumers = [consumerName('erp'), consumerName('audit')]

    before(async () => {
      fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: String(POOL), DOMINO_DB_POOL_MIN: String(POOL) })
      for (const name of consumers) await changeQueueConsumers(fixture.admin, fixture.settings.schema).add(name)
      // Two hook instances on one schema: two stores, each with its own pool, opened (and warmed) as serve opens them.
      stores = [
        await openDominoDbStore(fixture.settings, { now: () => new Date() }),
        await openDominoDbStore(fixture.settings, { now: () => new Date() }),
      ]
    })

    after(async () => {
      for (const store of stores) await store.close()
      await fixture?.drop()
    })

    /**
     * Creates an order, then sends `COPIES` copies of one order.paid for it at once (each its own request), spread
     * over `repositories` in turn, and checks what every store must: every copy answered (none StoreTimeout or
     * StoreUnavailable), the order changed once (one applied, the rest duplicates), exactly one journal entry per
     * request, one change row of the status per consumer.
     */
    const burst = async (repositories: readonly OrderRepository[]): Promise<void> => {
      if (fixture === undefined) throw new Error('not set up')
      const [first] = repositories
      if (first === undefined) throw new Error('no store')
      const key = uniqueOrderId('B')
      const created = anOrderCreated({ originalOrderId: key })
      expect(E.isRight(await first.createOrGet(created, createdReceipt(created, new Date()))())).to.equal(true)
      const paid = aStatusReported('order.paid', key)
      const receipts = Array.from({ length: COPIES }, () => receiptFor('order.paid', paid.rawBody, new Date()))
      const counter = await countingRequests(fixture.admin)
      const answers = await Promise.all(
        receipts.map((receipt, i) => repositories[i % repositories.length]!.applyUpdate(paid.update, receipt)()),
      ).finally(counter.stop)
      // Two per copy, one more per conflict: the copies that read the order before the first write committed meet it.
      console.log(`      ${COPIES} copies: ${counter.count()} requests`)
      const failures = answers.flatMap((answer) => (E.isLeft(answer) ? [answer.left._tag] : []))
      expect(failures, 'copies not answered').to.deep.equal([])
      const outcomes = answers.map((answer) => (E.isRight(answer) ? answer.right.result.outcome : 'failed')).sort()
      expect(outcomes).to.deep.equal(['applied', ...Array.from({ length: COPIES - 1 }, () => 'duplicate')])
      const order = await first.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.status : undefined).to.equal('paid')
      const journal = await first.listJournal(key)()
      if (E.isLeft(journal)) throw new Error(journal.left._tag)
      const statusEntries = journal.right.filter((entry) => entry.eventType === 'order.paid')
      expect(statusEntries.map((entry) => entry.requestId).sort()).to.deep.equal(
        receipts.map((receipt) => receipt.requestId).sort(),
      )
      expect(journal.right.length).to.equal(COPIES + 1)
      expect(statusEntries.every((entry) => entry.httpStatus === 200)).to.equal(true)
      expect(await changeRows(fixture.admin, fixture.settings.schema, key)).to.deep.equal([
        'audit created new',
        'audit status paid',
        'erp created new',
        'erp status paid',
      ])
    }

    it(`answers ${COPIES} copies sent at once through two stores right after they opened, before any update ran on their sessions`, async () => {
      await burst(stores.map((store) => store.repository))
    })

    it(`answers ${COPIES} copies sent at once through one store, applies the status once and journals each`, async () => {
      // From here on every session has run each kind of operation once, as the contract suite does before it times.
      for (const store of stores) await warmStore(store.repository, POOL)
      await burst([stores[0]!.repository])
    })

    it(`answers ${COPIES} copies sent at once through two stores on one schema (two instances)`, async () => {
      await burst(stores.map((store) => store.repository))
    })
  })
}
