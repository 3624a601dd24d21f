import { cpus, loadavg } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BenchOptionError, benchOptions } from './bench-options.js'
import { dominoDbTarget } from './domino-db.js'
import { dominoFloor, type DominoFloorResult, type FloorKind } from './domino-floor.js'
import { dominoTable, floorTable, flatnessTable, resultsTable } from './report.js'
import { runProblems } from './run-checks.js'
import { runLoad, type LoadResult } from './run-load.js'
import { BASELINE, scenarios, type HookBuild, type Scenario } from './scenarios.js'
import { sqliteFloor, type FloorResult } from './sqlite-floor.js'

/**
 * `npm run bench`: every scenario on a fresh server child on loopback, then the SQLite floor.
 * `--duration S` (BENCH_DURATION) seconds per scenario; `--warmup S` (BENCH_WARMUP); `--connections N`;
 * `--only TEXT` (repeatable) runs the baseline and the scenarios whose name holds one of the TEXTs; `--build LABEL=DIR` (repeatable) also
 * loads the hook built in DIR (a copy of another commit, built there), so that builds are compared in one run;
 * `--label LABEL` names this tree's build; `--requests N` measures N requests per scenario instead of a duration;
 * `--floor-orders N` sizes the SQLite floor (0 skips it);
 * `--rss-requests N` adds the RSS flatness runs; `--status-orders N` sizes the status scenarios. The Domino store
 * (SQL Server) scenarios and their floor run when BENCH_DOMINO_DB_URL names a server (`--db-pool N`: the pool size of
 * the hook and of the floor; `--db-warmup S`, BENCH_DB_WARMUP: their warm-up). `--smoke`: every one of them for about a
 * second (bench-options.ts). Every run ends with its checks (run-checks.ts) and exits 1 when one fails.
 */
const options = (() => {
  try {
    return benchOptions(process.argv.slice(2), process.env)
  } catch (error) {
    if (!(error instanceof BenchOptionError)) throw error
    process.stderr.write(`bench: ${error.message}\n`)
    process.exit(2)
  }
})()
const { durationSeconds, warmupSeconds, dbWarmupSeconds, connections, floorOrders, rssRequests, statusOrders } = options

const REPO = fileURLToPath(new URL('../../', import.meta.url))
const hookModuleIn = (root: string): string => resolve(root, 'packages/adapter-http/dist/index.js')
/** `--build LABEL=DIR`: another build of the repository (a copy of another commit, built there) to load beside this one. */
const others: HookBuild[] = options.builds.map((spec) => {
  const at = spec.indexOf('=')
  if (at <= 0) throw new Error(`--build expects LABEL=DIR, got ${spec}`)
  const root = resolve(spec.slice(at + 1))
  return { label: spec.slice(0, at), root, hookModule: hookModuleIn(root) }
})
const builds: [HookBuild, ...HookBuild[]] = [
  { label: options.label ?? (others.length === 0 ? 'hook' : 'after'), root: REPO, hookModule: hookModuleIn(REPO) },
  ...others,
]
const dominoDb = dominoDbTarget(process.env, options.dbPool, !options.smoke)

/** Flat: the second half of the requests grows RSS (after a GC) by less than this. */
const FLAT_LIMIT_BYTES = 10 * 1024 * 1024

const log = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

const selected = (all: readonly Scenario[]): Scenario[] =>
  all.filter(
    (s) => options.only === undefined || s.name === BASELINE || options.only.some((text) => s.name.includes(text)),
  )

