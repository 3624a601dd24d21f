import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import mssql from 'mssql'
import type { OriginalOrderId, RequestReceipt } from '@domino-sm/core'
import { changeQueueConsumers, openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import {
  aStatusReported,
  anOrderChanged,
  anOrderCreated,
  aWirePosition,
  createdReceipt,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { countRequests, type RequestCounter } from './request-counter.js'
import { consumerName, migratedSchema, testServerUrl, warmStore, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/** `MAX_CHECKED_WRITES` of src/operations/apply-update-operation.ts: the checked writes one attempt sends at most. */
const CHECKED_WRITES = 4

if (url !== undefined) {
  /**
   * An update whose every checked write meets a change of its order: between its read (or its last conflict's
   * answer) and each checked write, a second session (the test's own pool, outside the store) rewrites the order's
   * header (`updated_at = updated_at`: nothing the decision reads changes, but SQL Server gives the row a new
   * `row_version`, as any writer of the order would). The seam is the driver's one door (`request-counter.ts`,
   * `before`): each write is held until the other session has committed. After `CHECKED_WRITES` conflicts the update
   * must run under the key lock for its whole length (`lockedUpdate`: begin, read under the lock, write, commit) and
   * apply exactly once, with one journal entry and one change row per consumer.
   */
  describe('SQL Server adapter: an update whose checked writes keep meeting changes of its order', function () {
    this.timeout(120_000)
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined
    let counter: RequestCounter | undefined

    before(async () => {
      fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: '2', DOMINO_DB_POOL_MIN: '2' })
      await changeQueueConsumers(fixture.admin, fixture.settings.schema).add(consumerName('erp'))
      store = await openDominoDbStore(fixture.settings, { now: () => new Date() })
      await warmStore(store.repository, 2)
      counter = await countRequests(fixture.admin)
    })

    after(async () => {
      counter?.restore()
      await store?.close()
      await fixture?.drop()
    })

    /** Rewrites the order's header from another session: a new `row_version`, nothing else. */
    const touch = async (key: string): Promise<void> => {
      if (fixture === undefined) throw new Error('not set up')
      const result = await fixture.admin
        .request()
        .input('key', mssql.NVarChar(64), key)
        .query(`UPDATE [${fixture.schema}].[order_header] SET updated_at = updated_at WHERE original_order_id = @key;`)
      expect(result.rowsAffected).to.deep.equal([1])
    }

    /** The change rows of one key, as `kind status`. */
    const changeRows = async (key: string): Promise<string[]> => {
      if (fixture === undefined) throw new Error('not set up')
      const result = await fixture.admin
        .request()
        .input('key', mssql.NVarChar(64), key)
        .query<{ change_kind: string; status: string }>(
          `SELECT change_kind, status FROM [${fixture.schema}].[order_change] WHERE original_order_id = @key ORDER BY change_id;`,
        )
      return result.recordset.map((row) => `${row.change_kind} ${row.status}`)
    }

    /**
     * Sends `update` with every one of its checked writes (requests 2 to `CHECKED_WRITES` + 1) held until the order
     * was touched; returns how many requests it sent and what it answered.
     */
    const contended = async (
      key: string,
      apply: () => Promise<E.Either<unknown, { readonly result: { readonly outcome: string } }>>,
    ): Promise<{ readonly requests: number; readonly outcome: string | undefined; readonly touched: number }> => {
      if (counter === undefined) throw new Error('not set up')
      const armed = counter
      let touched = 0
      const arm = (nth: number) =>
        armed.before(nth, async () => {
          await touch(key)
          touched += 1
          if (touched < CHECKED_WRITES) arm(1)
        })
      armed.reset()
      arm(2)
      const answer = await apply()
      const requests = armed.count()
      return { requests, outcome: E.isRight(answer) ? answer.right.result.outcome : JSON.stringify(answer), touched }
    }

    const receipt = (eventType: string, rawBody: string): RequestReceipt => receiptFor(eventType, rawBody, new Date())

    for (const [what, kind] of [
      ['a status event (the procedure of migration 0012)', 'status'],
      ['an order.changed (the text)', 'changed'],
    ] as const) {
      it(`falls back to the key lock after ${String(CHECKED_WRITES)} conflicts and applies ${what} once, with one journal entry`, async () => {
        if (store === undefined) throw new Error('not set up')
        const repository = store.repository
        const key = uniqueOrderId('X')
        const created = anOrderCreated({ originalOrderId: key })
        expect(E.isRight(await repository.createOrGet(created, createdReceipt(created, new Date()))())).to.equal(true)
        const update =
          kind === 'status'
            ? aStatusReported('order.paid', key)
            : anOrderChanged({ originalOrderId: key, positions: [aWirePosition({ id: 'SKU-X', name: 'Новый товар' })] })
        const eventType = kind === 'status' ? 'order.paid' : 'order.changed'
        const theReceipt = receipt(eventType, update.rawBody)
        const { requests, outcome, touched } = await contended(key, () =>
          repository.applyUpdate(update.update, theReceipt)(),
        )
        console.log(`      ${kind}: ${String(requests)} requests, ${String(touched)} conflicts, ${String(outcome)}`)
        expect(outcome).to.equal('applied')
        expect(touched, 'every checked write met a change').to.equal(CHECKED_WRITES)
        // The read, the checked writes (each answered with a conflict), then lockedUpdate: mssql's begin, the read
        // under the key lock, the write, the commit.
        expect(requests).to.equal(1 + CHECKED_WRITES + 4)
        const order = await repository.findOrder(key as OriginalOrderId)()
        if (E.isLeft(order) || O.isNone(order.right)) throw new Error('the order is gone')
        if (kind === 'status') expect(order.right.value.status).to.equal('paid')
        else expect(order.right.value.content.positions.map((p) => p.sku)).to.deep.equal(['SKU-X'])
        const journal = await repository.listJournal(key)()
        if (E.isLeft(journal)) throw new Error(journal.left._tag)
        const entries = journal.right.filter((entry) => entry.requestId === theReceipt.requestId)
        expect(entries.map((entry) => entry.outcome)).to.deep.equal(['applied'])
        expect(journal.right.map((entry) => entry.outcome)).to.deep.equal(['created', 'applied'])
        expect(await changeRows(key)).to.deep.equal(
          kind === 'status' ? ['created new', 'status paid'] : ['created new', 'changed new'],
        )
      })
    }
  })
}
