import mssql from 'mssql'
import type { OrderLine } from '@domino-sm/core'
import { lineColumns } from './domino-floor-columns.js'
import { linesObjects } from './lines-parameter-schema.js'
import { LINE_PARAMETER_COLUMNS } from './lines-parameter-table.js'

/** The three ways of sending an order's lines that the tool compares. */
export type WayName = 'scalar' | 'tvp' | 'json'

export const WAY_LABELS: Readonly<Record<WayName, string>> = {
  scalar: '(a) typed scalar parameters',
  tvp: '(b) table-valued parameter',
  json: '(c) one JSON parameter',
}

/**
 * Today's shape (packages/adapter-domino-db/src/sql/order-statements.ts, `insertLines`): 150 lines per INSERT
 * (`LINES_PER_STATEMENT`), the statements packed into requests of at most 2099 parameters as `packed` does
 * (src/sql/sql-statement.ts: a statement's parameters counted whole, the order's id in each).
 */
const LINES_PER_STATEMENT = 150
const PARAMETERS_PER_REQUEST = 2099

interface ScalarRequest {
  readonly text: string
  readonly params: readonly { readonly name: string; readonly type: mssql.ISqlType; readonly value: unknown }[]
}

/** Way (a)'s requests for one order: the store's INSERT ... VALUES statements, packed under 2100 parameters. */
const scalarRequests = (schema: string, orderId: number, lines: readonly OrderLine[]): ScalarRequest[] => {
  const { table } = linesObjects(schema)
  const columns = ['order_id', 'line_no', ...LINE_PARAMETER_COLUMNS.map((c) => c.column)].join(', ')
  const statements: { text: string; params: ScalarRequest['params'][number][] }[] = []
  for (let start = 0; start < lines.length; start += LINES_PER_STATEMENT) {
    const rows: string[] = []
    const params: ScalarRequest['params'][number][] = [{ name: 'order_id', type: mssql.BigInt(), value: orderId }]
    lines.slice(start, start + LINES_PER_STATEMENT).forEach((line, i) => {
      const lineParams = lineColumns(line).map((c, k) => ({
        name: `l${start + i}_${k}`,
        type: c.type,
        value: c.value,
      }))
      params.push(...lineParams)
      rows.push(`(@order_id, ${start + i + 1}, ${lineParams.map((p) => `@${p.name}`).join(', ')})`)
    })
    statements.push({ text: `INSERT INTO ${table} (${columns}) VALUES\n  ${rows.join(',\n  ')};`, params })
  }
  const requests: (typeof statements)[] = []
  let current: typeof statements = []
  let count = 0
  for (const statement of statements) {
    if (current.length > 0 && count + statement.params.length > PARAMETERS_PER_REQUEST) {
      requests.push(current)
      current = []
      count = 0
    }
    current.push(statement)
    count += statement.params.length
  }
  if (current.length > 0) requests.push(current)
  // The order's id is one parameter of the request however many statements share it (`together`).
  return requests.map((r) => ({
    text: r.map((s) => s.text).join('\n'),
    params: r.flatMap((s, i) => (i === 0 ? s.params : s.params.slice(1))),
  }))
}

/** How many requests way (a) takes for an order of `lineCount` lines (BEGIN and COMMIT not counted). */
export const scalarRequestCount = (lineCount: number): number =>
  scalarRequests(
    's',
    0,
    Array.from({ length: lineCount }, () => ({ sku: '', quantity: 0, price: 0 }) as unknown as OrderLine),
  ).length

const withInputs = (request: mssql.Request, params: ScalarRequest['params']): mssql.Request => {
  for (const p of params) request.input(p.name, p.type, p.value)
  return request
}

/**
 * Way (a): one request in one transaction when the order fits one (`BEGIN TRANSACTION` ... `COMMIT` in the text, as
 * the store's request 2 and the bench's floor), else an mssql `Transaction` (its BEGIN and COMMIT are round trips
 * of their own) over the requests, XACT_ABORT on.
 */
const sendScalar = async (
  pool: mssql.ConnectionPool,
  schema: string,
  orderId: number,
  lines: readonly OrderLine[],
): Promise<void> => {
  const requests = scalarRequests(schema, orderId, lines)
  const [first] = requests
  if (first === undefined) throw new Error('an order without lines')
  if (requests.length === 1) {
    await withInputs(pool.request(), first.params).query(
      `SET XACT_ABORT ON; BEGIN TRANSACTION;\n${first.text}\nCOMMIT TRANSACTION;`,
    )
    return
  }
  const transaction = new mssql.Transaction(pool)
  await transaction.begin()
  try {
    for (const [i, r] of requests.entries())
      await withInputs(new mssql.Request(transaction), r.params).query(
        i === 0 ? `SET XACT_ABORT ON;\n${r.text}` : r.text,
      )
    await transaction.commit()
  } catch (error) {
    await transaction.rollback().catch(() => undefined)
    throw error
  }
}