const targets = (results: readonly LoadResult[], base: LoadResult): string[] => {
  const lines: string[] = []
  const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED')
  // These targets are for the in-memory and SQLite stores; the Domino store is compared with its floor below.
  for (const r of results.filter((x) => x.scenario.server === 'hook-memory' || x.scenario.server === 'hook-sqlite')) {
    const rate = r.requestsPerSecond / base.requestsPerSecond
    const cpu = base.cpuMicrosPerRequest / r.cpuMicrosPerRequest
    const kb = r.allocatedBytesPerRequest / 1024
    const share = r.scenario.server === 'hook-memory' ? 0.5 : 0.35
    const p99 =
      r.scenario.server === 'hook-sqlite' ? `, p99 ${r.p99Ms.toFixed(1)} ms (< 15): ${verdict(r.p99Ms < 15)}` : ''
    lines.push(
      `- ${r.scenario.name}: req/s ${pct(rate)} (>= ${pct(share)}): ${verdict(rate >= share)}, CPU ${pct(cpu)} (>= ${pct(share)}): ${verdict(cpu >= share)}, ${kb.toFixed(1)} KB/request (< 50): ${verdict(kb < 50)}${p99}`,
    )
  }
  return lines
}
const pct = (share: number): string => `${(share * 100).toFixed(0)}%`
const redacted = (url: string): string => url.replace(/(password|pwd)=[^;]*/gi, '$1=***')

