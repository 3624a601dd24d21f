import mssql from 'mssql'
import { loadavg } from 'node:os'
import type { OrderLine } from '@domino-sm/core'
import { engineCpuBetween, engineCpuReader } from './engine-cpu.js'
import { sessionCpu, sessionCpuBetween } from '@domino-sm/testkit'
import {
  LinesParameterOptionError,
  linesParameterOptions,
  type LinesParameterOptions,
} from './lines-parameter-options.js'
import { orderLines } from './lines-parameter-orders.js'
import {
  addOrderIds,
  createLineSchema,
  dropLineSchema,
  lineTableColumns,
  linesObjects,
} from './lines-parameter-schema.js'
import { checkRows } from './lines-parameter-check.js'
import { report, type Measured } from './lines-parameter-report.js'
import { checkLineTable, procedureDdl, tableTypeDdl } from './lines-parameter-table.js'
import { SENDERS, tvpApostropheFault, withoutApostrophes, WAY_LABELS, type WayName } from './lines-parameter-ways.js'

/**
 * `BENCH_DOMINO_DB_URL=... node bench/dist/lines-parameter-cost.js`: what sending an order's lines costs on SQL
 * Server three ways (BENCHMARKS.md, "How to run"): (a) today's typed scalar parameters and multi-row INSERT ...
 * VALUES, (b) a table-valued parameter into a procedure, (c) one NVARCHAR(MAX) JSON parameter into a procedure that
 * inserts FROM OPENJSON. In a schema of its own (created, then dropped), on the store's `order_line` (from the
 * migrations); every order one transaction; the rows read back and compared, value by value, with the store's.
 * A way the server does not have (CREATE TYPE or OPENJSON refused) is reported and left out; a way that fails after
 * that, or writes other values, fails the run (exit 1), except two faults of the T-SQL engine of the tests, which are
 * recognised and reported: an OPENJSON that leaves JSON escapes in the texts, and a TVP that fails the apostrophe
 * probe (`tvpApostropheFault`), whose results are then its own (BENCHMARKS.md). (d), (a) as a procedure, is not
 * possible: a procedure's parameters are fixed, an order's count of lines is not.
 */

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** `count` orders, `concurrency` at a time, the order ids `firstId`, `firstId + 1`, ... */
const sendOrders = async (
  send: (orderId: number) => Promise<void>,
  firstId: number,
  count: number,
  concurrency: number,
): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const id = firstId + next
        next += 1
        await send(id)
      }
    }),
  )
}

/**
 * A pool of `size` sessions, every one opened and used before any clock starts (the T-SQL engine's new sessions are
 * slow). Each way and size gets a fresh one, so that no way's sessions carry another way's state: on the T-SQL
 * engine of the tests, a session's first TVP call after it inserted through the table's foreign key otherwise
 * fails (BENCHMARKS.md).
 */
const openPool = async (config: mssql.config, size: number): Promise<mssql.ConnectionPool> => {
  const pool = new mssql.ConnectionPool({
    ...config,
    pool: { max: size, min: size, idleTimeoutMillis: 600_000 },
    options: { ...config.options, useUTC: true },
  })
  pool.on('error', () => undefined)
  await pool.connect()
  for (let i = 0; i < 2; i += 1)
    await Promise.all(Array.from({ length: size }, () => pool.request().query('SELECT 1 AS ok')))
  return pool
}

