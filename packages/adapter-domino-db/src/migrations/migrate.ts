import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { openConnectionPool } from '../driver/connection-pool.js'
import type { DominoDbSettings } from '../settings/domino-db-settings.js'
import { DEFAULT_SCHEMA, parseSchemaName, qualified, type SchemaName } from '../settings/schema-name.js'
import { errorFacts } from '../driver/sql-error.js'
import { loadMigrations } from './load-migrations.js'
import { renderMigration, splitBatches, type Migration } from './migration-files.js'
import { planMigrations } from './migration-plan.js'
import { readSchemaState } from './schema-state.js'

/** Options of `migrate`. */
export interface MigrateOptions {
  /** The schema to migrate; default the settings' schema, else `sm`. Validated as a plain identifier. */
  readonly schema?: string
  /** The migrations to apply; default the ones shipped in the package. */
  readonly migrations?: readonly Migration[]
}

/** What `migrate` did. */
export interface MigrateReport {
  readonly schema: SchemaName
  /** The migrations applied now, like `0002_order_tables`. */
  readonly applied: readonly string[]
  /** How many were applied before. */
  readonly alreadyApplied: number
}

const label = (m: Migration): string => `${String(m.version).padStart(4, '0')}_${m.name}`

const schemaOf = (target: DominoDbSettings | mssql.ConnectionPool, requested: string | undefined): SchemaName => {
  if (requested === undefined) return target instanceof mssql.ConnectionPool ? DEFAULT_SCHEMA : target.schema
  const parsed = parseSchemaName(requested, 'schema')
  if (E.isLeft(parsed)) throw new Error(parsed.left)
  return parsed.right
}

const describe = (error: unknown): string => {
  const facts = errorFacts(error)
  const message = error instanceof Error ? error.message : 'unknown error'
  return facts.number === undefined ? message : `SQL Server error ${facts.number}: ${message}`
}

const applyAll = async (
  transaction: mssql.Transaction,
  schema: SchemaName,
  pending: readonly Migration[],
): Promise<void> => {
  for (const migration of pending) {
    const sql = renderMigration(migration, schema)
    if (E.isLeft(sql)) throw new Error(sql.left)
    try {
      // Batches are sent as they are (no parameters): DDL cannot take parameters, and the only value put into the
      // text is the schema name, validated as a plain identifier.
      for (const batch of splitBatches(sql.right)) await new mssql.Request(transaction).batch(batch)
      await new mssql.Request(transaction)
        .input('version', mssql.Int(), migration.version)
        .input('name', mssql.NVarChar(200), migration.name)
        .input('checksum', mssql.Char(64), migration.checksum)
        .query(
          `INSERT INTO ${qualified(schema, 'schema_migration')} (version, name, checksum) VALUES (@version, @name, @checksum);`,
        )
    } catch (error) {
      throw new Error(`migration ${label(migration)} failed, nothing was changed: ${describe(error)}`, { cause: error })
    }
  }
}

/**
 * Brings the schema up to date with the shipped migrations: reads what is applied, refuses any state it cannot
 * explain, and applies the rest in version order, recording each in `schema_migration`. Everything happens in one
 * transaction under an exclusive application lock (`sp_getapplock`), so two concurrent runs cannot interleave and a
 * failure leaves the schema as it was. Idempotent: a second run applies nothing. Run with an administrator login
 * (`domino-sbermarket-hook migrate`); the hook's own login has no DDL rights.
 */
export const migrate = async (
  target: DominoDbSettings | mssql.ConnectionPool,
  options: MigrateOptions = {},
): Promise<MigrateReport> => {
  const schema = schemaOf(target, options.schema)
  const shipped = options.migrations ?? (await loadMigrations())
  const opened = target instanceof mssql.ConnectionPool ? undefined : await openConnectionPool(target, 'migrate')
  const pool = target instanceof mssql.ConnectionPool ? target : opened?.pool
  if (pool === undefined) throw new Error('no connection pool')
  try {
    const transaction = new mssql.Transaction(pool)
    await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
    try {
      const state = await readSchemaState(transaction, schema)
      const plan = planMigrations(schema, shipped, state)
      if (E.isLeft(plan)) throw new Error(plan.left.join('; '))
      await applyAll(transaction, schema, plan.right)
      await transaction.commit()
      return { schema, applied: plan.right.map(label), alreadyApplied: (state.applied ?? []).length }
    } catch (error) {
      await transaction.rollback().catch(() => undefined)
      throw error
    }
  } finally {
    await opened?.close()
  }
}
