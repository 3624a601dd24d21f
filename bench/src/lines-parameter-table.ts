import mssql from 'mssql'
import type { OrderLine } from '@domino-sm/core'
import { lineColumns } from './domino-floor-columns.js'
import { linesObjects, type LineTableColumn } from './lines-parameter-schema.js'

/** The writable columns of `order_line` after `order_id` and `line_no`, with the store's parameter types. */
export const LINE_PARAMETER_COLUMNS = lineColumns({ sku: '', quantity: 0, price: 0 } as unknown as OrderLine)

/** The T-SQL declaration of a parameter type the store uses for a line's column. */
const declarationOf = (type: mssql.ISqlType): string => {
  const t = type as { type: unknown; length?: number }
  if (t.type === mssql.NVarChar) return `nvarchar(${t.length === mssql.MAX ? 'max' : String(t.length)})`
  if (t.type === mssql.BigInt) return 'bigint'
  if (t.type === mssql.Int) return 'int'
  throw new Error('a line column of a parameter type the bench does not declare')
}

/**
 * The computed columns of `order_line` (migration 0002: the DECIMAL views of the integer columns), each with the
 * column and the scale it is computed from, so that the check can say what SQL Server must show for them.
 */
export const COMPUTED_COLUMNS: Readonly<Record<string, readonly [string, number]>> = {
  quantity: ['quantity_milli', 3],
  original_quantity: ['original_quantity_milli', 3],
  price: ['price_kopecks', 2],
  discount_price: ['discount_price_kopecks', 2],
  total_price: ['total_price_kopecks', 2],
  total_discount_price: ['total_discount_price_kopecks', 2],
}

/**
 * Refuses a table the bench does not write exactly: a writable column it does not send (a migration added one), one
 * it sends that the table lacks, a type other than the store's parameter's, a computed column it cannot check.
 */
export const checkLineTable = (columns: readonly LineTableColumn[]): void => {
  const problems: string[] = []
  const writable = columns.filter((c) => !c.computed && c.name !== 'order_id' && c.name !== 'line_no')
  const sent = new Map(LINE_PARAMETER_COLUMNS.map((c) => [c.column, declarationOf(c.type)]))
  for (const c of writable) {
    const declared = sent.get(c.name)
    if (declared === undefined) problems.push(`order_line.${c.name} is not written by the bench`)
    else if (declared !== c.declaration) problems.push(`order_line.${c.name} is ${c.declaration}, sent as ${declared}`)
  }
  for (const name of sent.keys())
    if (!writable.some((c) => c.name === name)) problems.push(`order_line has no column ${name}`)
  for (const c of columns.filter((c) => c.computed))
    if (COMPUTED_COLUMNS[c.name] === undefined)
      problems.push(`order_line.${c.name} is computed in a way the bench does not check`)
  if (problems.length > 0) throw new Error(`the bench's order_line is not the store's:\n  ${problems.join('\n  ')}`)
}

/** Writable columns of the type and the procedures: `line_no` then the line's columns, in the table's order. */
const typedColumns = (columns: readonly LineTableColumn[]): LineTableColumn[] =>
  columns.filter((c) => !c.computed && c.name !== 'order_id')

/** `CREATE TYPE ... AS TABLE`: the lines of one order, with `order_line`'s types. */
export const tableTypeDdl = (schema: string, columns: readonly LineTableColumn[]): string => {
  const { tableType } = linesObjects(schema)
  const list = typedColumns(columns).map((c) => `  ${c.name} ${c.declaration} ${c.nullable ? 'NULL' : 'NOT NULL'}`)
  return `CREATE TYPE ${tableType.replace(/^(\w+)\.(\w+)$/, '[$1].[$2]')} AS TABLE (\n${list.join(',\n')}\n)`
}

/** The procedures that insert one order's lines, each in one transaction (XACT_ABORT: all or nothing). */
export const procedureDdl = (schema: string, columns: readonly LineTableColumn[], way: 'tvp' | 'json'): string => {
  const { table, tableType, tvpProcedure, jsonProcedure } = linesObjects(schema)
  const bracket = (name: string): string => name.replace(/^(\w+)\.(\w+)$/, '[$1].[$2]')
  const names = typedColumns(columns).map((c) => c.name)
  const insert = `INSERT INTO ${table} (order_id, ${names.join(', ')})`
  const body =
    way === 'tvp'
      ? `${insert}\n  SELECT @order_id, ${names.join(', ')} FROM @lines;`
      : `${insert}\n  SELECT @order_id, ${names.map((n) => `j.${n}`).join(', ')}\n  FROM OPENJSON(@lines) WITH (\n${typedColumns(
          columns,
        )
          .map((c) => `    ${c.name} ${c.declaration} '$.${c.name}'`)
          .join(',\n')}\n  ) AS j;`
  const parameter = way === 'tvp' ? `@lines ${bracket(tableType)} READONLY` : '@lines NVARCHAR(MAX)'
  return `CREATE PROCEDURE ${bracket(way === 'tvp' ? tvpProcedure : jsonProcedure)} @order_id BIGINT, ${parameter}
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;
  BEGIN TRANSACTION;
  ${body}
  COMMIT TRANSACTION;
END`
}
