import mssql from 'mssql'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { MIGRATION_LOCK_HELD } from '../sql/error-numbers.js'
import type { AppliedMigration, SchemaState } from './migration-plan.js'

const appliedMigrations = async (
  request: () => mssql.Request,
  schema: SchemaName,
): Promise<readonly AppliedMigration[]> => {
  const result = await request().query<{ version: number; name: string; checksum: string }>(
    `SELECT version, name, checksum FROM ${qualified(schema, 'schema_migration')} ORDER BY version;`,
  )
  return result.recordset.map((row) => ({ version: row.version, name: row.name, checksum: row.checksum }))
}

/**
 * Takes the migration lock of the schema (exclusive, until the transaction ends; waits up to 60 s for another
 * run) and reads the schema's state.
 */
export const readSchemaState = async (transaction: mssql.Transaction, schema: SchemaName): Promise<SchemaState> => {
  const result = await new mssql.Request(transaction)
    .input('resource', mssql.NVarChar(255), `domino-sbermarket-hook:migrate:${schema}`)
    .input('schema', mssql.NVarChar(128), schema)
    .input('migration_table', mssql.NVarChar(300), qualified(schema, 'schema_migration')).query<{
    schema_id: number | null
    table_id: number | null
    object_count: number
  }>(`DECLARE @lock INT;
EXEC @lock = sp_getapplock @Resource = @resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 60000;
IF @lock < 0
BEGIN
  THROW ${MIGRATION_LOCK_HELD}, N'domino-sm: another migrate run holds the migration lock', 1;
END;
SELECT SCHEMA_ID(@schema) AS schema_id,
       OBJECT_ID(@migration_table, N'U') AS table_id,
       (SELECT COUNT(*) FROM sys.objects WHERE schema_id = SCHEMA_ID(@schema)) AS object_count;`)
  const row = result.recordset[0]
  const schemaExists = row?.schema_id !== null && row?.schema_id !== undefined
  const tableExists = row?.table_id !== null && row?.table_id !== undefined
  return {
    schemaExists,
    objectCount: row?.object_count ?? 0,
    applied: tableExists ? await appliedMigrations(() => new mssql.Request(transaction), schema) : undefined,
  }
}

/** The applied migrations, for `serve`'s start-up check (no lock: it only reads); `undefined` without the table. */
export const readAppliedMigrations = async (
  pool: mssql.ConnectionPool,
  schema: SchemaName,
): Promise<readonly AppliedMigration[] | undefined> => {
  const exists = await pool
    .request()
    .input('migration_table', mssql.NVarChar(300), qualified(schema, 'schema_migration'))
    .query<{ table_id: number | null }>(`SELECT OBJECT_ID(@migration_table, N'U') AS table_id;`)
  if (exists.recordset[0]?.table_id === null || exists.recordset[0]?.table_id === undefined) return undefined
  return appliedMigrations(() => pool.request(), schema)
}
