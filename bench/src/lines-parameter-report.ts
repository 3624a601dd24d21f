import type { RowsCheck } from './lines-parameter-check.js'
import type { LinesParameterOptions } from './lines-parameter-options.js'
import { scalarRequestCount, WAY_LABELS, type WayName } from './lines-parameter-ways.js'

/** One way, size and round of `lines-parameter-cost`: its figures per order, or how it failed. */
export interface Measured {
  readonly way: WayName
  readonly lines: number
  readonly round: number
  readonly orders: number
  readonly ordersPerSecond: number
  readonly clientMicros: number
  readonly engineMicros: number | undefined
  readonly sessionMicros: number | undefined
  readonly rows: RowsCheck | undefined
  readonly failure: string | undefined
  readonly load: number
  /**
   * The server failed the TVP probe (`tvpApostropheFault`): its TVP is not SQL Server's, so what (b) does on it is
   * reported, not held against the run.
   */
  readonly faultyTvp: boolean
}

const fixed = (value: number | undefined, digits = 0): string =>
  value === undefined || !Number.isFinite(value)
    ? '-'
    : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** Prints the table and the notes; the exit code: 1 when a way failed or wrote other values than the store's. */
export const report = (
  options: LinesParameterOptions,
  results: readonly Measured[],
  given: readonly string[],
): number => {
  const notes = [...given]
  const out: string[] = [
    `lines-parameter-cost: ${options.orders} orders per way and size after ${options.warmupOrders}, concurrency ${options.concurrency}, pool ${options.pool}, ${options.rounds} round(s); every order one transaction`,
    '',
    '| way | lines | round | requests per order | orders/s | client CPU us/order | engine CPU us/order | own sessions CPU us/order | rows | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---:|',
  ]
  let failed = false
  for (const r of results) {
    const requests = r.way === 'scalar' ? scalarRequestCount(r.lines) : 1
    const rounds = r.way === 'scalar' && requests > 1 ? `${requests} (+ BEGIN, COMMIT)` : String(requests)
    const rows =
      r.failure !== undefined
        ? `FAILED${r.faultyTvp ? " (this server's TVP)" : ''}: ${r.failure.replaceAll('|', '/').slice(0, 200)}`
        : r.rows === undefined
          ? '-'
          : r.rows.verdict === 'exact'
            ? `exact (${r.rows.values} values)`
            : r.rows.verdict === 'escapes kept'
              ? `WRONG: JSON escapes kept in ${r.rows.differing} of ${r.rows.values} values`
              : `${r.faultyTvp ? "WRONG (this server's TVP)" : 'DIFFER'}: ${r.rows.differing} of ${r.rows.values} values`
    // An OPENJSON that keeps escapes, a TVP of a server that failed the TVP probe: the server's faults, reported;
    // any other difference or failure is the run's.
    if ((r.failure !== undefined || r.rows?.verdict === 'differ') && !r.faultyTvp) failed = true
    out.push(
      `| ${WAY_LABELS[r.way]} | ${r.lines} | ${r.round} | ${rounds} | ${fixed(r.ordersPerSecond, 1)} | ${fixed(r.clientMicros)} | ${fixed(r.engineMicros)} | ${fixed(r.sessionMicros)} | ${rows} | ${fixed(r.load, 2)} |`,
    )
  }
  out.push('')
  for (const r of results)
    for (const example of r.rows?.verdict === 'exact' ? [] : (r.rows?.examples ?? []))
      out.push(`${WAY_LABELS[r.way]}, ${r.lines} lines: ${example}`)
  if (results.some((r) => r.way === 'json' && r.rows?.verdict === 'escapes kept'))
    notes.push(
      `${WAY_LABELS.json}: this server's OPENJSON ... WITH returns JSON strings with their escapes (\\" \\\\ \\u001d) still in them: the rows it wrote are NOT the store's wherever a text holds a quote, a backslash or a control character; SQL Server unescapes them`,
    )
  notes.push(
    '(d) the same INSERT ... VALUES as a procedure: not possible, a procedure has a fixed list of parameters and an order does not have a fixed count of lines',
  )
  out.push(...notes.map((n) => `- ${n}`))
  out.push(failed ? 'checks: FAILED' : 'checks: passed')
  process.stdout.write(`${out.join('\n')}\n`)
  return failed ? 1 : 0
}
