import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import mssql from 'mssql'
import { MssqlOrderRepository } from '@domino-sm/adapter-domino-db'
import {
  CONNECTION_STATE_ERROR,
  classifySqlError,
  connectionGuard,
  createStatements,
  inTransaction,
  journalStatements,
  mssqlConfig,
  orderStatements,
  outsideTransaction,
  serverErrorNumbers,
  updateStatements,
  withBudget,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import type { JournalEntry, OriginalOrderId, RepositoryError } from '@domino-sm/core'
import {
  aStatusReported,
  anOrderCreated,
  createdReceipt,
  newRequestId,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { installDriverRecorder } from './driver-recorder.js'
import { migratedSchema, testServerUrl, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/** The states of a pooled connection the guard refuses: a transaction left open (XACT_ABORT on), XACT_ABORT off. */
type BadState = 'an open transaction' | 'XACT_ABORT off'
const BAD_STATES: readonly BadState[] = ['an open transaction', 'XACT_ABORT off']

/**
 * The budget of each operation and request here: not what is tested (time-budget.test.ts is), and a fresh session's
 * first statements take the T-SQL engine hundreds of milliseconds, more on a loaded machine.
 */
const BUDGET_MS = 30_000

/** One request the store sends: its statement, built anew for each try, and what it would write when it ran. */
interface Call {
  readonly name: string
  /** Whether the statement is a procedure's call sent without the text guard (migration 0014). */
  readonly alone: boolean
  readonly statement: () => Promise<{ readonly statement: SqlStatement; readonly requestId: string | undefined }>
}

if (url !== undefined) {
  /**
   * The guard that opens every request (docs/domino-integration.md §5, Clean connections): a text's own first lines
   * (`driver/requests.ts`), or, for the procedures the hook calls as a whole request, their first statement
   * (migration 0014), whose calls are sent alone. On a pool of ONE connection, the test puts that connection in a
   * state the guard refuses, then sends each request the store sends alone, and a text: each must be refused with
   * the adapter's error 50001, the transaction left open must be rolled back (its row gone, @@TRANCOUNT 0, read on
   * that same session), and the request must have written nothing; the same request on a clean connection runs
   * and writes, so a refusal is the state's doing.
   */
  describe('SQL Server adapter: the connection guard, in the procedures called alone (migration 0014) and in a text', () => {
    let fixture: MigratedSchema | undefined
    let pool: mssql.ConnectionPool | undefined
    let repository: MssqlOrderRepository | undefined
    const key = uniqueOrderId('G')
    const marker = uniqueOrderId('GM')

    const one = (): { fixture: MigratedSchema; pool: mssql.ConnectionPool; repository: MssqlOrderRepository } => {
      if (fixture === undefined || pool === undefined || repository === undefined) throw new Error('not set up')
      return { fixture, pool, repository }
    }

    before(async function () {
      this.timeout(60_000)
      fixture = await migratedSchema(url)
      // The store's own configuration (XACT_ABORT ON at connect), with one connection: every request shares it.
      pool = await new mssql.ConnectionPool({ ...mssqlConfig(fixture.settings), pool: { min: 1, max: 1 } }).connect()
      const connection = pool
      repository = new MssqlOrderRepository(
        () => connection,
        { schema: fixture.settings.schema, requestTimeoutMs: BUDGET_MS },
        { now: () => new Date() },
      )
      const event = anOrderCreated({ originalOrderId: key })
      const created = await repository.createOrGet(event, createdReceipt(event, new Date()))()
      expect(E.isRight(created), JSON.stringify(created)).to.equal(true)
    })

    // A failed test may leave the session spoiled: each test starts on a clean one, so that a failure is its own.
    beforeEach(async () => {
      await one().pool.request().batch('IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION; SET XACT_ABORT ON;')
    })

    after(async function () {
      this.timeout(60_000)
      await pool?.close()
      await fixture?.drop()
    })

    /** The session's state, read on the one pooled connection: its open transactions, XACT_ABORT, the marker rows it sees. */
    const sessionState = async (): Promise<{ trancount: number; xactAbort: boolean; markers: number }> => {
      const { fixture: f, pool: p } = one()
      const result = await p
        .request()
        .input('marker', mssql.NVarChar(64), marker)
        .query<{ trancount: number; xact_abort: number; markers: number }>(
          `SELECT @@TRANCOUNT AS trancount, @@OPTIONS & 16384 AS xact_abort, (SELECT COUNT(*) FROM [${f.schema}].[pending_update] WHERE original_order_id = @marker) AS markers;`,
        )
      const row = result.recordset[0]
      if (row === undefined) throw new Error('no state row')
      return { trancount: row.trancount, xactAbort: row.xact_abort !== 0, markers: row.markers }
    }

    /** Puts the one pooled connection in `state` (a plain batch: its SET lasts for the session), and checks it is. */
    const spoil = async (state: BadState): Promise<void> => {
      const { fixture: f, pool: p } = one()
      if (state === 'an open transaction')
        await p
          .request()
          .input('marker', mssql.NVarChar(64), marker)
          .batch(
            `BEGIN TRANSACTION; INSERT INTO [${f.schema}].[pending_update] (original_order_id, raw_body, received_at, stored_at) VALUES (@marker, N'{}', SYSDATETIMEOFFSET(), SYSDATETIMEOFFSET());`,
          )
      else await p.request().batch('SET XACT_ABORT OFF;')
      expect(await sessionState()).to.deep.equal(
        state === 'an open transaction'
          ? { trancount: 1, xactAbort: true, markers: 1 }
          : { trancount: 0, xactAbort: false, markers: 0 },
      )
    }

    /** Gives the session back its clean state (after XACT_ABORT off; a refused open transaction must need nothing). */
    const restore = async (state: BadState): Promise<void> => {
      if (state === 'XACT_ABORT off') await one().pool.request().batch('SET XACT_ABORT ON;')
    }

    const journalRows = async (requestId: string | undefined): Promise<number> => {
      if (requestId === undefined) return 0
      const { fixture: f } = one()
      const result = await f.admin
        .request()
        .input('request_id', mssql.UniqueIdentifier, requestId)
        .query<{ n: number }>(`SELECT COUNT(*) AS n FROM [${f.schema}].[journal] WHERE request_id = @request_id;`)
      return result.recordset[0]?.n ?? -1
    }

    /** The order's status and row version, as committed. */
    const orderNow = async (): Promise<{ id: number; version: Buffer; status: string }> => {
      const { fixture: f } = one()
      const result = await f.admin
        .request()
        .input('key', mssql.NVarChar(64), key)
        .query<{ id: number | string; row_version: Buffer; status: string }>(
          `SELECT id, row_version, status FROM [${f.schema}].[order_header] WHERE original_order_id = @key;`,
        )
      const row = result.recordset[0]
      if (row === undefined) throw new Error('no order')
      return { id: Number(row.id), version: row.row_version, status: row.status }
    }

    const entryOf = (requestId: string, eventType: string, outcome: JournalEntry['outcome']): JournalEntry => ({
      requestId,
      receivedAt: new Date(),
      eventType,
      originalOrderId: key,
      rawBody: '{}',
      outcome,
      httpStatus: 200,
      durationMs: 1,
      detail: null,
    })

    const calls = (): readonly Call[] => {
      const { fixture: f } = one()
      const schema = f.settings.schema
      const orders = orderStatements(schema)
      const creates = createStatements(schema)
      const duplicateOf = (originalOrderId: string, requestId: string): SqlStatement =>
        orders.duplicateInOneRequest(
          originalOrderId,
          1_000,
          { ...entryOf(requestId, 'order.created', 'duplicate'), originalOrderId },
          new Date(),
        )
      return [
        {
          name: "an update's read, hook_read_for_update",
          alone: true,
          statement: () => {
            const requestId = newRequestId()
            return Promise.resolve({
              statement: updateStatements(schema).readForUpdate(
                key,
                {},
                journalStatements(schema).ofRequest(requestId, false),
              ),
              requestId,
            })
          },
        },
        {
          name: "an update's read of the order's state alone (a status event), hook_read_state_for_update (migration 0015)",
          alone: true,
          statement: () => {
            const requestId = newRequestId()
            return Promise.resolve({
              statement: updateStatements(schema).readStateForUpdate(
                key,
                journalStatements(schema).ofRequest(requestId, false),
              ),
              requestId,
            })
          },
        },
        {
          name: "a status event's write, hook_status_write",
          alone: true,
          statement: async () => {
            const requestId = newRequestId()
            const seen = await orderNow()
            const found = await one().repository.findOrder(key as OriginalOrderId)()
            if (E.isLeft(found) || O.isNone(found.right)) throw new Error('no order to change')
            const order = found.right.value
            const changed: typeof order = {
              ...order,
              status: order.status === 'paid' ? 'handed_to_courier' : 'paid',
              updatedAt: new Date(),
            }
            return {
              statement: updateStatements(schema).statusWrite({
                originalOrderId: key,
                requestId,
                lockWaitMs: 1_000,
                seen: { id: seen.id, version: seen.version },
                changed: { order: changed, at: new Date() },
                entry: entryOf(requestId, 'order.paid', 'applied'),
                storedAt: new Date(),
                rewrites: undefined,
              }),
              requestId,
            }
          },
        },
        {
          name: "a repeated create's request 1, hook_probe_create (journals the duplicate when it runs)",
          alone: true,
          statement: () => {
            const requestId = newRequestId()
            return Promise.resolve({
              statement: creates.probe(duplicateOf(key, requestId), {}, 'entry_request_id'),
              requestId,
            })
          },
        },
        {
          name: "a new order's request 1, hook_probe_create",
          alone: true,
          statement: () => {
            const requestId = newRequestId()
            return Promise.resolve({
              statement: creates.probe(duplicateOf(uniqueOrderId('GN'), requestId), {}, 'entry_request_id'),
              requestId,
            })
          },
        },
        {
          name: 'a text (the journal entry of a request), with the text guard',
          alone: false,
          statement: () => {
            const requestId = newRequestId()
            return Promise.resolve({
              statement: journalStatements(schema).insertEntry(
                entryOf(requestId, 'order.paid', 'rejected'),
                new Date(),
              ),
              requestId,
            })
          },
        },
      ]
    }

    const send = (statement: SqlStatement): Promise<unknown> =>
      withBudget(BUDGET_MS, (budget) => outsideTransaction(one().pool, budget, statement))

    it('sends each procedure call alone and every text after the guard, and runs each on a clean connection', async function () {
      this.timeout(30_000)
      const recorder = installDriverRecorder()
      for (const call of calls()) {
        const { statement, requestId } = await call.statement()
        const collecting = recorder.collect()
        await send(statement)
        const sent = collecting.stop()
        expect(
          sent.map((r) => r.text),
          call.name,
        ).to.deep.equal([call.alone ? statement.text : `${connectionGuard(0)}${statement.text}`])
        expect(sent[0]?.text.startsWith('EXEC '), call.name).to.equal(call.alone)
        // What it writes when it runs: the status write, the repeated create's duplicate and the text their entry.
        const writes = call.name.includes("new order's") || call.name.includes("update's read") ? 0 : 1
        expect(await journalRows(requestId), call.name).to.equal(writes)
      }
      expect((await orderNow()).status).to.equal('paid')
    })

    for (const state of BAD_STATES) {
      it(`refuses each of them on a pooled connection with ${state} (error ${String(CONNECTION_STATE_ERROR)}), ${state === 'an open transaction' ? 'rolls that transaction back' : 'runs none of it'}, and writes nothing`, async function () {
        this.timeout(30_000)
        for (const call of calls()) {
          const { statement, requestId } = await call.statement()
          const before = await orderNow()
          await spoil(state)
          const error = await send(statement).then(
            () => undefined,
            (e: unknown) => e,
          )
          const after = await sessionState()
          await restore(state)
          expect(error, `${call.name}: not refused`).to.be.instanceOf(Error)
          expect(serverErrorNumbers(error), call.name).to.include(CONNECTION_STATE_ERROR)
          const failure = classifySqlError('test', error)
          expect(failure._tag === 'Failed' && failure.error.reason, call.name).to.contain('pooled connection')
          // The transaction left open is rolled back by the refusal itself: none open, its row gone on this session.
          expect(after, call.name).to.deep.equal({
            trancount: 0,
            xactAbort: state !== 'XACT_ABORT off',
            markers: 0,
          })
          expect(await journalRows(requestId), `${call.name}: wrote its entry`).to.equal(0)
          expect(await orderNow(), `${call.name}: changed the order`).to.deep.equal(before)
        }
        // And the connection serves again once clean.
        expect(await sessionState()).to.deep.equal({ trancount: 0, xactAbort: true, markers: 0 })
      })
    }

    it("answers the port's StoreFailure for a status event and a repeated create on a connection left in a transaction, rolls it back, and serves both on it after", async function () {
      this.timeout(30_000)
      const { repository: r } = one()
      const status = aStatusReported('order.delivered', key)
      const event = anOrderCreated({ originalOrderId: key })
      const operations: readonly (readonly [string, () => Promise<E.Either<RepositoryError, unknown>>])[] = [
        [
          'a status event',
          () => r.applyUpdate(status.update, receiptFor('order.delivered', status.rawBody, new Date()))(),
        ],
        ['a repeated create', () => r.createOrGet(event, createdReceipt(event, new Date()))()],
      ]
      for (const [what, run] of operations) {
        await spoil('an open transaction')
        const refused = await run()
        expect(E.isLeft(refused) && refused.left, what).to.include({ _tag: 'StoreFailure' })
        expect(E.isLeft(refused) && refused.left.reason, what).to.contain('open transaction')
        expect(await sessionState(), what).to.deep.equal({ trancount: 0, xactAbort: true, markers: 0 })
        const served = await run()
        expect(E.isRight(served), `${what}: ${JSON.stringify(served)}`).to.equal(true)
      }
      expect((await orderNow()).status).to.equal('delivered')
    })

    it('refuses to send a procedure that guards itself inside a transaction (its guard expects none): a bug, not a state', async function () {
      this.timeout(30_000)
      const { fixture: f, pool: p } = one()
      const read = updateStatements(f.settings.schema).readForUpdate(
        key,
        {},
        journalStatements(f.settings.schema).ofRequest(newRequestId(), false),
      )
      const error = await withBudget(BUDGET_MS, (budget) => inTransaction(p, budget, (sent) => sent(read))).then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).to.be.instanceOf(Error)
      expect((error as Error).message).to.contain('outside a transaction only')
      expect(await sessionState()).to.deep.equal({ trancount: 0, xactAbort: true, markers: 0 })
    })
  })
}
