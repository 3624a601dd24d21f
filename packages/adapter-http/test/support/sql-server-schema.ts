import mssql from 'mssql'
import type { DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { mssqlConfig } from '@domino-sm/adapter-domino-db/internals'

/**
 * Drops what the migrations made in a test schema (docs/domino-integration.md §1: the procedure, the tables, the
 * sequence, the schema, and the hook's and consumers' roles), with the settings' own login. Refuses any schema that
 * is not a test schema (`sm_test_...`).
 */
export const dropTestSchema = async (settings: DominoDbSettings): Promise<void> => {
  const schema = settings.schema
  if (!/^sm_test_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a test schema`)
  const pool = await new mssql.ConnectionPool({ ...mssqlConfig(settings), pool: { max: 1, min: 0 } }).connect()
  try {
    await pool.request()
      .batch(`DROP PROCEDURE IF EXISTS [${schema}].[take_order_changes]; DROP PROCEDURE IF EXISTS [${schema}].[hook_duplicate_create]; DROP PROCEDURE IF EXISTS [${schema}].[hook_read_for_update]; DROP PROCEDURE IF EXISTS [${schema}].[hook_status_write]; DROP PROCEDURE IF EXISTS [${schema}].[hook_probe_create]; DROP PROCEDURE IF EXISTS [${schema}].[hook_read_state_for_update];
DROP TABLE IF EXISTS [${schema}].[order_change]; DROP TABLE IF EXISTS [${schema}].[order_change_key]; DROP TABLE IF EXISTS [${schema}].[change_consumer];
DROP TABLE IF EXISTS [${schema}].[order_line]; DROP TABLE IF EXISTS [${schema}].[order_header]; DROP TABLE IF EXISTS [${schema}].[pending_update];
DROP TABLE IF EXISTS [${schema}].[journal]; DROP TABLE IF EXISTS [${schema}].[schema_migration]; DROP SEQUENCE IF EXISTS [${schema}].[domino_number_seq];
DROP SCHEMA IF EXISTS [${schema}];`)
    await pool.request()
      .batch(`IF DATABASE_PRINCIPAL_ID(N'${schema}_consumer') IS NOT NULL DROP ROLE [${schema}_consumer];
IF DATABASE_PRINCIPAL_ID(N'${schema}_hook') IS NOT NULL DROP ROLE [${schema}_hook];`)
  } finally {
    await pool.close()
  }
}
