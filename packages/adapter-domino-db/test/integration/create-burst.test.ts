import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import mssql from 'mssql'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'
import { anOrderCreated, createdReceipt, uniqueOrderId } from '@domino-sm/testkit'
import { burstSchema, changeRows, COPIES, POOL } from './burst-support.js'
import { countRequests } from './request-counter.js'
import { testServerUrl, warmStore } from './sql-server-harness.js'

const url = testServerUrl()

/** How many orders the schema holds under one key (the unique index says at most one; this counts them). */
const ordersOfKey = async (admin: mssql.ConnectionPool, schema: string, key: string): Promise<number> => {
  const result = await admin
    .request()
    .input('key', mssql.NVarChar(64), key)
    .query<{ n: number }>(`SELECT COUNT(*) AS n FROM [${schema}].[order_header] WHERE original_order_id = @key;`)
  return result.recordset[0]?.n ?? -1
}

if (url !== undefined) {
  describe('SQL Server adapter: a burst of copies of one NEW order.created (SberMarket retries after a timeout)', function () {
    this.timeout(120_000)
    const setup = burstSchema(url)

    /**
     * Sends `COPIES` copies of one order.created for a key no order has (each its own request) at once, spread over
     * `repositories` in turn, and checks what every store must: every copy answered at once (no resend), all with
     * one number; one order; exactly one journal entry per request, 1 created and the rest duplicates; one change
     * row `created` per consumer.
     */
    const burst = async (repositories: readonly OrderRepository[]): Promise<void> => {
      const fixture = setup.fixture()
      const [first] = repositories
      if (first === undefined) throw new Error('no store')
      const key = uniqueOrderId('C')
      const created = anOrderCreated({ originalOrderId: key })
      const counter = await countRequests(fixture.admin)
      const sent = await Promise.all(
        Array.from({ length: COPIES }, (_, i) => {
          const receipt = createdReceipt(created, new Date())
          return repositories[i % repositories.length]!.createOrGet(created, receipt)().then((answer) => ({
            receipt,
            answer,
          }))
        }),
      ).finally(counter.restore)
      const failures = sent.flatMap((s) => (E.isLeft(s.answer) ? [s.answer.left._tag] : []))
      console.log(
        `      ${COPIES} copies: ${counter.count()} requests; answered: ${COPIES - failures.length}; failed: ${JSON.stringify(failures)}`,
      )
      expect(failures, 'copies not answered').to.deep.equal([])
      const results = sent.flatMap((s) => (E.isRight(s.answer) ? [s.answer.right.result] : []))
      expect(
        results.filter((r) => r._tag === 'Created'),
        'copies that created the order',
      ).to.have.length(1)
      expect(new Set(results.map((r) => r.order.number)).size, 'numbers answered').to.equal(1)
      expect(await ordersOfKey(fixture.admin, fixture.settings.schema, key)).to.equal(1)
      const order = await first.findOrder(key as OriginalOrderId)()
      expect(E.isRight(order) && O.isSome(order.right) ? order.right.value.number : undefined).to.equal(
        results[0]?.order.number,
      )
      const journal = await first.listJournal(key)()
      if (E.isLeft(journal)) throw new Error(journal.left._tag)
      const ids = journal.right.map((entry) => entry.requestId)
      expect(new Set(ids).size, 'one entry per request').to.equal(ids.length)
      expect([...ids].sort(), 'the entries are those of the requests sent').to.deep.equal(
        sent.map((s) => s.receipt.requestId).sort(),
      )
      const outcomes = journal.right.map((entry) => entry.outcome)
      expect(
        outcomes.filter((o) => o === 'created'),
        'entries created',
      ).to.have.length(1)
      expect(
        outcomes.filter((o) => o === 'duplicate'),
        'entries duplicate',
      ).to.have.length(COPIES - 1)
      expect(journal.right.every((entry) => entry.httpStatus === 200)).to.equal(true)
      expect(await changeRows(fixture.admin, fixture.settings.schema, key)).to.deep.equal([
        'audit created new',
        'erp created new',
      ])
    }

    it(`answers ${COPIES} copies sent at once through two stores right after they opened (warmed as serve warms them, no create run yet on their sessions)`, async () => {
      await burst(setup.stores().map((store) => store.repository))
    })

    it(`answers ${COPIES} copies sent at once through one store: one order, one number, 1 created and ${COPIES - 1} duplicates journaled`, async () => {
      // From here on every session has run each kind of operation once, as the contract suite does before it times.
      for (const store of setup.stores()) await warmStore(store.repository, POOL)
      await burst([setup.stores()[0]!.repository])
    })

    it(`answers ${COPIES} copies sent at once through two stores on one schema (two instances)`, async () => {
      await burst(setup.stores().map((store) => store.repository))
    })
  })
}
