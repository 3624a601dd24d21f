import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { migrate, openDominoDbStore, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { orderRepositoryContract } from '@domino-sm/testkit/contract'
import { aStatusReported, anOrderCreated, uniqueOrderId } from '@domino-sm/testkit'
import { dropSchema, freshSchemaName, openAdminPool, testServerUrl, testSettings } from './sql-server-harness.js'

const systemClock = { now: () => new Date() }
const url = testServerUrl()

if (url === undefined) {
  describe('SQL Server adapter (OrderRepository contract and migrations)', () => {
    before(function () {
      console.log('SQL Server tests SKIPPED: DOMINO_DB_TEST_URL is not set')
      this.skip()
    })

    it('runs the OrderRepository contract suite, the migrations and the timeout clean-up against SQL Server', () => {
      throw new Error('unreachable: the suite is skipped without DOMINO_DB_TEST_URL')
    })
  })
} else {
  const schema = freshSchemaName()
  // 50 concurrent creates of one key queue on its lock: a larger pool and the longest budget allowed keep them in time.
  const settings: DominoDbSettings = testSettings(url, schema, { DOMINO_DB_POOL_MAX: '20', DOMINO_DB_REQUEST_TIMEOUT_MS: '3900' })

  describe(`SQL Server adapter on schema ${schema}`, () => {
    let admin: mssql.ConnectionPool | undefined

    before(async function () {
      this.timeout(120_000)
      admin = await openAdminPool(settings)
      const report = await migrate(settings)
      expect(report.applied.length).to.be.greaterThan(0)
    })

    after(async function () {
      this.timeout(120_000)
      if (admin !== undefined) {
        await dropSchema(admin, schema)
        await admin.close()
      }
    })

    describe('migrate', () => {
      it('is idempotent: a second run applies nothing', async () => {
        const again = await migrate(settings)
        expect(again.applied).to.deep.equal([])
        expect(again.alreadyApplied).to.be.greaterThan(0)
      })

      it('refuses to serve on a schema that is not migrated', async () => {
        const error = await openDominoDbStore({ ...settings, schema: testSettings(url, freshSchemaName()).schema }, systemClock).catch((e: unknown) => e)
        expect(error).to.be.instanceOf(Error)
        expect((error as Error).message).to.contain('not migrated')
      })
    })

    describe('time budget', () => {
      it('answers StoreTimeout within the budget when the key is locked, and leaves the pooled connection usable', async function () {
        this.timeout(30_000)
        if (admin === undefined) throw new Error('no admin pool')
        const store = await openDominoDbStore({ ...settings, requestTimeoutMs: 500, poolMax: 1 }, systemClock)
        const key = uniqueOrderId('T')
        const created = await store.repository.createOrGet(anOrderCreated({ originalOrderId: key }), new Date())()
        expect(E.isRight(created)).to.equal(true)
        const blocker = new mssql.Transaction(admin)
        await blocker.begin()
        try {
          await new mssql.Request(blocker)
            .input('k', mssql.NVarChar(64), key)
            .query(`SELECT id FROM [${schema}].[order_header] WITH (UPDLOCK, HOLDLOCK) WHERE original_order_id = @k;`)
          const started = Date.now()
          const blocked = await store.repository.applyUpdate(aStatusReported('order.paid', key).update, '{}', new Date())()
          expect(Date.now() - started).to.be.lessThan(1500)
          expect(E.isLeft(blocked) && blocked.left._tag).to.equal('StoreTimeout')
        } finally {
          await blocker.rollback()
        }
        // The one pooled connection was cancelled mid-transaction; XACT_ABORT rolled it back, so it works again.
        const paid = await store.repository.applyUpdate(aStatusReported('order.paid', key).update, '{}', new Date())()
        expect(E.isRight(paid) && paid.right.outcome).to.equal('applied')
        await store.close()
      })
    })

    orderRepositoryContract('SQL Server', async () => {
      const store = await openDominoDbStore(settings, systemClock)
      return { repository: store.repository, close: store.close }
    })
  })
}
