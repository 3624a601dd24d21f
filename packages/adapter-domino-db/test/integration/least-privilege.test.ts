import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import mssql from 'mssql'
import {
  changeQueueConsumers,
  openDominoDbStore,
  parseConsumerName,
  renderConsumerGrantScript,
  renderGrantScript,
  type DominoDbStore,
} from '@domino-sm/adapter-domino-db'
import { errorFacts, keyLockResource, mssqlConfig, splitBatches } from '@domino-sm/adapter-domino-db/internals'
import type { OriginalOrderId, RepositoryError } from '@domino-sm/core'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import {
  aStatusReported,
  anOrderChanged,
  anOrderCreated,
  anOrderCreatedForReview,
  createdReceipt,
  newRequestId,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { inConsumerTransaction, takeChanges } from './consumer-session.js'
import {
  isTsqlEngine,
  migratedSchema,
  pendingBecause,
  testServerUrl,
  type MigratedSchema,
} from './sql-server-harness.js'

const url = testServerUrl()

/** The consumer registered for the hook's life cycle and taken from by the consumer's login. */
const CONSUMER = 'erp-assembly'

const ok = async <A>(task: TE.TaskEither<RepositoryError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`${result.left._tag}: ${result.left.reason}`)
  return result.right
}

/** SQL Server: 229 (object), 230 (column), 262 (CREATE), 3704-ish; the T-SQL engine: 33557097 "permission denied". */
const deniedNumbers = new Set([229, 230, 262, 3701, 15247, 33557097])

