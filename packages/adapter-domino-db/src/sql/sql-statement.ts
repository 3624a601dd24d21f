import type mssql from 'mssql'

/** One typed parameter of a statement; `name` without the `@`. */
export interface SqlParam {
  readonly name: string
  readonly type: mssql.ISqlType
  readonly value: unknown
}

/**
 * A parameterised T-SQL statement (or a few), sent as one request: `Request.input` for each parameter, then
 * `Request.query`, which the driver sends as an RPC of `sp_executesql` (TDS RPC), the statement text and the
 * parameter declarations fixed, the values as typed RPC arguments. The text holds no value that came from a
 * request: only the validated schema name, column names and numbers the adapter made up (a chunk's line numbers,
 * a statement's parameter names), so SQL Server caches one plan per statement and reuses it, and neither the plan
 * cache nor `sys.dm_exec_sql_text` holds a customer's data.
 */
export interface SqlStatement {
  readonly text: string
  readonly params: readonly SqlParam[]
  /**
   * The text is the call of one procedure alone, which opens with the connection guard of `driver/requests.ts` for a
   * request outside any transaction (migration 0014): the request is sent without the text guard, so that the T-SQL
   * engine compiles one statement per call, not two. Absent: the text guard goes first. `together` drops it.
   */
  readonly guardsItself?: true
}

/**
 * `EXEC [schema].[procedure] @p = @p, ...;`: the call of a procedure with every value a typed parameter, passed by
 * name. `guardsItself`: the procedure opens with the connection guard (migration 0014), so the call is sent alone.
 */
export const procedureCall = (procedure: string, params: readonly SqlParam[], guardsItself: boolean): SqlStatement => ({
  text: `EXEC ${procedure} ${params.map((p) => `@${p.name} = @${p.name}`).join(', ')};`,
  params,
  ...(guardsItself ? { guardsItself: true } : {}),
})

/** SQL Server accepts at most 2100 parameters in one procedure call; each request stays under it. */
export const MAX_PARAMETERS_PER_REQUEST = 2100

/**
 * Statements sent as one request. A parameter two statements share (the order's id, its key) is sent once; two
 * different values under one name are a bug of the adapter, refused here. The request is a text, guarded as texts are
 * (`guardsItself` dropped), even of one statement.
 */
export const together = (statements: readonly SqlStatement[]): SqlStatement => {
  const params = new Map<string, SqlParam>()
  for (const param of statements.flatMap((s) => s.params)) {
    const seen = params.get(param.name)
    if (seen === undefined) params.set(param.name, param)
    else if (seen.value !== param.value) throw new Error(`two values for the parameter @${param.name} in one request`)
  }
  return { text: statements.map((s) => s.text).join('\n'), params: [...params.values()] }
}

/**
 * Packs statements, in order, into as few requests as stay under the parameter limit: most operations are then
 * one request of writes, however many statements they have.
 */
export const packed = (
  statements: readonly SqlStatement[],
  limit: number = MAX_PARAMETERS_PER_REQUEST - 1,
): SqlStatement[] => {
  const requests: SqlStatement[][] = []
  let current: SqlStatement[] = []
  let count = 0
  for (const statement of statements) {
    if (current.length > 0 && count + statement.params.length > limit) {
      requests.push(current)
      current = []
      count = 0
    }
    current.push(statement)
    count += statement.params.length
  }
  if (current.length > 0) requests.push(current)
  return requests.map(together)
}
