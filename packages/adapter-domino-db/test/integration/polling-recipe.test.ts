import { expect } from 'chai'
import mssql from 'mssql'
import { openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'
import { migratedSchema, pendingBecause, testServerUrl, type MigratedSchema } from './sql-server-harness.js'

const url = testServerUrl()

/**
 * The polling recipe of docs/domino-integration.md section 4, verbatim but for the schema: rows from the last
 * stored bound (inclusive) up to MIN_ACTIVE_ROWVERSION() (exclusive); the bound is then stored as the next start.
 */
const pollOnce = async (
  pool: mssql.ConnectionPool,
  schema: string,
  from: Buffer,
): Promise<{ rows: { id: string; row_version: Buffer }[]; upto: Buffer }> => {
  const result = await pool.request().input('from', mssql.VarBinary(8), from).query<{
    id: string
    row_version: Buffer
  }>(`DECLARE @upto BINARY(8) = MIN_ACTIVE_ROWVERSION();
SELECT h.id, h.row_version FROM [${schema}].[order_header] AS h WHERE h.row_version >= @from AND h.row_version < @upto ORDER BY h.row_version;
SELECT @upto AS upto;`)
  const [rows, bound] = result.recordsets as unknown as [{ id: string; row_version: Buffer }[], { upto: Buffer }[]]
  const upto = bound[0]?.upto
  if (upto === undefined) throw new Error('no bound')
  return { rows, upto }
}

if (url !== undefined) {
  describe('SQL Server adapter: the rowversion polling recipe for Domino loses nothing under a concurrent writer', () => {
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined

    before(async function () {
      this.timeout(60_000)
      fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: '4', DOMINO_DB_POOL_MIN: '4' })
      store = await openDominoDbStore(fixture.settings, { now: () => new Date() })
    })

    after(async () => {
      await store?.close()
      await fixture?.drop()
    })

    it('sees the last version of every order a writer creates and changes while it polls', async function () {
      this.timeout(60_000)
      if (fixture === undefined || store === undefined) throw new Error('not set up')
      const probe = await fixture.admin
        .request()
        .query('SELECT MIN_ACTIVE_ROWVERSION() AS m;')
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      if (probe !== undefined)
        pendingBecause(
          this,
          `MIN_ACTIVE_ROWVERSION() is not available (${(probe as Error).message}); SQL Server has it since 2005 (SP2)`,
        )
      const repository = store.repository
      let writing = true
      const writer = async (): Promise<void> => {
        while (writing) {
          const key = uniqueOrderId('V')
          const event = anOrderCreated({ originalOrderId: key })
          await repository.createOrGet(event, createdReceipt(event, new Date()))()
          const paid = aStatusReported('order.paid', key)
          await repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date()))()
        }
      }
      const writers = Promise.all([writer(), writer(), writer()])
      const seen = new Map<string, string>()
      let from: Buffer = Buffer.alloc(8)
      const deadline = Date.now() + 2500
      let polls = 0
      while (Date.now() < deadline) {
        const { rows, upto } = await pollOnce(fixture.admin, fixture.schema, from)
        for (const row of rows) seen.set(row.id, row.row_version.toString('hex'))
        from = upto
        polls += 1
      }
      writing = false
      await writers
      const last = await pollOnce(fixture.admin, fixture.schema, from)
      for (const row of last.rows) seen.set(row.id, row.row_version.toString('hex'))
      const all = await fixture.admin
        .request()
        .query<{ id: string; row_version: Buffer }>(`SELECT id, row_version FROM [${fixture.schema}].[order_header];`)
      const missed = all.recordset.filter((row) => seen.get(row.id) !== row.row_version.toString('hex'))
      console.log(
        `      ${polls} polls while 3 writers made ${all.recordset.length} orders (each created, then paid); versions missed: ${missed.length}`,
      )
      expect(all.recordset.length).to.be.greaterThan(10)
      expect(missed).to.deep.equal([])
    })
  })
}
