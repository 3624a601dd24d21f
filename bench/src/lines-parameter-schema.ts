import mssql from 'mssql'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** The store's shipped migrations, read as a DBA's `migrate` reads them (packages/adapter-domino-db/migrations). */
const MIGRATIONS = fileURLToPath(new URL('../../packages/adapter-domino-db/migrations/', import.meta.url))

/** A batch that defines `order_line`: its CREATE TABLE, an ALTER TABLE, an index on it. */
const ORDER_LINE_BATCH =
  /^(CREATE\s+TABLE|ALTER\s+TABLE)\s+\[\{\{schema\}\}\]\.\[order_line\]|^CREATE\s+(UNIQUE\s+)?((NON)?CLUSTERED\s+)?INDEX\s+\[\w+\]\s+ON\s+\[\{\{schema\}\}\]\.\[order_line\]/i

/**
 * The batches of the shipped migrations that define `order_line`, in migration order, with `{{schema}}` where the
 * schema goes: so that the bench's table has the columns, types, computed columns, checks and key of the store's,
 * and follows a migration that changes them. Comment lines before a batch's statement are left out.
 */
const orderLineBatches = (): string[] =>
  readdirSync(MIGRATIONS)
    .filter((file) => /^\d{4}_.*\.sql$/.test(file))
    .sort()
    .flatMap((file) => readFileSync(`${MIGRATIONS}${file}`, 'utf8').split(/^\s*GO\s*$/im))
    .map((batch) =>
      batch
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((batch) => ORDER_LINE_BATCH.test(batch))

/** One column of the bench's `order_line`, as `sys.columns` describes it. */
export interface LineTableColumn {
  readonly name: string
  /** The T-SQL type as a declaration: `nvarchar(255)`, `nvarchar(max)`, `bigint`, ... */
  readonly declaration: string
  readonly nullable: boolean
  readonly computed: boolean
}

/** A name the tool made up (no value from outside): letters, digits and underscores. */
const checkedName = (name: string): string => {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`not a bench schema name: ${name}`)
  return name
}

/**
 * Creates `schema` with the store's `order_line` (from the migrations) and, for its foreign key, an `order_header`
 * that has only the key: the orders' ids are inserted there before any clock starts (`addOrderIds`).
 */
export const createLineSchema = async (pool: mssql.ConnectionPool, schema: string): Promise<void> => {
  const s = checkedName(schema)
  await pool.request().batch(`CREATE SCHEMA [${s}]`)
  await pool
    .request()
    .batch(`CREATE TABLE [${s}].[order_header] (id BIGINT NOT NULL CONSTRAINT [PK_order_header] PRIMARY KEY)`)
  const batches = orderLineBatches()
  if (batches.length === 0) throw new Error(`no batch defines order_line in ${MIGRATIONS}`)
  for (const batch of batches) {
    const text = batch.replaceAll('{{schema}}', s)
    if (text.includes('{{'))
      throw new Error(`a migration batch of order_line has a placeholder the bench does not fill:\n${text}`)
    await pool.request().batch(text)
  }
}

/** Inserts the orders' ids `from`..`to` into the schema's `order_header` (their lines' foreign key). */
export const addOrderIds = async (
  pool: mssql.ConnectionPool,
  schema: string,
  from: number,
  to: number,
): Promise<void> => {
  await pool
    .request()
    .input('from', mssql.BigInt(), from)
    .input('to', mssql.BigInt(), to)
    .query(
      `SET NOCOUNT ON; DECLARE @id BIGINT = @from;
WHILE @id <= @to BEGIN INSERT INTO [${checkedName(schema)}].[order_header] (id) VALUES (@id); SET @id = @id + 1; END;`,
    )
}

/** The columns of the schema's `order_line`, in their order. */
export const lineTableColumns = async (pool: mssql.ConnectionPool, schema: string): Promise<LineTableColumn[]> => {
  const result = await pool
    .request()
    .input('table', mssql.NVarChar(300), `[${checkedName(schema)}].[order_line]`)
    .query<{ name: string; type: string; max_length: number; is_nullable: boolean; is_computed: boolean }>(
      `SELECT c.name, TYPE_NAME(c.system_type_id) AS type, c.max_length, c.is_nullable, c.is_computed
FROM sys.columns AS c WHERE c.object_id = OBJECT_ID(@table) ORDER BY c.column_id`,
    )
  return result.recordset.map((c) => {
    const type = c.type.toLowerCase()
    const declaration =
      type === 'nvarchar' || type === 'nchar'
        ? `${type}(${c.max_length === -1 ? 'max' : String(c.max_length / 2)})`
        : type === 'varchar' || type === 'char'
          ? `${type}(${c.max_length === -1 ? 'max' : String(c.max_length)})`
          : type
    return { name: c.name, declaration, nullable: c.is_nullable, computed: c.is_computed }
  })
}

/** The names of the TVP's table type and of the two procedures, in `schema`. */
export const linesObjects = (schema: string) => {
  const s = checkedName(schema)
  return {
    table: `[${s}].[order_line]`,
    tableType: `${s}.order_line_list`,
    tvpProcedure: `${s}.insert_lines_tvp`,
    jsonProcedure: `${s}.insert_lines_json`,
  }
}

/** Drops everything the tool created, then the schema. */
export const dropLineSchema = async (pool: mssql.ConnectionPool, schema: string): Promise<void> => {
  const s = checkedName(schema)
  await pool.request()
    .batch(`IF OBJECT_ID(N'[${s}].[insert_lines_tvp]') IS NOT NULL DROP PROCEDURE [${s}].[insert_lines_tvp];
IF OBJECT_ID(N'[${s}].[insert_lines_json]') IS NOT NULL DROP PROCEDURE [${s}].[insert_lines_json];`)
  await pool.request().batch(`IF TYPE_ID(N'${s}.order_line_list') IS NOT NULL DROP TYPE [${s}].[order_line_list];`)
  await pool.request().batch(`IF OBJECT_ID(N'[${s}].[order_line]') IS NOT NULL DROP TABLE [${s}].[order_line];
IF OBJECT_ID(N'[${s}].[order_header]') IS NOT NULL DROP TABLE [${s}].[order_header];`)
  await pool.request().batch(`DROP SCHEMA [${s}]`)
}
