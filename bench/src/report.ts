import type { DominoFloorResult, FloorKind } from './domino-floor.js'
import type { LoadResult } from './run-load.js'
import type { FloorResult } from './sqlite-floor.js'

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const pct = (share: number): string => `${(share * 100).toFixed(0)}%`

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`

/** A table's head: its column names, and the alignment row (the scenario left, every figure right) derived from them. */
const head = (names: readonly string[]): string[] => [row(names), row(names.map((_, i) => (i === 0 ? '---' : '---:')))]

/**
 * The results as a Markdown table, each figure beside its ratio to the baseline of the same run. Ratios read as
 * "share of the baseline's efficiency": req/s this / baseline; CPU and KB baseline / this (50% = twice the cost).
 */
export const resultsTable = (results: readonly LoadResult[], baseline: LoadResult | undefined): string => {
  const lines = head([
    'scenario',
    'req/s',
    'req/s vs base',
    'p50 ms',
    'p99 ms',
    'CPU us/req',
    'CPU vs base',
    'KB/req',
    'KB vs base',
    'requests',
    'non-2xx',
    'errors',
    'peak RSS',
    'load',
  ])
  for (const r of results) {
    const kb = r.allocatedBytesPerRequest / 1024
    lines.push(
      row([
        r.scenario.name,
        r.requestsPerSecond.toFixed(0),
        baseline === undefined ? '-' : pct(r.requestsPerSecond / baseline.requestsPerSecond),
        r.p50Ms.toFixed(1),
        r.p99Ms.toFixed(1),
        r.cpuMicrosPerRequest.toFixed(0),
        baseline === undefined ? '-' : pct(baseline.cpuMicrosPerRequest / r.cpuMicrosPerRequest),
        kb.toFixed(1),
        baseline === undefined ? '-' : pct(baseline.allocatedBytesPerRequest / r.allocatedBytesPerRequest),
        String(r.total),
        String(r.non2xx),
        String(r.errors),
        mib(r.peakRssBytes),
        r.loadAverage.toFixed(1),
      ]),
    )
  }
  return lines.join('\n')
}

/** The SQLite floor: lean inserts of the hook's rows, one order per commit and in batches. */
export const floorTable = (results: readonly FloorResult[]): string => {
  const lines = [
    row(['orders per commit', 'orders', 'orders/s', 'us per order (wall)', 'CPU us per order']),
    row(['---:', '---:', '---:', '---:', '---:']),
  ]
  for (const f of results) {
    lines.push(
      row([
        String(f.ordersPerCommit),
        String(f.orders),
        f.ordersPerSecond.toFixed(0),
        f.microsPerOrder.toFixed(1),
        f.cpuMicrosPerOrder.toFixed(1),
      ]),
    )
  }
  return lines.join('\n')
}

/** RSS and heap after a garbage collection: before, halfway through and after a fixed number of requests. */
export const flatnessTable = (results: readonly LoadResult[]): string => {
  const lines = head([
    'scenario',
    'requests',
    'RSS at 0',
    'RSS at half',
    'RSS at end',
    '2nd half change',
    'heap at 0',
    'heap at half',
    'heap at end',
    'peak RSS',
  ])
  for (const r of results) {
    const half = r.halfway ?? r.before
    lines.push(
      row([
        r.scenario.name,
        String(r.total),
        mib(r.before.rss),
        mib(half.rss),
        mib(r.after.rss),
        `${r.after.rss >= half.rss ? '+' : ''}${mib(r.after.rss - half.rss)}`,
        mib(r.before.heapUsed),
        mib(half.heapUsed),
        mib(r.after.heapUsed),
        mib(r.peakRssBytes),
      ]),
    )
  }
  return lines.join('\n')
}

const FLOOR_NAMES: Record<FloorKind, string> = {
  created: 'floor (plain mssql): order.created, unique',
  repeated: 'floor (plain mssql): order.created, repeated',
  status: 'floor (plain mssql): status events',
}
const times = (ratio: number): string => `${ratio.toFixed(2)}x`

/**
 * The Domino store (SQL Server) beside its floor: each floor row, then the hook's rows of that scenario with their
 * ratios to it, all "hook / floor" (req/s below 1x: slower; latencies and CPU above 1x: costlier).
 */
export const dominoTable = (
  results: readonly LoadResult[],
  floors: ReadonlyMap<FloorKind, DominoFloorResult>,
): string => {
  const lines = head([
    'scenario',
    'req/s',
    'req/s hook/floor',
    'p50 ms',
    'p50 hook/floor',
    'p99 ms',
    'p99 hook/floor',
    'CPU us/req',
    'CPU hook/floor',
    'engine CPU us/req',
    'engine hook/floor',
    'requests',
    'non-2xx',
    'errors',
    'load',
  ])
  for (const [kind, f] of floors) {
    const engine = (us: number | undefined): string => (us === undefined ? '-' : us.toFixed(0))
    const engineRatio = (us: number | undefined): string =>
      us === undefined || f.engineCpuMicrosPerOrder === undefined ? '-' : times(us / f.engineCpuMicrosPerOrder)
    lines.push(
      row([
        FLOOR_NAMES[kind],
        f.ordersPerSecond.toFixed(0),
        '1x',
        f.p50Ms.toFixed(1),
        '1x',
        f.p99Ms.toFixed(1),
        '1x',
        f.cpuMicrosPerOrder.toFixed(0),
        '1x',
        engine(f.engineCpuMicrosPerOrder),
        '1x',
        String(f.orders),
        '-',
        String(f.errors),
        f.loadAverage.toFixed(1),
      ]),
    )
    for (const r of results.filter((x) => x.scenario.floor === kind)) {
      lines.push(
        row([
          r.scenario.name,
          r.requestsPerSecond.toFixed(0),
          times(r.requestsPerSecond / f.ordersPerSecond),
          r.p50Ms.toFixed(1),
          times(r.p50Ms / f.p50Ms),
          r.p99Ms.toFixed(1),
          times(r.p99Ms / f.p99Ms),
          r.cpuMicrosPerRequest.toFixed(0),
          times(r.cpuMicrosPerRequest / f.cpuMicrosPerOrder),
          engine(r.engineCpuMicrosPerRequest),
          engineRatio(r.engineCpuMicrosPerRequest),
          String(r.total),
          String(r.non2xx),
          String(r.errors),
          r.loadAverage.toFixed(1),
        ]),
      )
    }
  }
  return lines.join('\n')
}
