import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { parseDominoDbSettings, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { mssqlConfig } from '@domino-sm/adapter-domino-db/internals'

/** The SQL Server the integration tests use, from DOMINO_DB_TEST_URL; `undefined` when it is not set. */
export const testServerUrl = (): string | undefined => {
  const url = process.env['DOMINO_DB_TEST_URL']
  return url === undefined || url.trim() === '' ? undefined : url
}

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
  const pool = new mssql.ConnectionPool({ ...mssqlConfig(settings), requestTimeout: 60_000 })
  pool.on('error', () => undefined)
  return pool.connect()
}

/** Drops every object the migrations create in `schema`, then the schema (SQL Server 2016+ for IF EXISTS). */
export const dropSchema = async (pool: mssql.ConnectionPool, schema: string): Promise<void> => {
  if (!/^sm_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a test schema`)
  await pool.request().batch(`DROP TABLE IF EXISTS [${schema}].[order_line];
DROP TABLE IF EXISTS [${schema}].[order_header];
DROP TABLE IF EXISTS [${schema}].[pending_update];
DROP TABLE IF EXISTS [${schema}].[journal];
DROP TABLE IF EXISTS [${schema}].[schema_migration];
DROP SEQUENCE IF EXISTS [${schema}].[domino_number_seq];
DROP SCHEMA IF EXISTS [${schema}];`)
}
