import mssql from 'mssql'
import type { SqlParam, SqlStatement } from './sql-statement.js'

/**
 * Why the values of a parameterised statement travel as literals in a SQL batch, not as an RPC: a parameterised
 * request of the driver is an RPC call of `sp_executesql`, and SQL Server raises error 266 ("Transaction count after
 * EXECUTE indicates a mismatching number of BEGIN and COMMIT statements") when a procedure call ends with another
 * @@TRANCOUNT than it began with. So `BEGIN TRANSACTION` and `COMMIT` must sit in a plain batch (TDS SQLBatch), and a
 * batch carries no parameters. The batch therefore calls `sp_executesql` itself, with the statement text and its
 * parameter declarations fixed (SQL Server caches and reuses the statement's plan) and the values as literals
 * encoded here: the statement itself stays parameterised; only the call's arguments are text.
 *
 * The encoding is complete for T-SQL: a Unicode string literal N'...' has exactly one escape, the doubled quote, and
 * the batch text is UTF-16 end to end (no code-page conversion that could turn a look-alike into a quote).
 */
export const sqlLiteral = (value: unknown): string => {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'string') return `N'${value.replace(/'/g, "''")}'`
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new TypeError('only safe integers are written as numbers')
    return String(value)
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('an invalid date cannot be written')
    // ISO 8601 with an explicit offset: DATETIMEOFFSET reads it the same under every DATEFORMAT and LANGUAGE.
    return `N'${value.toISOString().replace('Z', '+00:00')}'`
  }
  throw new TypeError(`no T-SQL literal for a ${typeof value}`)
}

const sized = (name: string, length: unknown, maxFixed: number): string =>
  typeof length === 'number' && length > 0 && length <= maxFixed ? `${name}(${length})` : `${name}(MAX)`

/** The declaration of a parameter type in `sp_executesql`'s parameter list; only the types the adapter uses. */
export const declarationOf = (sqlType: mssql.ISqlType): string => {
  const { type } = sqlType
  const length = (sqlType as { readonly length?: unknown }).length
  const scale = (sqlType as { readonly scale?: unknown }).scale
  if (type === mssql.NVarChar) return sized('NVARCHAR', length, 4000)
  if (type === mssql.Char) return `CHAR(${typeof length === 'number' ? length : 1})`
  if (type === mssql.BigInt) return 'BIGINT'
  if (type === mssql.Int) return 'INT'
  if (type === mssql.SmallInt) return 'SMALLINT'
  if (type === mssql.Bit) return 'BIT'
  if (type === mssql.DateTimeOffset) return `DATETIMEOFFSET(${typeof scale === 'number' ? scale : 7})`
  throw new TypeError('a parameter type the adapter does not write')
}

const argument = (param: SqlParam): string =>
  param.bind === undefined ? `@${param.name} = ${sqlLiteral(param.value)}` : `@${param.name} = @${param.bind.variable}${param.bind.output ? ' OUTPUT' : ''}`

/** The batch variables that the statement's bound parameters use, with their declarations. */
export const boundVariables = (statement: SqlStatement): readonly { readonly variable: string; readonly declaration: string }[] =>
  statement.params.flatMap((p) => (p.bind === undefined ? [] : [{ variable: p.bind.variable, declaration: declarationOf(p.type) }]))

/** `EXEC sp_executesql N'<text>', N'<declarations>', @p = <value>, ...;`: one statement of a batch. */
export const execStatement = (statement: SqlStatement): string => {
  const declarations = statement.params.map((p) => `@${p.name} ${declarationOf(p.type)}${p.bind?.output === true ? ' OUTPUT' : ''}`)
  if (statement.params.length === 0) return `EXEC sp_executesql ${sqlLiteral(statement.text)};`
  return `EXEC sp_executesql ${sqlLiteral(statement.text)}, ${sqlLiteral(declarations.join(', '))},\n  ${statement.params.map(argument).join(', ')};`
}
