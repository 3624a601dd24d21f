import { cpus } from 'node:os'
import { parseArgs } from 'node:util'
import { flatnessTable, resultsTable } from './report.js'
import { CONNECTIONS, runLoad, type LoadResult } from './run-load.js'
import { SCENARIOS, type Scenario } from './scenarios.js'

/**
 * `npm run bench`: every scenario on a fresh server child on loopback, 32 connections, then the RSS flatness runs.
 * `--duration S` (or BENCH_DURATION) sets the seconds per scenario, `--rss-requests N` (BENCH_RSS_REQUESTS) the
 * size of the flatness runs (0 skips them).
 */
const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: process.env['BENCH_DURATION'] ?? '10' },
    'rss-requests': { type: 'string', default: process.env['BENCH_RSS_REQUESTS'] ?? '100000' },
    warmup: { type: 'string', default: process.env['BENCH_WARMUP'] ?? '2' },
  },
})
const durationSeconds = Number(values.duration)
const rssRequests = Number(values['rss-requests'])
const warmupSeconds = Number(values.warmup)

/**
 * Where a 100,000-request run shows whether the pipeline keeps memory. On SQLite the orders and the journal are on
 * disk; the in-memory store keeps every journal line (with its raw body) by design, so it cannot be flat.
 */
const FLATNESS_SCENARIOS = ['sqlite: order.created, repeated', 'memory: order.created, repeated']
/** Flat: the second half of the requests grows RSS (after a GC) by less than this. */
const FLAT_LIMIT_BYTES = 10 * 1024 * 1024

const signedMib = (bytes: number): string => `${bytes >= 0 ? '+' : ''}${(bytes / 1024 / 1024).toFixed(1)} MiB`

const log = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

const byName = (name: string): Scenario => {
  const found = SCENARIOS.find((s) => s.name === name)
  if (found === undefined) throw new Error(`no scenario ${name}`)
  return found
}

const main = async (): Promise<void> => {
  log(`# npm run bench, ${new Date().toISOString()}`)
  log(`machine: ${cpus().length} CPUs, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`)
  log(`load: autocannon, ${CONNECTIONS} connections, ${durationSeconds} s per scenario after ${warmupSeconds} s of warm-up; servers in child processes on 127.0.0.1`)
  log('')
  const results: LoadResult[] = []
  for (const scenario of SCENARIOS) {
    process.stderr.write(`running ${scenario.name} ...\n`)
    results.push(await runLoad(scenario, { durationSeconds, warmupSeconds }))
  }
  const koa = results.find((r) => r.scenario.server === 'bare-koa')?.requestsPerSecond ?? Number.NaN
  log(resultsTable(results, koa))
  log('')
  log('## targets')
  for (const r of results.filter((x) => x.scenario.server === 'hook-memory')) {
    const share = r.requestsPerSecond / koa
    log(`- ${r.scenario.name}: ${(share * 100).toFixed(0)}% of bare Koa (target >= 60%): ${share >= 0.6 ? 'met' : 'MISSED'}`)
  }
  for (const r of results.filter((x) => x.scenario.server.startsWith('hook-sqlite') && x.scenario.name.includes('order.created'))) {
    log(`- ${r.scenario.name}: p99 ${r.p99Ms.toFixed(1)} ms at ${CONNECTIONS} connections (target < 20 ms): ${r.p99Ms < 20 ? 'met' : 'MISSED'}`)
  }
  if (rssRequests > 0) {
    const flat: LoadResult[] = []
    for (const name of FLATNESS_SCENARIOS) {
      process.stderr.write(`running ${name} for ${rssRequests} requests ...\n`)
      flat.push(await runLoad(byName(name), { durationSeconds, amount: rssRequests, warmupSeconds }))
    }
    log('')
    log(`## RSS over ${rssRequests} requests (read after a full GC in the server, after ${warmupSeconds} s of warm-up)`)
    log(flatnessTable(flat))
    log('')
    for (const r of flat) {
      const growth = r.after.rss - (r.halfway ?? r.before).rss
      const total = r.after.rss - r.before.rss
      const verdict = growth < FLAT_LIMIT_BYTES ? 'met' : 'MISSED'
      log(`- ${r.scenario.name}: RSS ${signedMib(total)} over ${r.total} requests, ${signedMib(growth)} over the second half (target: flat, second half < 10 MiB): ${verdict}`)
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exitCode = 1
})
