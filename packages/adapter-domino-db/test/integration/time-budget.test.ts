import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import {
  DeadlineExceeded,
  inTransaction,
  keyLockResource,
  openConnectionPool,
  type OperationBudget,
  withBudget,
} from '@domino-sm/adapter-domino-db/internals'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import {
  isTsqlEngine,
  migratedSchema,
  pendingBecause,
  testServerUrl,
  type MigratedSchema,
} from './sql-server-harness.js'

const url = testServerUrl()
const BUDGET_MS = 500

/** Holds the lock of `key` in an open transaction of the admin pool until `release` is called. */
const holdKeyLock = async (
  admin: mssql.ConnectionPool,
  resource: string,
): Promise<{ release: () => Promise<void> }> => {
  const blocker = new mssql.Transaction(admin)
  await blocker.begin()
  const granted = await new mssql.Request(blocker)
    .input('r', mssql.NVarChar(255), resource)
    .query<{ rc: number }>(
      `DECLARE @rc INT; EXEC @rc = sp_getapplock @Resource = @r, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 0; SELECT @rc AS rc;`,
    )
  expect(granted.recordset[0]?.rc).to.be.at.least(0)
  return { release: () => blocker.rollback() }
}

/** From another session: whether the key lock is free now (APPLOCK_TEST needs a transaction for its owner). */
const keyLockIsFree = async (admin: mssql.ConnectionPool, resource: string): Promise<boolean> => {
  const result = await admin
    .request()
    .input('r', mssql.NVarChar(255), resource)
    .batch<{ free: number }>(
      `BEGIN TRANSACTION; SELECT APPLOCK_TEST(N'public', @r, N'Exclusive', N'Transaction') AS free; ROLLBACK TRANSACTION;`,
    )
  return result.recordset[0]?.free === 1
}