if (url !== undefined) {
  describe('SQL Server adapter: least privilege, executed (the login gets exactly what `grants` prints)', () => {
    const suffix = randomBytes(4).toString('hex')
    const login = `SberMarketOrdersHook_${suffix}`
    const password = `Hook-${randomBytes(9).toString('base64url')}-1a`
    const outside = `sm_outside_${suffix}`
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined
    let hook: mssql.ConnectionPool | undefined

    before(async function () {
      this.timeout(60_000)
      fixture = await migratedSchema(url)
      const { admin, schema } = fixture
      await admin.request().batch(`CREATE LOGIN [${login}] WITH PASSWORD = N'${password}';`)
      await admin
        .request()
        .batch(`CREATE TABLE [dbo].[${outside}] (i INT NOT NULL); INSERT INTO [dbo].[${outside}] (i) VALUES (1);`)
      const script = await renderGrantScript(fixture.settings.schema, login)
      if (E.isLeft(script)) throw new Error(script.left)
      for (const batch of splitBatches(script.right)) await admin.request().batch(batch)
      // A consumer registered: every change of the life cycle below is also a change row, written as the hook's login.
      const name = parseConsumerName(CONSUMER)
      if (E.isLeft(name)) throw new Error(name.left)
      await changeQueueConsumers(admin, fixture.settings.schema).add(name.right)
      const settings = { ...fixture.settings, user: login, password, poolMin: 1, poolMax: 2 }
      store = await openDominoDbStore(settings, { now: () => new Date() })
      hook = await new mssql.ConnectionPool({ ...mssqlConfig(settings), pool: { max: 1, min: 0 } }).connect()
      expect(schema).to.match(/^sm_test_/)
    })

    after(async function () {
      this.timeout(60_000)
      await store?.close()
      await hook?.close()
      if (fixture !== undefined) {
        const { admin } = fixture
        await admin
          .request()
          .batch(`DROP TABLE IF EXISTS [dbo].[${outside}];`)
          .catch(() => undefined)
        await admin
          .request()
          .batch(`IF DATABASE_PRINCIPAL_ID(N'${login}') IS NOT NULL DROP USER [${login}];`)
          .catch(() => undefined)
        await admin
          .request()
          .batch(`DROP LOGIN [${login}];`)
          .catch(() => undefined)
        await fixture.drop()
      }
    })

    it('runs a whole order life cycle as that login: pending, create, duplicate, change, statuses, journal, amend by request id, retention, stats', async function () {
      this.timeout(30_000)
      if (store === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('L')
      const early = aStatusReported('order.paid', key)
      expect(
        (await ok(repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date())))).result
          .outcome,
      ).to.equal('pending')
      const event = anOrderCreated({ originalOrderId: key })
      const created = await ok(repository.createOrGet(event, createdReceipt(event, new Date())))
      expect(created.result._tag).to.equal('Created')
      expect((await ok(repository.createOrGet(event, createdReceipt(event, new Date())))).result._tag).to.equal(
        'AlreadyExists',
      )
      const change = anOrderChanged({ originalOrderId: key })
      expect(
        (await ok(repository.applyUpdate(change.update, receiptFor('order.changed', change.rawBody, new Date()))))
          .result.outcome,
      ).to.equal('applied')
      for (const status of ['order.received', 'order.delivered'] as const) {
        const update = aStatusReported(status, key)
        expect(
          (await ok(repository.applyUpdate(update.update, receiptFor(status, update.rawBody, new Date())))).result
            .outcome,
        ).to.equal('applied')
      }
      const found = await ok(repository.findOrder(key as OriginalOrderId))
      expect(O.isSome(found) && found.value.status).to.equal('delivered')
      const rejectedId = await ok(
        repository.recordJournal({
          requestId: newRequestId(),
          receivedAt: new Date(),
          eventType: 'order.paid',
          originalOrderId: key,
          rawBody: '{',
          outcome: 'rejected',
          httpStatus: 400,
          durationMs: 1,
          detail: 'not JSON',
        }),
      )
      // The hook answered 503 at the deadline after the create had committed: the same entry is amended.
      const createdEntry = (await ok(repository.listJournal(key))).find((r) => r.id === created.journal.id)
      if (createdEntry === undefined) throw new Error('the create has no entry')
      expect(
        await ok(
          repository.recordJournal({ ...createdEntry, httpStatus: 503, detail: 'answered 503 at the deadline' }),
        ),
      ).to.equal(created.journal.id)
      const stranded = aStatusReported('order.paid', uniqueOrderId('L'))
      await ok(
        repository.applyUpdate(
          stranded.update,
          receiptFor('order.paid', stranded.rawBody, new Date(Date.UTC(1999, 0, 1))),
        ),
      )
      const report = await ok(
        repository.applyRetention({
          clearBodiesReceivedBefore: new Date(Date.now() + 60_000),
          expirePendingReceivedBefore: new Date(Date.UTC(2000, 0, 1)),
          now: new Date(),
          batchSize: 50,
        }),
      )
      expect(report.pendingExpired).to.equal(1)
      expect(report.bodiesCleared).to.be.at.least(7)
      const journal = await ok(repository.listJournal(key))
      expect(journal.map((r) => r.outcome)).to.deep.equal([
        'pending',
        'created',
        'duplicate',
        'applied',
        'applied',
        'applied',
        'rejected',
      ])
      expect(journal.find((r) => r.id === created.journal.id)?.httpStatus).to.equal(503)
      expect(journal.find((r) => r.id === rejectedId)?.rawBody).to.equal(null)
      const stats = await ok(repository.stats())
      expect(stats.tables.map((t) => t.table)).to.deep.equal([
        'order_header',
        'order_line',
        'pending_update',
        'journal',
        `order_change[${CONSUMER}]`,
      ])
      // created, changed, received, delivered: the pending order.paid came in with the create.
      expect(stats.tables.find((t) => t.table === `order_change[${CONSUMER}]`)?.rows).to.equal(4)
      await ok(repository.ping())
    })

    it("runs support's journal query, an erasure (order, journal and pending bodies) and the policy's erasure as that login", async function () {
      this.timeout(30_000)
      if (store === undefined) throw new Error('not set up')
      const repository = store.repository
      const key = uniqueOrderId('L')
      const event = anOrderCreated({ originalOrderId: key })
      await ok(repository.createOrGet(event, createdReceipt(event, new Date(Date.UTC(1998, 0, 1)))))
      const delivered = aStatusReported('order.delivered', key)
      await ok(
        repository.applyUpdate(
          delivered.update,
          receiptFor('order.delivered', delivered.rawBody, new Date(Date.UTC(1998, 0, 2))),
        ),
      )
      const waiting = uniqueOrderId('L')
      const change = anOrderChanged({ originalOrderId: waiting })
      await ok(repository.applyUpdate(change.update, receiptFor('order.changed', change.rawBody, new Date())))
      const found = await ok(repository.searchJournal({ originalOrderId: key, limit: 10, withBodies: true }))
      expect(found.map((r) => r.outcome)).to.deep.equal(['created', 'applied'])
      const erased = await ok(
        repository.erasePersonalData(
          waiting as OriginalOrderId,
          receiptFor('support.personal-data-erased', '{}', new Date()),
        ),
      )
      expect(erased).to.include({ orderFound: false, journalBodiesErased: 1, pendingBodiesErased: 1 })
      const report = await ok(
        repository.applyRetention({
          clearBodiesReceivedBefore: new Date(0),
          expirePendingReceivedBefore: new Date(0),
          now: new Date(),
          batchSize: 50,
          eraseClosedOrdersBefore: new Date(Date.UTC(1999, 0, 1)),
        }),
      )
      expect(report.ordersErased).to.equal(1)
      const order = await ok(repository.findOrder(key as OriginalOrderId))
      expect(O.isSome(order) && order.value.content.customer).to.equal(undefined)
    })

    it("lets no user outside the hook's role take an order's key lock, while the hook's login takes it", async function () {
      this.timeout(30_000)
      if (hook === undefined || fixture === undefined) throw new Error('not set up')
      const { admin, schema } = fixture
      const stranger = `sm_stranger_${suffix}`
      const strangerPassword = `Str-${randomBytes(9).toString('base64url')}-1a`
      await admin.request().batch(`CREATE LOGIN [${stranger}] WITH PASSWORD = N'${strangerPassword}';`)
      await admin.request().batch(`CREATE USER [${stranger}] FOR LOGIN [${stranger}];`)
      const strangerPool = await new mssql.ConnectionPool({
        ...mssqlConfig({ ...fixture.settings, user: stranger, password: strangerPassword }),
        pool: { max: 1, min: 0 },
      }).connect()
      const tryLock = async (pool: mssql.ConnectionPool): Promise<number | Error> =>
        pool
          .request()
          .input('resource', mssql.NVarChar(255), keyLockResource(fixture!.settings.schema, 'H-LOCK-TEST'))
          .input('principal', mssql.NVarChar(128), `${schema}_hook`)
          .query<{ rc: number }>(
            `BEGIN TRANSACTION;
DECLARE @rc INT;
EXEC @rc = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 0, @DbPrincipal = @principal;
SELECT @rc AS rc;
ROLLBACK TRANSACTION;`,
          )
          .then(
            (r) => r.recordset[0]?.rc ?? Number.NaN,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          )
      try {
        const byHook = await tryLock(hook)
        const byStranger = await tryLock(strangerPool)
        console.log(
          `      sp_getapplock with @DbPrincipal = the hook's role: the hook's login got ${String(byHook)}, another user got ${byStranger instanceof Error ? `an error (${byStranger.message.slice(0, 80)})` : byStranger}`,
        )
        expect(byHook, "the hook's login takes the lock").to.be.a('number').and.at.least(0)
        // SQL Server's documentation of sp_getapplock: "The caller of the function must be a member of
        // database_principal, dbo, or the db_owner fixed database role to call the function successfully"; otherwise
        // it answers -999 (parameter validation or other call error).
        if (typeof byStranger === 'number' && byStranger >= 0 && (await isTsqlEngine(admin))) {
          pendingBecause(
            this,
            `the T-SQL engine granted the lock to a user outside @DbPrincipal (answered ${byStranger}); SQL Server refuses it (-999). ` +
              "The production statement names the hook's role; this check runs only on SQL Server",
          )
        }
        if (typeof byStranger === 'number') expect(byStranger, 'another user is refused the lock').to.be.below(0)
        else expect(byStranger).to.be.instanceOf(Error)
      } finally {
        await strangerPool.close()
        await admin
          .request()
          .batch(`DROP USER [${stranger}];`)
          .catch(() => undefined)
        await admin
          .request()
          .batch(`DROP LOGIN [${stranger}];`)
          .catch(() => undefined)
      }
    })

    const refused: [string, (schema: string) => string][] = [
      ['DDL in its schema (CREATE TABLE)', (s) => `CREATE TABLE [${s}].[x_${suffix}] (i INT);`],
      ['DDL on its tables (ALTER TABLE)', (s) => `ALTER TABLE [${s}].[journal] ADD x INT NULL;`],
      ['dropping a table', (s) => `DROP TABLE [${s}].[pending_update];`],
      ['DELETE of orders', (s) => `DELETE FROM [${s}].[order_header];`],
      ['DELETE of journal entries', (s) => `DELETE FROM [${s}].[journal];`],
      [
        'UPDATE of a journal column it never writes (when a request was received)',
        (s) => `UPDATE [${s}].[journal] SET received_at = SYSDATETIMEOFFSET();`,
      ],
      ['UPDATE of the request id of an entry', (s) => `UPDATE [${s}].[journal] SET request_id = NEWID();`],
      ['UPDATE of order lines', (s) => `UPDATE [${s}].[order_line] SET sku = N'x';`],
      ['changing the migration record', (s) => `DELETE FROM [${s}].[schema_migration];`],
      [
        'deleting a change from the change queue (retention included: only a consumer takes one)',
        (s) => `DELETE FROM [${s}].[order_change];`,
      ],
      ['rewriting a change', (s) => `UPDATE [${s}].[order_change] SET status = N'new';`],
      [
        'registering a consumer (an administrator does)',
        (s) => `INSERT INTO [${s}].[change_consumer] (name) VALUES (N'intruder');`,
      ],
      [
        'taking changes (a consumer’s right)',
        (s) => `BEGIN TRANSACTION; EXEC [${s}].[take_order_changes] @consumer = N'${CONSUMER}', @max = 1; ROLLBACK;`,
      ],
      [
        'changing a procedure it calls (migration 0011: EXECUTE only)',
        (s) =>
          `ALTER PROCEDURE [${s}].[hook_read_for_update] @original_order_id NVARCHAR(64), @request_id UNIQUEIDENTIFIER AS SELECT 1 AS x;`,
      ],
      ['dropping a procedure it calls', (s) => `DROP PROCEDURE [${s}].[hook_duplicate_create];`],
      [
        'changing the status write it calls (migration 0012: EXECUTE only)',
        (s) => `ALTER PROCEDURE [${s}].[hook_status_write] @original_order_id NVARCHAR(64) AS SELECT 1 AS x;`,
      ],
      ['dropping the status write it calls', (s) => `DROP PROCEDURE [${s}].[hook_status_write];`],
      [
        "changing a create's first request it calls (migration 0013: EXECUTE only)",
        (s) => `ALTER PROCEDURE [${s}].[hook_probe_create] @original_order_id NVARCHAR(64) AS SELECT 1 AS x;`,
      ],
      ["dropping a create's first request it calls", (s) => `DROP PROCEDURE [${s}].[hook_probe_create];`],
      [
        "changing a status event's read of the state it calls (migration 0015: EXECUTE only)",
        (s) =>
          `ALTER PROCEDURE [${s}].[hook_read_state_for_update] @original_order_id NVARCHAR(64), @request_id UNIQUEIDENTIFIER AS SELECT 1 AS x;`,
      ],
      [
        "dropping the status event's read of the state it calls",
        (s) => `DROP PROCEDURE [${s}].[hook_read_state_for_update];`,
      ],
      ['reading outside its schema', () => `SELECT i FROM [dbo].[${outside}];`],
      ['writing outside its schema', () => `INSERT INTO [dbo].[${outside}] (i) VALUES (2);`],
    ]
    for (const [what, sql] of refused) {
      it(`refuses the login ${what}`, async () => {
        if (hook === undefined || fixture === undefined) throw new Error('not set up')
        const error = await hook
          .request()
          .batch(sql(fixture.schema))
          .then(
            () => undefined,
            (e: unknown) => e,
          )
        expect(error, `${what} was allowed`).to.be.instanceOf(Error)
        const number = errorFacts(error).number
        expect(deniedNumbers.has(number ?? -1), `error ${number}: ${(error as Error).message}`).to.equal(true)
        if (number === 33557097) expect((error as Error).message).to.match(/permission denied|must be owner/i)
      })
    }

    describe('a consumer’s login, with exactly what `grants --consumer` prints', () => {
      const consumerLogin = `DominoJob_${suffix}`
      const consumerPassword = `Job-${randomBytes(9).toString('base64url')}-1a`
      let consumer: mssql.ConnectionPool | undefined

      before(async function () {
        this.timeout(60_000)
        if (fixture === undefined) throw new Error('not set up')
        const { admin } = fixture
        await admin.request().batch(`CREATE LOGIN [${consumerLogin}] WITH PASSWORD = N'${consumerPassword}';`)
        const script = await renderConsumerGrantScript(fixture.settings.schema, consumerLogin)
        if (E.isLeft(script)) throw new Error(script.left)
        for (const batch of splitBatches(script.right)) await admin.request().batch(batch)
        consumer = await new mssql.ConnectionPool({
          ...mssqlConfig({ ...fixture.settings, user: consumerLogin, password: consumerPassword }),
          pool: { max: 1, min: 0 },
        }).connect()
      })

      after(async function () {
        this.timeout(60_000)
        await consumer?.close()
        if (fixture !== undefined) {
          await fixture.admin
            .request()
            .batch(`IF DATABASE_PRINCIPAL_ID(N'${consumerLogin}') IS NOT NULL DROP USER [${consumerLogin}];`)
            .catch(() => undefined)
          await fixture.admin
            .request()
            .batch(`DROP LOGIN [${consumerLogin}];`)
            .catch(() => undefined)
        }
      })

      it('reads the orders its queued changes name, and takes the changes with EXECUTE on take_order_changes alone', async function () {
        this.timeout(30_000)
        if (consumer === undefined || fixture === undefined) throw new Error('not set up')
        const { schema, admin } = fixture
        // What the hook's login queued in the life cycle above, looked at by the administrator (not taken).
        const queued = await admin
          .request()
          .query<{ original_order_id: string; domino_number: string; change_kind: string; status: string }>(
            `SELECT q.original_order_id, q.domino_number, q.change_kind, q.status FROM [${schema}].[order_change] AS q ORDER BY q.change_id;`,
          )
        const expected = queued.recordset.map((r) => `${r.change_kind}:${r.status}`)
        // The life cycle's order, then the order of the support test: created, delivered, its personal data erased.
        expect(expected).to.deep.equal([
          'created:paid',
          'changed:paid',
          'status:handed_to_courier',
          'status:delivered',
          'created:new',
          'status:delivered',
          'erased:delivered',
        ])
        const key = queued.recordset[0]?.original_order_id ?? ''
        const order = await consumer.request().input('key', mssql.NVarChar(64), key).query<{
          domino_number: string
          status: string
          needs_review: boolean | number
        }>(`SELECT h.domino_number, h.status, h.needs_review FROM [${schema}].[order_header] AS h WHERE h.original_order_id = @key;
SELECT COUNT(*) AS line_count FROM [${schema}].[order_line] AS l INNER JOIN [${schema}].[order_header] AS h ON h.id = l.order_id WHERE h.original_order_id = @key;`)
        expect(order.recordset[0]?.domino_number).to.equal(queued.recordset[0]?.domino_number)
        expect(order.recordset[0]?.status).to.equal('delivered')

        const taken = await inConsumerTransaction(consumer, async (transaction) => {
          const value = await takeChanges(transaction, schema, CONSUMER, 100).then(
            (rows) => rows,
            (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
          )
          return { value, commit: !(value instanceof Error) }
        })
        if (taken instanceof Error) {
          // SQL Server checks only EXECUTE when a procedure uses tables of its own owner (ownership chaining).
          if (errorFacts(taken).number === 33557097 && (await isTsqlEngine(admin))) {
            pendingBecause(
              this,
              `the T-SQL engine checks the caller's own rights on the tables a procedure reads (no ownership chaining; ` +
                `EXECUTE AS is not supported there either): "${taken.message.slice(0, 80)}". On SQL Server the procedure and the tables have ` +
                'one owner, so EXECUTE is the only right checked',
            )
          }
          throw taken
        }
        expect(taken.map((c) => `${c.changeKind}:${c.status}`)).to.deep.equal(expected)
        expect(taken.map((c) => c.originalOrderId)).to.deep.equal(queued.recordset.map((r) => r.original_order_id))
      })

      const consumerRefused: [string, (schema: string) => string][] = [
        [
          'reading the queue table itself (another consumer’s changes)',
          (s) => `SELECT COUNT(*) FROM [${s}].[order_change];`,
        ],
        ['deleting changes but by taking them', (s) => `DELETE FROM [${s}].[order_change];`],
        ['registering a consumer', (s) => `INSERT INTO [${s}].[change_consumer] (name) VALUES (N'intruder');`],
        ['reading the journal (raw bodies hold personal data)', (s) => `SELECT COUNT(*) FROM [${s}].[journal];`],
        ['reading pending updates', (s) => `SELECT COUNT(*) FROM [${s}].[pending_update];`],
        ['writing an order', (s) => `UPDATE [${s}].[order_header] SET status = N'new';`],
        ['deleting order lines', (s) => `DELETE FROM [${s}].[order_line];`],
        ['DDL in the hook’s schema', (s) => `CREATE TABLE [${s}].[job_${suffix}] (i INT);`],
      ]
      for (const [what, sql] of consumerRefused) {
        it(`refuses the consumer’s login ${what}`, async () => {
          if (consumer === undefined || fixture === undefined) throw new Error('not set up')
          const error = await consumer
            .request()
            .batch(sql(fixture.schema))
            .then(
              () => undefined,
              (e: unknown) => e,
            )
          expect(error, `${what} was allowed`).to.be.instanceOf(Error)
          const number = errorFacts(error).number
          expect(deniedNumbers.has(number ?? -1), `error ${number}: ${(error as Error).message}`).to.equal(true)
        })
      }
    })

    // After the consumer's describe: the order created here would be one more change in the consumer's queue.
    describe("the console's counting reads", () => {
      it("runs the console's counting reads as that login: the journal summarised, the marked orders listed", async function () {
        this.timeout(30_000)
        if (store === undefined) throw new Error('not set up')
        const repository = store.repository
        const key = uniqueOrderId('L')
        const since = new Date(Date.UTC(1997, 5, 1))
        const event = anOrderCreatedForReview({
          originalOrderId: key,
          positions: [{ id: 'A', quantity: 1, price: 'бесплатно' }],
        })
        const created = await ok(
          repository.createOrGet(event, createdReceipt(event, new Date(since.getTime() + 1_000))),
        )
        await ok(
          repository.recordJournal({
            requestId: newRequestId(),
            receivedAt: new Date(since.getTime() + 2_000),
            eventType: 'order.paid',
            originalOrderId: key,
            rawBody: null,
            outcome: 'rejected',
            httpStatus: 408,
            durationMs: 30_000,
            detail: null,
          }),
        )
        const summary = await ok(
          repository.summariseJournal({
            since,
            until: new Date(since.getTime() + 3_600_000),
            durationAtLeastMs: 3_200,
          }),
        )
        // The create's entry took from its receipt (1997) to its commit (now): far above the threshold, as the 408 is.
        expect(summary).to.deep.include({ requests: 2, atOrAbove: 2 })
        expect(summary.byStatus).to.deep.equal([
          { httpStatus: 200, count: 1 },
          { httpStatus: 408, count: 1 },
        ])
        const marked = await ok(repository.ordersForReview(10))
        expect(marked.find((o) => o.originalOrderId === key)).to.deep.equal({
          originalOrderId: key,
          number: created.result.order.number,
          markedAt: new Date(since.getTime() + 1_000),
          reasons: event.unread,
        })
      })
    })
  })
}