const run = async (options: LinesParameterOptions, url: string): Promise<number> => {
  const config = mssql.ConnectionPool.parseConnectionString(url)
  // Setup and the read-back on a pool of their own; each way and size is measured on a fresh pool (below).
  const pool = await openPool(config, 2)
  const schema = `lines_${Date.now().toString(36)}_${process.pid}`
  const notes: string[] = []
  const results: Measured[] = []
  try {
    await createLineSchema(pool, schema)
    const columns = await lineTableColumns(pool, schema)
    checkLineTable(columns)
    const level = (
      await pool
        .request()
        .query<{ level: number }>('SELECT compatibility_level AS level FROM sys.databases WHERE name = DB_NAME()')
    ).recordset[0]?.level
    notes.push(`database compatibility level: ${String(level)} (SQL Server has OPENJSON from 130 on)`)
    const ways: WayName[] = ['scalar']
    try {
      await pool.request().batch(tableTypeDdl(schema, columns))
      ways.push('tvp')
    } catch (error) {
      notes.push(`${WAY_LABELS.tvp}: NOT SUPPORTED here, CREATE TYPE ... AS TABLE refused: ${message(error)}`)
    }
    try {
      await pool
        .request()
        .input('j', mssql.NVarChar(mssql.MAX), '[{"n":1}]')
        .query("SELECT n FROM OPENJSON(@j) WITH (n INT '$.n') AS j")
      ways.push('json')
    } catch (error) {
      notes.push(`${WAY_LABELS.json}: NOT SUPPORTED here, OPENJSON refused: ${message(error)}`)
    }
    for (const way of ways) if (way !== 'scalar') await pool.request().batch(procedureDdl(schema, columns, way))
    await addOrderIds(pool, schema, 0, 0)
    const tvpFault = ways.includes('tvp') ? await tvpApostropheFault(config, schema) : undefined
    if (tvpFault !== undefined)
      notes.push(
        `${WAY_LABELS.tvp}: this server FAILS on an apostrophe in a TVP's value (${tvpFault}): measured on the same lines with every ' replaced by \u2019, and those lines checked; what its TVP writes wrong or fails is reported, not held against the run`,
      )
    const faultyTvp = tvpFault !== undefined
    // The probe's line, if the server took it, is not one of the measured orders'.
    await pool.request().query(`DELETE FROM ${linesObjects(schema).table} WHERE order_id = 0`)

    // Every order's id, in its block, inserted into order_header (the lines' foreign key) before any clock starts.
    const perBlock = options.warmupOrders + options.orders
    const blocks: { lines: number; round: number; way: WayName; firstId: number }[] = []
    for (const lines of options.lines)
      for (let round = 1; round <= options.rounds; round += 1)
        for (const [i] of ways.entries()) {
          const way = ways[(i + round - 1) % ways.length] ?? 'scalar'
          blocks.push({ lines, round, way, firstId: 1 + blocks.length * perBlock })
        }
    await addOrderIds(pool, schema, 1, blocks.length * perBlock)
    const engineCpu = engineCpuReader(url)
    const port = config.port ?? 1433
    const linesOf = new Map<number, readonly OrderLine[]>(options.lines.map((n) => [n, orderLines(n)]))

    for (const block of blocks) {
      const given = linesOf.get(block.lines) ?? []
      const lines = block.way === 'tvp' && tvpFault !== undefined ? withoutApostrophes(given) : given
      const measured = await openPool(config, options.pool)
      const send = (id: number): Promise<void> => SENDERS[block.way](measured, schema, id, lines)
      const measuredFrom = block.firstId + options.warmupOrders
      try {
        await sendOrders(send, block.firstId, options.warmupOrders, options.concurrency)
        const engineBefore = engineCpu()
        const sessionsBefore = sessionCpu(port)
        const started = performance.now()
        const client = process.cpuUsage()
        await sendOrders(send, measuredFrom, options.orders, options.concurrency)
        const elapsed = performance.now() - started
        const used = process.cpuUsage(client)
        const engineMicros = engineCpuBetween(engineBefore, engineCpu())
        const sessionMicros = sessionCpuBetween(sessionsBefore, sessionCpu(port))
        const load = loadavg()[0] ?? Number.NaN
        const rows = await checkRows(pool, schema, columns, lines, block.firstId, block.firstId + perBlock - 1)
        results.push({
          ...block,
          orders: options.orders,
          ordersPerSecond: (options.orders * 1000) / elapsed,
          clientMicros: (used.user + used.system) / options.orders,
          engineMicros: engineMicros === undefined ? undefined : engineMicros / options.orders,
          sessionMicros: sessionMicros === undefined ? undefined : sessionMicros / options.orders,
          rows,
          failure: undefined,
          load,
          faultyTvp: block.way === 'tvp' && faultyTvp,
        })
      } catch (error) {
        results.push({
          ...block,
          orders: options.orders,
          ordersPerSecond: Number.NaN,
          clientMicros: Number.NaN,
          engineMicros: undefined,
          sessionMicros: undefined,
          rows: undefined,
          failure: message(error),
          load: loadavg()[0] ?? Number.NaN,
          faultyTvp: block.way === 'tvp' && faultyTvp,
        })
      } finally {
        await measured.close()
      }
    }
  } finally {
    await dropLineSchema(pool, schema).catch((error: unknown) =>
      process.stderr.write(`lines-parameter-cost: dropping schema ${schema} failed: ${message(error)}\n`),
    )
    await pool.close()
  }
  return report(options, results, notes)
}

const main = async (): Promise<number> => {
  let options: LinesParameterOptions
  try {
    options = linesParameterOptions(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof LinesParameterOptionError)) throw error
    process.stderr.write(`lines-parameter-cost: ${error.message}\n`)
    return 2
  }
  const url = process.env['BENCH_DOMINO_DB_URL']
  if (url === undefined || url.trim() === '') {
    process.stderr.write(
      'lines-parameter-cost: BENCH_DOMINO_DB_URL is not set: a connection string whose login may create a schema\n',
    )
    return 2
  }
  return run(options, url)
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `lines-parameter-cost: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 1
  },
)
