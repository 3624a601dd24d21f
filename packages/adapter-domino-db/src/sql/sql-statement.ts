import type mssql from 'mssql'

/**
 * One typed parameter of a statement; `name` without the `@`. With `bind`, the parameter takes the value of a
 * variable of the surrounding batch instead of `value` (`output`: and hands its value back to it), so that the
 * statements of one batch can pass on what an earlier one made (the new order's id, the journal entry's id).
 */
export interface SqlParam {
  readonly name: string
  readonly type: mssql.ISqlType
  readonly value: unknown
  readonly bind?: { readonly variable: string; readonly output: boolean }
}

/**
 * A parameterised T-SQL statement (or a few), run through `sp_executesql` inside a batch. The text holds no value
 * that came from a request: only the validated schema name, column names and numbers the adapter made up. The
 * parameter values travel as the arguments of `sp_executesql` (see `sql-literal.ts` for why as literals).
 */
export interface SqlStatement {
  readonly text: string
  readonly params: readonly SqlParam[]
}

/** SQL Server accepts at most 2100 parameters in one procedure call; each statement stays well under it. */
export const MAX_PARAMETERS_PER_REQUEST = 2100
