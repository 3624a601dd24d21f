import mssql from 'mssql'
import { randomUUID } from 'node:crypto'
import { loadavg } from 'node:os'
import { statusBody } from './bench-bodies.js'
import { engineCpuBetween, engineCpuReader } from './engine-cpu.js'
import { FLOOR_JOB_VARIABLE, type DominoFloorResult, type FloorJob } from './domino-floor.js'
import { floorColumnGaps, floorRequests, type FloorRequest, type WritableColumns } from './domino-floor-rows.js'

/**
 * The SQL Server floor, in its own process: the rows the hook writes for one event, by plain parameterised mssql
 * requests (`pool.request().input(...).query(...)`, one request = one transaction), `concurrency` at a time over a
 * pool of the hook's size. The pool is opened and every session used before the clock starts (the T-SQL engine's
 * new sessions are slow), then the same work runs `warmupSeconds` unmeasured, then `durationSeconds` measured.
 */
const job = JSON.parse(process.env[FLOOR_JOB_VARIABLE] ?? '{}') as FloorJob

const STATUS_ORDERS = job.statusOrders
const STATUS_STEPS = [
  ['order.paid', 'paid'],
  ['order.received', 'handed_to_courier'],
  ['order.delivered', 'delivered'],
] as const

const send = async (pool: mssql.ConnectionPool, r: FloorRequest): Promise<void> => {
  const request = pool.request()
  for (const p of r.params) request.input(p.name, p.type, p.value)
  await request.query(r.text)
}

/**
 * The columns of the schema's tables that a writer supplies: not the identity, the computed columns, nor
 * `row_version` (ROWVERSION: the server sets it; matched by name, which does not depend on how a server reports the type).
 */
const writableColumns = async (pool: mssql.ConnectionPool, schema: string): Promise<WritableColumns> => {
  const tables = ['order_header', 'order_line', 'journal'] as const
  const found = await Promise.all(
    tables.map(async (table) => {
      const result = await pool
        .request()
        .input('table', mssql.NVarChar(300), `[${schema}].[${table}]`)
        .query<{ name: string }>(
          "SELECT name FROM sys.columns WHERE object_id = OBJECT_ID(@table) AND is_identity = 0 AND is_computed = 0 AND name <> N'row_version'",
        )
      return new Set(result.recordset.map((r) => r.name))
    }),
  )
  const [order_header, order_line, journal] = found
  if (order_header === undefined || order_line === undefined || journal === undefined || order_header.size === 0)
    throw new Error(`no tables in schema ${schema}`)
  return { order_header, order_line, journal }
}

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN

const main = async (): Promise<DominoFloorResult> => {
  const config = mssql.ConnectionPool.parseConnectionString(job.url)
  const pool = new mssql.ConnectionPool({
    ...config,
    pool: { max: job.poolSize, min: job.poolSize, idleTimeoutMillis: 60_000 },
    options: { ...config.options, useUTC: true },
  })
  pool.on('error', () => undefined)
  await pool.connect()
  try {
    // Every session opened and used at once, twice: `poolSize` requests in flight need `poolSize` connections.
    for (let i = 0; i < 2; i += 1)
      await Promise.all(Array.from({ length: job.poolSize }, () => pool.request().query('SELECT 1 AS ok')))
    const columns = await writableColumns(pool, job.schema)
    const gaps = floorColumnGaps(columns)
    // A column the floor does not write means it no longer writes the hook's rows: its figures would flatter the hook.
    if (gaps.length > 0) throw new Error(`the floor does not write these columns of the schema: ${gaps.join(', ')}`)
    const requests = floorRequests(job.schema, columns)
    const run = Date.now().toString(36)
    let n = 0
    const next = ((): (() => FloorRequest) => {
      switch (job.kind) {
        case 'created':
          return () => requests.create(n++, `FC-${run}`, randomUUID())
        case 'repeated':
          return () => requests.repeat(`FR-${run}-0`, randomUUID())
        case 'status':
          return () => {
            const i = n++
            const [type, status] = STATUS_STEPS[Math.floor(i / STATUS_ORDERS) % STATUS_STEPS.length] ?? STATUS_STEPS[0]
            const key = `FS-${run}-${i % STATUS_ORDERS}`
            return requests.status(key, type, status, statusBody(type, key).body, randomUUID())
          }
      }
    })()
    // What the hook scenario has before it starts: one order to repeat, or the orders the events are about.
    if (job.kind === 'repeated') await send(pool, requests.create(0, `FR-${run}`, randomUUID()))
    if (job.kind === 'status') {
      for (let i = 0; i < STATUS_ORDERS; i += job.concurrency) {
        await Promise.all(
          Array.from({ length: Math.min(job.concurrency, STATUS_ORDERS - i) }, (_, j) =>
            send(pool, requests.create(i + j, `FS-${run}`, randomUUID())),
          ),
        )
      }
    }
    let errors = 0
    let firstError: string | undefined
    const load = async (seconds: number, latencies: number[] | undefined): Promise<void> => {
      const until = performance.now() + seconds * 1000
      await Promise.all(
        Array.from({ length: job.concurrency }, async () => {
          while (performance.now() < until) {
            const request = next()
            const started = performance.now()
            try {
              await send(pool, request)
              latencies?.push(performance.now() - started)
            } catch (error) {
              errors += 1
              firstError ??= error instanceof Error ? error.message : String(error)
            }
          }
        }),
      )
    }
    await load(job.warmupSeconds, undefined)
    errors = 0
    firstError = undefined
    const latencies: number[] = []
    const cpu = process.cpuUsage()
    const engineCpu = engineCpuReader(job.url)
    const engineBefore = engineCpu()
    const started = performance.now()
    await load(job.durationSeconds, latencies)
    const elapsedMs = performance.now() - started
    const used = process.cpuUsage(cpu)
    const engineMicros = engineCpuBetween(engineBefore, engineCpu())
    const loadAverage = loadavg()[0] ?? Number.NaN
    const sorted = [...latencies].sort((a, b) => a - b)
    return {
      kind: job.kind,
      orders: latencies.length,
      ordersPerSecond: (latencies.length * 1000) / elapsedMs,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      cpuMicrosPerOrder: (used.user + used.system) / latencies.length,
      ...(engineMicros === undefined ? {} : { engineCpuMicrosPerOrder: engineMicros / latencies.length }),
      errors,
      ...(firstError === undefined ? {} : { firstError }),
      loadAverage,
    }
  } finally {
    await pool.close()
  }
}

main().then(
  (result) => process.send?.(result, () => process.exit(0)),
  (error: unknown) => {
    process.stderr.write(
      `domino-db floor (${job.kind}) failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exit(1)
  },
)
