import type mssql from 'mssql'

/** One typed parameter of a statement; `name` without the `@`. */
export interface SqlParam {
  readonly name: string
  readonly type: mssql.ISqlType
  readonly value: unknown
}

/**
 * A parameterised T-SQL statement (or a few, run as one request through `sp_executesql`). The text holds no value
 * that came from a request: only the validated schema name, column names and numbers the adapter made up.
 */
export interface SqlStatement {
  readonly text: string
  readonly params: readonly SqlParam[]
}

/** SQL Server accepts at most 2100 parameters in one request; the statements stay well under it. */
export const MAX_PARAMETERS_PER_REQUEST = 2100
