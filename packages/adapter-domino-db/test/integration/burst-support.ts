import mssql from 'mssql'
import { changeQueueConsumers, openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import { consumerName, migratedSchema, type MigratedSchema } from './sql-server-harness.js'

/**
 * What the burst tests share (`create-burst.test.ts`, `status-burst.test.ts`): SberMarket's retries of one event
 * after a timeout arrive together, spread over the instances; `COPIES` of them at once, through pools of `POOL`.
 */
export const COPIES = 24
export const POOL = 10

/** The change rows of one key, per consumer name and kind. */
export const changeRows = async (admin: mssql.ConnectionPool, schema: string, key: string): Promise<string[]> => {
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

/** What a burst test runs on, once its `before` hook has run. */
export interface BurstSchema {
  readonly fixture: () => MigratedSchema
  /** Two hook instances on the schema: two stores, each with its own pool of `POOL` sessions. */
  readonly stores: () => readonly DominoDbStore[]
}

/**
 * Registers, in the calling `describe`, the hooks that make a fresh migrated schema with the consumers `erp` and
 * `audit` and open two stores on it, opened (and warmed) as serve opens them; and that close and drop them after.
 */
export const burstSchema = (url: string): BurstSchema => {
  let fixture: MigratedSchema | undefined
  let stores: DominoDbStore[] = []
  before(async () => {
    fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: String(POOL), DOMINO_DB_POOL_MIN: String(POOL) })
    for (const name of [consumerName('erp'), consumerName('audit')])
      await changeQueueConsumers(fixture.admin, fixture.settings.schema).add(name)
    stores = [
      await openDominoDbStore(fixture.settings, { now: () => new Date() }),
      await openDominoDbStore(fixture.settings, { now: () => new Date() }),
    ]
  })
  after(async () => {
    for (const store of stores) await store.close()
    await fixture?.drop()
  })
  return {
    fixture: () => {
      if (fixture === undefined) throw new Error('not set up')
      return fixture
    },
    stores: () => stores,
  }
}
