import mssql from 'mssql'
import type { OrderLine } from '@domino-sm/core'
import { lineColumns } from './domino-floor-columns.js'
import { linesObjects, type LineTableColumn } from './lines-parameter-schema.js'
import { COMPUTED_COLUMNS } from './lines-parameter-table.js'

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
          const source = COMPUTED_COLUMNS[c.name]
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
