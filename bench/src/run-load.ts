import autocannon, { type Result } from 'autocannon'
import { loadavg } from 'node:os'
import { engineCpuBetween } from './engine-cpu.js'
import type { Scenario } from './scenarios.js'
import { startServerProcess, type MemoryReading } from './server-process.js'

/** One scenario's numbers. */
export interface LoadResult {
  readonly scenario: Scenario
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly total: number
  readonly non2xx: number
  readonly errors: number
  /** Server CPU time (user + system, every thread) over the measured load, per request answered. */
  readonly cpuMicrosPerRequest: number
  /** The local database server's CPU time over the measured load, per request (domino-db scenarios; see engine-cpu.ts). */
  readonly engineCpuMicrosPerRequest?: number
  /** V8 heap bytes the server allocated over the measured load, per request answered. */
  readonly allocatedBytesPerRequest: number
  readonly peakRssBytes: number
  /** The machine's 1-minute load average when the measured load ended (2 CPUs: above 2 means others were busy too). */
  readonly loadAverage: number
  readonly before: MemoryReading
  readonly after: MemoryReading
  /** With `amount`: the memory after each half of the requests (after a GC), to tell a plateau from a leak. */
  readonly halfway?: MemoryReading
  /** The server child's pid, and every request it answered in its life: prepare, warm-up and measured (profile-phases). */
  readonly serverPid: number
  readonly servedRequests: number
}

export interface LoadOptions {
  readonly connections: number
  /** Seconds of measured load (ignored when `amount` is given). */
  readonly durationSeconds: number
  /** A fixed number of requests instead of a duration. */
  readonly amount?: number
  /** With `amount`: send it in two halves and read the memory after each (the RSS flatness runs). */
  readonly halves?: boolean
  readonly warmupSeconds: number
}

/** The load numbers of one or more consecutive autocannon runs (rates and latencies of the longest). */
const numbers = (results: readonly Result[]) => {
  const main = results.reduce((a, b) => (b.duration > a.duration ? b : a))
  return {
    requestsPerSecond: main.requests.average,
    p50Ms: main.latency.p50,
    p99Ms: main.latency.p99,
    total: results.reduce((sum, r) => sum + r['2xx'] + r.non2xx, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
  }
}

/**
 * Runs one scenario on a fresh server child (on a store of its own: `storeEnv`, e.g. a freshly migrated schema):
 * prepare, warm up, GC, then the measured load, bracketed by the child's CPU time from /proc and its allocation count.
 */
export const runLoad = async (scenario: Scenario, options: LoadOptions): Promise<LoadResult> => {
  const server = await startServerProcess(scenario.server, scenario.hookModule, await scenario.storeEnv?.())
  try {
    const prepared = (await scenario.prepare?.(server.origin)) ?? 0
    const load = (limit: { duration: number } | { amount: number }) =>
      autocannon({ url: server.origin, connections: options.connections, ...limit, requests: scenario.requests() })
    const warmup = options.warmupSeconds > 0 ? await load({ duration: options.warmupSeconds }) : undefined
    const before = await server.memory(true)
    await server.resetPeak()
    await server.startAllocationCount()
    const cpuBefore = server.cpuMicros()
    const engineBefore = scenario.engineCpu?.()
    const results: Result[] = []
    let halfway: MemoryReading | undefined
    if (options.amount === undefined) {
      results.push(await load({ duration: options.durationSeconds }))
    } else if (options.halves !== true) {
      results.push(await load({ amount: options.amount }))
    } else {
      results.push(await load({ amount: Math.floor(options.amount / 2) }))
      halfway = await server.memory(true)
      results.push(await load({ amount: options.amount - Math.floor(options.amount / 2) }))
    }
    const cpuMicros = server.cpuMicros() - cpuBefore
    const engineMicros = engineCpuBetween(engineBefore, scenario.engineCpu?.())
    const loadAverage = loadavg()[0] ?? Number.NaN
    const allocated = await server.stopAllocationCount()
    const after = await server.memory(true)
    const counted = numbers(results)
    return {
      scenario,
      ...counted,
      cpuMicrosPerRequest: cpuMicros / counted.total,
      ...(engineMicros === undefined ? {} : { engineCpuMicrosPerRequest: engineMicros / counted.total }),
      allocatedBytesPerRequest: allocated / counted.total,
      loadAverage,
      peakRssBytes: Math.max(after.peakRss, halfway?.peakRss ?? 0, before.rss),
      before,
      after,
      ...(halfway === undefined ? {} : { halfway }),
      serverPid: server.pid,
      servedRequests: prepared + (warmup === undefined ? 0 : warmup['2xx'] + warmup.non2xx) + counted.total,
    }
  } finally {
    await server.stop()
  }
}