/** Way (b): the lines as an `mssql.Table` of the table type, into the procedure. */
const sendTvp = async (
  pool: mssql.ConnectionPool,
  schema: string,
  orderId: number,
  lines: readonly OrderLine[],
): Promise<void> => {
  const { tableType, tvpProcedure } = linesObjects(schema)
  const table = new mssql.Table(tableType)
  table.columns.add('line_no', mssql.Int(), { nullable: false })
  for (const c of LINE_PARAMETER_COLUMNS) table.columns.add(c.column, c.type, { nullable: true })
  lines.forEach((line, i) =>
    table.rows.add(i + 1, ...(lineColumns(line).map((c) => c.value) as (string | number | null)[])),
  )
  await pool.request().input('order_id', mssql.BigInt(), orderId).input('lines', table).execute(tvpProcedure)
}

/**
 * The JSON of way (c): an array of objects named by the columns, `JSON.stringify`'s text. Exactness: the money and
 * quantities are integers (kopecks, thousandths: `Kopecks`, `Quantity` in core), safe integers in JS, written as JSON
 * integers and converted by `OPENJSON ... WITH (... BIGINT)` from their digits, no float anywhere; texts are JSON
 * strings (the marking codes' JSON array too, as the text the store writes, not as a nested array, whose text
 * `AS JSON` need not keep byte for byte); NULL is JSON `null`.
 */
const linesJson = (lines: readonly OrderLine[]): string =>
  JSON.stringify(
    lines.map((line, i) =>
      Object.fromEntries([['line_no', i + 1], ...lineColumns(line).map((c) => [c.column, c.value] as const)]),
    ),
  )

const sendJson = async (
  pool: mssql.ConnectionPool,
  schema: string,
  orderId: number,
  lines: readonly OrderLine[],
): Promise<void> => {
  await pool
    .request()
    .input('order_id', mssql.BigInt(), orderId)
    .input('lines', mssql.NVarChar(mssql.MAX), linesJson(lines))
    .execute(linesObjects(schema).jsonProcedure)
}

export const SENDERS: Readonly<
  Record<
    WayName,
    (pool: mssql.ConnectionPool, schema: string, orderId: number, lines: readonly OrderLine[]) => Promise<void>
  >
> = { scalar: sendScalar, tvp: sendTvp, json: sendJson }

/**
 * The lines with every apostrophe in their texts replaced by U+2019: what way (b) is measured on where the server
 * fails on an apostrophe in a TVP's value (`tvpApostropheFault`).
 */
export const withoutApostrophes = (lines: readonly OrderLine[]): readonly OrderLine[] => {
  const swap = (text: string | undefined): string | undefined => text?.replaceAll("'", '\u2019')
  return lines.map((line) => {
    const out: Record<string, unknown> = { ...line }
    for (const key of ['sku', 'name', 'weight', 'replacedBySku'] as const)
      if (line[key] !== undefined) out[key] = swap(line[key])
    if (line.markingCodes !== undefined) out['markingCodes'] = line.markingCodes.map((c) => c.replaceAll("'", '\u2019'))
    return out as unknown as OrderLine
  })
}

/**
 * Whether the server takes a TVP value that holds an apostrophe: one line of the order 0 (whose rows are deleted
 * afterwards), on a session of its own that is closed afterwards (on the T-SQL engine of the tests the failure leaves
 * its session unable to take any later TVP). That engine splices a TVP's values into SQL text unquoted
 * (BENCHMARKS.md): the answer is its error, `undefined` when the line went in.
 */
export const tvpApostropheFault = async (config: mssql.config, schema: string): Promise<string | undefined> => {
  const probe = { sku: "probe'1", name: "l'apostrophe", quantity: 1000, price: 1 } as unknown as OrderLine
  const pool = new mssql.ConnectionPool({ ...config, pool: { max: 1, min: 0 } })
  pool.on('error', () => undefined)
  await pool.connect()
  try {
    await sendTvp(pool, schema, 0, [probe])
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await pool.close()
  }
}
