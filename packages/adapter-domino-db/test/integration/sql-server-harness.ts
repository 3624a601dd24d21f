import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import {
  migrate,
  parseConsumerName,
  parseDominoDbSettings,
  type ConsumerName,
  type DominoDbSettings,
} from '@domino-sm/adapter-domino-db'
import { mssqlConfig } from '@domino-sm/adapter-domino-db/internals'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'
import { aStatusReported, anOrderCreated, createdReceipt, receiptFor, uniqueOrderId } from '@domino-sm/testkit'

/** The SQL Server the integration tests use, from DOMINO_DB_TEST_URL; `undefined` when it is not set. */
export const testServerUrl = (): string | undefined => {
  const url = process.env['DOMINO_DB_TEST_URL']
  return url === undefined || url.trim() === '' ? undefined : url
}

/** How to run the suite, printed when it is skipped. */
export const HOW_TO_RUN =
  'SQL Server tests SKIPPED: DOMINO_DB_TEST_URL is not set. Run them with: ' +
  'tsql-engine start; DOMINO_DB_TEST_URL="$(tsql-engine create-db sm_test_$RANDOM)" npm test, with the local T-SQL engine ' +
  'that .ci/run starts ' +
  '(or any SQL Server database where the login may create schemas: docs/domino-integration.md section 8)'

/** A fresh schema name for one run, so that runs never see each other's rows. */
export const freshSchemaName = (): string => `sm_test_${randomBytes(5).toString('hex')}`

/** Settings for the test server and schema; `extra` overrides (pool size, timeouts). */
export const testSettings = (url: string, schema: string, extra: Record<string, string> = {}): DominoDbSettings => {
  const parsed = parseDominoDbSettings({ DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema, ...extra })
  if (E.isLeft(parsed)) throw new Error(`DOMINO_DB_TEST_URL: ${parsed.left.join('; ')}`)
  return parsed.right
}

/** A plain pool of the test login, for what the tests do around the adapter (dropping the schema, holding locks). */
export const openAdminPool = async (settings: DominoDbSettings): Promise<mssql.ConnectionPool> => {
  const pool = new mssql.ConnectionPool({ ...mssqlConfig(settings), requestTimeout: 60_000, pool: { max: 4, min: 0 } })
  pool.on('error', () => undefined)
  return pool.connect()
}

/** Drops every object the migrations create in `schema`, then the schema (SQL Server 2016+ for IF EXISTS). */
export const dropSchema = async (pool: mssql.ConnectionPool, schema: string): Promise<void> => {
  if (!/^sm_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a test schema`)
  await pool.request().batch(`DROP PROCEDURE IF EXISTS [${schema}].[take_order_changes];
DROP PROCEDURE IF EXISTS [${schema}].[hook_duplicate_create];
DROP PROCEDURE IF EXISTS [${schema}].[hook_read_for_update];
DROP PROCEDURE IF EXISTS [${schema}].[hook_status_write];
DROP PROCEDURE IF EXISTS [${schema}].[hook_probe_create];
DROP PROCEDURE IF EXISTS [${schema}].[hook_read_state_for_update];
DROP TABLE IF EXISTS [${schema}].[order_change];
DROP TABLE IF EXISTS [${schema}].[order_change_key];
DROP TABLE IF EXISTS [${schema}].[change_consumer];
DROP TABLE IF EXISTS [${schema}].[order_line];
DROP TABLE IF EXISTS [${schema}].[order_header];
DROP TABLE IF EXISTS [${schema}].[pending_update];
DROP TABLE IF EXISTS [${schema}].[journal];
DROP TABLE IF EXISTS [${schema}].[schema_migration];
DROP SEQUENCE IF EXISTS [${schema}].[domino_number_seq];
DROP SCHEMA IF EXISTS [${schema}];`)
  await pool
    .request()
    .batch(`IF DATABASE_PRINCIPAL_ID(N'${schema}_hook') IS NOT NULL DROP ROLE [${schema}_hook];`)
    .catch(() => undefined)
  await pool
    .request()
    .batch(`IF DATABASE_PRINCIPAL_ID(N'${schema}_consumer') IS NOT NULL DROP ROLE [${schema}_consumer];`)
    .catch(() => undefined)
}

/**
 * Makes every journal insert of `eventType` fail inside the database (a CHECK constraint), so that the contract can
 * show that the order change of such an operation is rolled back with it.
 */
export const failJournalInserts = async (
  pool: mssql.ConnectionPool,
  schema: string,
  eventType: string,
): Promise<void> => {
  if (!/^[a-z.-]+$/.test(eventType)) throw new Error('a plain event type only')
  await pool
    .request()
    .batch(
      `ALTER TABLE [${schema}].[journal] ADD CONSTRAINT [CK_journal_contract_poison] CHECK (event_type IS NULL OR event_type <> N'${eventType}');`,
    )
}

/** Prints why a test cannot run on this server and marks it pending (never a silent skip). */
export const pendingBecause = (context: Mocha.Context, reason: string): void => {
  console.log(`      PENDING on this server: ${reason}`)
  context.skip()
}

/** Whether the server is the local T-SQL engine (Babelfish), whose differences from SQL Server its README lists. */
export const isTsqlEngine = async (pool: mssql.ConnectionPool): Promise<boolean> => {
  const result = await pool.request().query<{ version: string }>('SELECT @@VERSION AS version;')
  return /babelfish/i.test(result.recordset[0]?.version ?? '')
}

/**
 * Runs every kind of operation once on each pooled connection (`connections` at once, twice), before anything is
 * timed. On SQL Server this only opens connections; the T-SQL engine also pays several hundred milliseconds for the
 * first statements of each fresh session (its per-session caches), which would otherwise land inside the timed
 * concurrency tests (README of tsql-engine: connections are slow to open there).
 */
export const warmStore = async (repository: OrderRepository, connections: number): Promise<void> => {
  for (let round = 0; round < 2; round += 1) {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const key = uniqueOrderId('W')
        const early = aStatusReported('order.paid', key)
        await repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date()))()
        const event = anOrderCreated({ originalOrderId: key })
        await repository.createOrGet(event, createdReceipt(event, new Date()))()
        await repository.createOrGet(event, createdReceipt(event, new Date()))()
        await repository.findOrder(key as OriginalOrderId)()
        await repository.listJournal(key)()
      }),
    )
  }
}

/** A migrated fresh schema for one test file, with an admin pool; `drop` removes both. */
export interface MigratedSchema {
  readonly schema: string
  readonly settings: DominoDbSettings
  readonly admin: mssql.ConnectionPool
  readonly drop: () => Promise<void>
}

export const migratedSchema = async (url: string, extra: Record<string, string> = {}): Promise<MigratedSchema> => {
  const schema = freshSchemaName()
  const settings = testSettings(url, schema, extra)
  const admin = await openAdminPool(settings)
  await migrate(admin, { schema })
  return {
    schema,
    settings,
    admin,
    drop: async () => {
      await dropSchema(admin, schema)
      await admin.close()
    },
  }
}

/** A change-queue consumer's name, from a text the test knows is valid. */
export const consumerName = (text: string): ConsumerName => {
  const name = parseConsumerName(text)
  if (E.isLeft(name)) throw new Error(name.left)
  return name.right
}
