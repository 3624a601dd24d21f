import mssql from 'mssql'
import type { OrderLine } from '@domino-sm/core'
import { lineColumns } from './domino-floor-columns.js'
import { linesObjects, type LineTableColumn } from './lines-parameter-schema.js'

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

/** The writable columns of `order_line` after `order_id` and `line_no`, with the store's parameter types. */
const SAMPLE_COLUMNS = lineColumns({ sku: '', quantity: 0, price: 0 } as unknown as OrderLine)

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
const COMPUTED: Readonly<Record<string, readonly [string, number]>> = {
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
  const sent = new Map(SAMPLE_COLUMNS.map((c) => [c.column, declarationOf(c.type)]))
  for (const c of writable) {
    const declared = sent.get(c.name)
    if (declared === undefined) problems.push(`order_line.${c.name} is not written by the bench`)
    else if (declared !== c.declaration) problems.push(`order_line.${c.name} is ${c.declaration}, sent as ${declared}`)
  }
  for (const name of sent.keys())
    if (!writable.some((c) => c.name === name)) problems.push(`order_line has no column ${name}`)
  for (const c of columns.filter((c) => c.computed))
    if (COMPUTED[c.name] === undefined)
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

interface ScalarRequest {
  readonly text: string
  readonly params: readonly { readonly name: string; readonly type: mssql.ISqlType; readonly value: unknown }[]
}

/** Way (a)'s requests for one order: the store's INSERT ... VALUES statements, packed under 2100 parameters. */
const scalarRequests = (schema: string, orderId: number, lines: readonly OrderLine[]): ScalarRequest[] => {
  const { table } = linesObjects(schema)
  const columns = ['order_id', 'line_no', ...SAMPLE_COLUMNS.map((c) => c.column)].join(', ')
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
  for (const c of SAMPLE_COLUMNS) table.columns.add(c.column, c.type, { nullable: true })
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

/** How the values of a way's rows compare with what the store writes. */
type RowsVerdict = 'exact' | 'escapes kept' | 'differ'

export interface RowsCheck {
  readonly verdict: RowsVerdict
  readonly orders: number
  readonly values: number
  /** Values that differ from the store's (under `exact`), and the first few of them in words. */
  readonly differing: number
  readonly examples: readonly string[]
}

/** A whole number of `scale` decimals as SQL Server shows a DECIMAL(19, scale): 1250 at 3 is "1.250". */
const scaled = (units: number, scale: number): string => {
  const digits = String(units).padStart(scale + 1, '0')
  return `${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

/**
 * Every value of one order's rows as the store writes it (the texts, the integers' digits, the computed DECIMALs),
 * keyed by column; `escaped` is a JSON string's text left unescaped, as an OPENJSON that does not unescape returns it.
 */
const expectedRows = (
  columns: readonly LineTableColumn[],
  lines: readonly OrderLine[],
  escaped: boolean,
): Record<string, string | null>[] =>
  lines.map((line, i) => {
    const written = new Map<string, unknown>(lineColumns(line).map((c) => [c.column, c.value]))
    const text = (value: unknown): string | null =>
      value === null || value === undefined
        ? null
        : typeof value === 'string'
          ? escaped
            ? JSON.stringify(value).slice(1, -1)
            : value
          : typeof value === 'number'
            ? String(value)
            : JSON.stringify(value)
    return Object.fromEntries(
      columns
        .filter((c) => c.name !== 'order_id')
        .map((c): [string, string | null] => {
          if (c.name === 'line_no') return [c.name, String(i + 1)]
          const source = COMPUTED[c.name]
          if (c.computed && source !== undefined) {
            const units = written.get(source[0])
            return [c.name, typeof units === 'number' ? scaled(units, source[1]) : null]
          }
          return [c.name, text(written.get(c.name))]
        }),
    )
  })

/**
 * Reads back the rows of the orders `from`..`to` (every value as text: the DECIMALs and BIGINTs cast to NVARCHAR, so
 * nothing passes through a JS number) and compares every value with what the store writes for `lines`. A way whose
 * values all match once JSON escapes are taken as kept is `escapes kept` (an OPENJSON that does not unescape).
 */
export const checkRows = async (
  pool: mssql.ConnectionPool,
  schema: string,
  columns: readonly LineTableColumn[],
  lines: readonly OrderLine[],
  from: number,
  to: number,
): Promise<RowsCheck> => {
  const { table } = linesObjects(schema)
  const select = columns
    .map((c) =>
      c.declaration.startsWith('nvarchar') ? `t.${c.name}` : `CAST(t.${c.name} AS NVARCHAR(100)) AS ${c.name}`,
    )
    .join(', ')
  const result = await pool
    .request()
    .input('from', mssql.BigInt(), from)
    .input('to', mssql.BigInt(), to)
    .query<Record<string, string | null>>(
      // Ordered by the table's columns, not by the text aliases of the same names.
      `SELECT ${select} FROM ${table} AS t WHERE t.order_id BETWEEN @from AND @to ORDER BY t.order_id, t.line_no`,
    )
  const byOrder = new Map<string, Record<string, string | null>[]>()
  for (const row of result.recordset) {
    const id = row['order_id'] ?? ''
    const rows = byOrder.get(id)
    if (rows === undefined) byOrder.set(id, [row])
    else rows.push(row)
  }
  const compare = (escaped: boolean): { differing: number; values: number; examples: string[] } => {
    const expected = expectedRows(columns, lines, escaped)
    let differing = 0
    let values = 0
    const examples: string[] = []
    const differs = (what: string): void => {
      differing += 1
      if (examples.length < 3) examples.push(what)
    }
    for (let id = from; id <= to; id += 1) {
      const rows = byOrder.get(String(id)) ?? []
      if (rows.length !== expected.length) differs(`order ${id}: ${rows.length} rows, ${expected.length} expected`)
      expected.forEach((want, i) => {
        for (const [column, value] of Object.entries(want)) {
          values += 1
          const got = rows[i]?.[column]
          if (got !== value)
            differs(
              `order ${id} line ${i + 1} ${column}: ${JSON.stringify(got)?.slice(0, 80)}, store: ${JSON.stringify(value)?.slice(0, 80)}`,
            )
        }
      })
    }
    return { differing, values, examples }
  }
  const exact = compare(false)
  const orders = to - from + 1
  if (exact.differing === 0) return { verdict: 'exact', orders, ...exact }
  const kept = compare(true)
  return { verdict: kept.differing === 0 ? 'escapes kept' : 'differ', orders, ...exact }
}

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