if (url !== undefined) {
  describe('SQL Server adapter: time budget, client cancel and clean connections', () => {
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined
    let leftOpenByServer: number | undefined
    let engine = false

    before(async function () {
      this.timeout(60_000)
      fixture = await migratedSchema(url, {
        DOMINO_DB_POOL_MAX: '1',
        DOMINO_DB_POOL_MIN: '1',
        DOMINO_DB_REQUEST_TIMEOUT_MS: String(BUDGET_MS),
      })
      store = await openDominoDbStore(fixture.settings, { now: () => new Date() })
      engine = await isTsqlEngine(fixture.admin)
    })

    after(async function () {
      this.timeout(60_000)
      await store?.close()
      await fixture?.drop()
    })

    it('answers StoreTimeout within the budget while another session holds the key, and the one pooled connection works after', async function () {
      this.timeout(30_000)
      if (fixture === undefined || store === undefined) throw new Error('not set up')
      const key = uniqueOrderId('T')
      const event = anOrderCreated({ originalOrderId: key })
      // Setup, not the point of the test: on a busy machine a create can take longer than this store's short budget.
      let created = false
      for (let attempt = 0; attempt < 20 && !created; attempt += 1)
        created = E.isRight(await store.repository.createOrGet(event, createdReceipt(event, new Date()))())
      expect(created, 'the order to block was created').to.equal(true)
      // The same status applied to another order first, so that the blocked request's statements are not compiled for
      // the first time on this session while it is timed: on the T-SQL engine a new statement shape costs a session
      // 0.5-2 s of compile, past this short budget, and the engine does not stop a batch on the client's cancel
      // (docs/domino-integration.md section 8): the write, which commits in its own request, would then commit after
      // the 503, and the test would measure the engine's compile instead of the key lock's wait.
      const other = uniqueOrderId('T')
      const otherEvent = anOrderCreated({ originalOrderId: other })
      const otherPaid = aStatusReported('order.paid', other)
      let warmed = false
      for (let attempt = 0; attempt < 20 && !warmed; attempt += 1)
        warmed =
          E.isRight(await store.repository.createOrGet(otherEvent, createdReceipt(otherEvent, new Date()))()) &&
          E.isRight(
            await store.repository.applyUpdate(
              otherPaid.update,
              receiptFor('order.paid', otherPaid.rawBody, new Date()),
            )(),
          )
      expect(warmed, 'a status applied before the one that is blocked').to.equal(true)
      const paid = aStatusReported('order.paid', key)
      const blocker = await holdKeyLock(fixture.admin, keyLockResource(fixture.settings.schema, key))
      try {
        const started = Date.now()
        const blocked = await store.repository.applyUpdate(
          paid.update,
          receiptFor('order.paid', paid.rawBody, new Date()),
        )()
        const took = Date.now() - started
        console.log(
          `      blocked on the key lock: answered ${E.isLeft(blocked) ? blocked.left._tag : 'Right'} after ${took} ms (budget ${BUDGET_MS} ms)`,
        )
        expect(E.isLeft(blocked) && blocked.left._tag).to.equal('StoreTimeout')
        expect(took).to.be.lessThan(BUDGET_MS + 400)
      } finally {
        await blocker.release()
      }
      const retried = await store.repository.applyUpdate(
        paid.update,
        receiptFor('order.paid', paid.rawBody, new Date()),
      )()
      expect(E.isRight(retried) && retried.right.result.outcome).to.equal('applied')
    })

    it("answers StoreTimeout for a repeated create while another session holds its key (the procedure's lock refused), commits nothing of it, and answers the duplicate once the key is free", async function () {
      this.timeout(30_000)
      if (fixture === undefined || store === undefined) throw new Error('not set up')
      const key = uniqueOrderId('T')
      const event = anOrderCreated({ originalOrderId: key })
      let number: unknown
      // Setup: the order, and a repeated create of it, so that the procedure is not compiled for the first time on
      // this store's one session while it is timed (see the test above).
      for (let attempt = 0; attempt < 20 && number === undefined; attempt += 1) {
        const created = await store.repository.createOrGet(event, createdReceipt(event, new Date()))()
        if (E.isRight(created)) number = created.right.result.order.number
      }
      let warmed = false
      for (let attempt = 0; attempt < 20 && !warmed; attempt += 1)
        warmed = E.isRight(await store.repository.createOrGet(event, createdReceipt(event, new Date()))())
      expect(number !== undefined && warmed, 'the order created and its repeat answered').to.equal(true)
      const receipt = createdReceipt(event, new Date())
      const blocker = await holdKeyLock(fixture.admin, keyLockResource(fixture.settings.schema, key))
      let blocked: Awaited<ReturnType<ReturnType<DominoDbStore['repository']['createOrGet']>>>
      try {
        blocked = await store.repository.createOrGet(event, receipt)()
      } finally {
        await blocker.release()
      }
      expect(E.isLeft(blocked) && blocked.left._tag).to.equal('StoreTimeout')
      const journaled = await fixture.admin
        .request()
        .input('id', mssql.UniqueIdentifier(), receipt.requestId)
        .query<{ n: number }>(`SELECT COUNT(*) AS n FROM [${fixture.schema}].[journal] WHERE request_id = @id;`)
      expect(journaled.recordset[0]?.n, 'entries of the refused request').to.equal(0)
      const retried = await store.repository.createOrGet(event, receipt)()
      expect(E.isRight(retried) && retried.right.result._tag).to.equal('AlreadyExists')
      expect(E.isRight(retried) && retried.right.result.order.number).to.equal(number)
    })

    it('rolls back a transaction whose statement the client cancels midway; the next borrowed connection has @@TRANCOUNT = 0 and holds no lock', async function () {
      this.timeout(30_000)
      if (fixture === undefined || store === undefined) throw new Error('not set up')
      // A pool of one connection of the hook's settings, so that "the next borrowed connection" is the same session.
      // Its wait for a connection is not what is measured: a generous one, so a busy machine does not fail the setup.
      const { pool, close } = await openConnectionPool({ ...fixture.settings, requestTimeoutMs: 10_000 }, 'serve')
      try {
        const key = uniqueOrderId('T')
        const resource = keyLockResource(fixture.settings.schema, key)
        const other = await holdKeyLock(fixture.admin, `${resource}:row`)
        // The request takes the key lock, then waits without a lock timeout for a lock the admin holds: only the
        // client's cancel at the end of the budget can stop it. Sent through mssql's public Transaction, as the
        // adapter's inTransaction does, so that the server's state after the attention can be read on that session
        // before any rollback of ours.
        const waiting = `EXEC sp_getapplock @Resource = @r, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 0;
SET LOCK_TIMEOUT -1;
EXEC sp_getapplock @Resource = @waits, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = -1;`
        const transaction = new mssql.Transaction(pool)
        await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
        let inFlight: Promise<unknown> = Promise.resolve()
        const cancelled = await withBudget(BUDGET_MS, (budget: OperationBudget) => {
          inFlight = budget.run(
            transaction
              .request()
              .input('r', mssql.NVarChar(255), resource)
              .input('waits', mssql.NVarChar(255), `${resource}:row`),
            waiting,
          )
          return inFlight
        }).catch((error: unknown) => error)
        expect(cancelled).to.be.instanceOf(DeadlineExceeded)
        // The caller was answered at the deadline; the driver still waits for the server to acknowledge the attention
        // before the request settles (the adapter's rollback runs only after that, in inTransaction).
        const cancelStarted = performance.now()
        const settled = await Promise.race([
          inFlight.then(
            () => 'completed',
            () => 'failed',
          ),
          new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 5000)),
        ])
        console.log(
          `      the cancelled request ${settled} ${Math.round(performance.now() - cancelStarted)} ms after the deadline`,
        )
        await other.release()
        await inFlight.catch(() => undefined)
        expect(
          settled,
          'the cancelled request settles: the server acknowledges the attention, or tedious closes the connection after its cancelTimeout (5 s)',
        ).to.equal('failed')
        // What the server did by itself (XACT_ABORT ON and the attention), before any clean-up of ours:
        const serverSide = await transaction
          .request()
          .query<{ open_transactions: number }>('SELECT @@TRANCOUNT AS open_transactions;')
          .then(
            (r) => r.recordset[0]?.open_transactions,
            (error: unknown) => {
              console.log(
                `      reading @@TRANCOUNT on the cancelled transaction failed: ${error instanceof Error ? error.message : String(error)}`,
              )
              return undefined
            },
          )
        await transaction.rollback().catch(() => undefined)
        console.log(
          `      after the cancel, the server itself left @@TRANCOUNT = ${serverSide ?? 'unknown'} on the connection`,
        )
        leftOpenByServer = serverSide
        const state = await withBudget(5000, (budget) =>
          inTransaction(pool, budget, (send) =>
            send({
              text: `SELECT @@TRANCOUNT AS open_transactions, APPLOCK_MODE(N'public', @r, N'Transaction') AS mode;`,
              params: [{ name: 'r', type: mssql.NVarChar(255), value: resource }],
            }),
          ),
        )
        expect(state[0]?.[0], 'inside a fresh transaction of the adapter, no lock of the cancelled one').to.deep.equal({
          open_transactions: 1,
          mode: 'NoLock',
        })
        expect(await keyLockIsFree(fixture.admin, resource), 'no session holds the key lock').to.equal(true)
      } finally {
        await close()
      }
    })

    it('SQL Server itself rolls the cancelled transaction back (XACT_ABORT ON turns the attention into a rollback)', function () {
      if (engine && leftOpenByServer !== 0) {
        pendingBecause(
          this,
          leftOpenByServer === undefined
            ? 'the T-SQL engine did not acknowledge the attention while the statement waited for a lock, so tedious closed the ' +
                'connection after its cancelTimeout (which ends the session and its transaction); SQL Server acknowledges it at once and, ' +
                'with XACT_ABORT ON, rolls the transaction back'
            : `the T-SQL engine left the cancelled transaction open (@@TRANCOUNT = ${leftOpenByServer} after the attention), where SQL Server ` +
                'with XACT_ABORT ON rolls it back; the adapter rolls back itself before a connection goes back to the pool (test above)',
        )
      }
      expect(leftOpenByServer).to.equal(0)
    })
  })
}