const main = async (): Promise<void> => {
  const schemas =
    'target' in dominoDb && !dominoDb.target.schemaPerScenario ? 'one schema per build' : 'a fresh schema per scenario'
  log(`# npm run bench, ${new Date().toISOString()}`)
  log(
    `machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  log(
    `load: autocannon in the parent, ${connections} connections, ${options.requests === undefined ? `${durationSeconds} s` : `${options.requests} requests`} per scenario after ${warmupSeconds} s of warm-up; each server in its own child process on 127.0.0.1`,
  )
  log(`builds: ${builds.map((b) => `${b.label} = ${b.hookModule}`).join('; ')}`)
  log(
    'target' in dominoDb
      ? `domino-db: ${redacted(dominoDb.target.url)}, pool ${dominoDb.target.poolSize} (hook and floor), ${dbWarmupSeconds} s of warm-up; ${schemas}, migrated by its build`
      : `domino-db: skipped: ${dominoDb.skipped}`,
  )
  log('')
  const target = 'target' in dominoDb ? dominoDb.target : undefined
  const results: LoadResult[] = []
  const floors = new Map<FloorKind, DominoFloorResult>()
  const chosen = selected(scenarios(builds, target, statusOrders))
  for (const scenario of chosen) {
    // Each floor runs just before the first hook scenario it stands under, so that both meet the same minute.
    if (target !== undefined && scenario.floor !== undefined && !floors.has(scenario.floor)) {
      process.stderr.write(`running the domino-db floor: ${scenario.floor} ...\n`)
      floors.set(
        scenario.floor,
        await dominoFloor(target, REPO, scenario.floor, {
          concurrency: connections,
          statusOrders,
          warmupSeconds: dbWarmupSeconds,
          durationSeconds,
        }),
      )
    }
    process.stderr.write(`running ${scenario.name} ...\n`)
    const amount = options.requests === undefined ? {} : { amount: options.requests }
    results.push(
      await runLoad(scenario, {
        connections,
        durationSeconds,
        ...amount,
        warmupSeconds: scenario.server === 'hook-domino-db' ? dbWarmupSeconds : warmupSeconds,
      }),
    )
  }
  const base = results.find((r) => r.scenario.name === BASELINE)
  log("Ratios: req/s = this / baseline; CPU and KB = baseline / this (both: share of the baseline's efficiency).")
  log(`Baseline: ${BASELINE}.`)
  log('')
  log(resultsTable(results, base))
  log('')
  // What `node bench/dist/profile-phases.js --bench-output FILE` reads to divide a profile (BENCH_SERVER_EXEC_ARGV) by.
  for (const r of results)
    log(`- server of ${r.scenario.name}: pid ${r.serverPid}, ${r.servedRequests} requests answered in its life`)
  if (base !== undefined) {
    log('')
    const lines = targets(results, base)
    if (lines.length > 0) log('## targets (in-memory and SQLite stores; BENCHMARKS.md, "Against the targets")')
    for (const line of lines) log(line)
  }
  if (floors.size > 0) {
    log('')
    log(
      '## domino-db (SQL Server) beside its floor: the same rows by plain parameterised mssql requests, one request = one transaction per event',
    )
    log(
      `Ratios are hook / floor. The floor: ${connections} in flight over a pool of ${target?.poolSize ?? '-'}, in a process of its own; CPU is that process's.`,
    )
    log(
      'engine CPU: the local database server that listens on the port of the connection string and its sessions, other clients\' sessions included; "-" when the server is not local.',
    )
    log(dominoTable(results, floors))
    for (const f of floors.values())
      if (f.firstError !== undefined) log(`- floor ${f.kind}: ${f.errors} errors, the first: ${f.firstError}`)
    for (const r of results.filter((x) => x.scenario.server === 'hook-domino-db')) {
      const memory = results.find((x) => x.scenario.name === r.scenario.name.replace(' domino-db:', ' memory:'))
      const floor = r.scenario.floor === undefined ? undefined : floors.get(r.scenario.floor)
      if (memory === undefined || floor === undefined) continue
      log(
        `- ${r.scenario.name}: the store adds ${(r.cpuMicrosPerRequest - memory.cpuMicrosPerRequest).toFixed(0)} CPU us per request over the in-memory store; the floor needs ${floor.cpuMicrosPerOrder.toFixed(0)}`,
      )
    }
  }
  let floor: FloorResult[] = []
  if (floorOrders > 0) {
    process.stderr.write('running the SQLite floor ...\n')
    floor = [await sqliteFloor(Math.min(floorOrders, 2000), 1), await sqliteFloor(floorOrders, 32)]
    log('')
    log(
      '## SQLite floor: the rows of one order.created (counter, order, lines, journal entry and its body) written lean with better-sqlite3, WAL, synchronous = FULL',
    )
    log(floorTable(floor))
    const batched = floor[1]
    for (const r of results.filter(
      (x) => x.scenario.server === 'hook-sqlite' && x.scenario.name.endsWith('order.created, unique'),
    )) {
      const memory = results.find((x) => x.scenario.name === r.scenario.name.replace(' sqlite:', ' memory:'))
      if (batched === undefined) continue
      const storeCpu = memory === undefined ? Number.NaN : r.cpuMicrosPerRequest - memory.cpuMicrosPerRequest
      log(
        `- ${r.scenario.name}: ${r.requestsPerSecond.toFixed(0)} req/s = ${pct(r.requestsPerSecond / batched.ordersPerSecond)} of the floor's ${batched.ordersPerSecond.toFixed(0)} orders/s; ` +
          `the store adds ${storeCpu.toFixed(0)} CPU us per request over the in-memory store, the floor needs ${batched.cpuMicrosPerOrder.toFixed(0)}`,
      )
    }
  }
  const flat: LoadResult[] = []
  if (rssRequests > 0) {
    for (const scenario of selected(scenarios(builds, undefined, statusOrders)).filter((s) =>
      s.name.endsWith('order.created, repeated'),
    )) {
      process.stderr.write(`running ${scenario.name} for ${rssRequests} requests ...\n`)
      flat.push(
        await runLoad(scenario, { connections, durationSeconds, amount: rssRequests, halves: true, warmupSeconds }),
      )
    }
    log('')
    log(`## RSS over ${rssRequests} requests (read after a full GC in the server)`)
    log(flatnessTable(flat))
    for (const r of flat) {
      const growth = r.after.rss - (r.halfway ?? r.before).rss
      log(
        `- ${r.scenario.name}: second half ${(growth / 1024 / 1024).toFixed(1)} MiB (flat: < 10 MiB): ${growth < FLAT_LIMIT_BYTES ? 'met' : 'MISSED'}`,
      )
    }
  }
  log('')
  log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  )
  const expectedDominoFloors = [...new Set(chosen.flatMap((s) => (s.floor === undefined ? [] : [s.floor])))]
  const problems = runProblems({
    selected: chosen.map((s) => s.name),
    results,
    dominoFloors: floors,
    expectedDominoFloors,
    sqliteFloors: floor,
    flatness: flat,
  })
  log('')
  if (problems.length === 0) {
    log(
      `checks: passed: ${chosen.length} scenarios, ${floors.size} domino-db floors, ${floor.length} SQLite floors, ${flat.length} RSS runs; every request answered 2xx`,
    )
  } else {
    log('checks: FAILED: these figures cannot be trusted:')
    for (const p of problems) log(`- ${p}`)
    process.exitCode = 1
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
