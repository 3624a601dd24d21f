import autocannon, { type Result } from 'autocannon'
import type { Scenario } from './scenarios.js'
import { startServerProcess, type MemoryReading } from './server-process.js'

export const CONNECTIONS = 32

/** One scenario's numbers. */
export interface LoadResult {
  readonly scenario: Scenario
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly total: number
  readonly non2xx: number
  readonly errors: number
  readonly peakRssBytes: number
  readonly before: MemoryReading
  readonly after: MemoryReading
  /** With `amount`: the memory after each half of the requests (after a GC), to tell a plateau from a leak. */
  readonly halfway?: MemoryReading
}

export interface LoadOptions {
  /** Seconds of measured load (ignored when `amount` is given). */
  readonly durationSeconds: number
  /** A fixed number of requests instead of a duration. */
  readonly amount?: number
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

/** Runs one scenario on a fresh server child: prepare, warm up, reset the RSS peak, then the measured load. */
export const runLoad = async (scenario: Scenario, options: LoadOptions): Promise<LoadResult> => {
  const server = await startServerProcess(scenario.server)
  try {
    await scenario.prepare?.(server.origin)
    if (options.warmupSeconds > 0) {
      await autocannon({ url: server.origin, connections: CONNECTIONS, duration: options.warmupSeconds, requests: scenario.requests() })
    }
    const before = await server.memory(true)
    await server.resetPeak()
    const load = (limit: { duration: number } | { amount: number }) =>
      autocannon({ url: server.origin, connections: CONNECTIONS, ...limit, requests: scenario.requests() })
    if (options.amount === undefined) {
      const result = await load({ duration: options.durationSeconds })
      const after = await server.memory(true)
      return { scenario, ...numbers([result]), peakRssBytes: Math.max(after.peakRss, before.rss), before, after }
    }
    const first = await load({ amount: Math.floor(options.amount / 2) })
    const halfway = await server.memory(true)
    const second = await load({ amount: options.amount - Math.floor(options.amount / 2) })
    const after = await server.memory(true)
    return { scenario, ...numbers([first, second]), peakRssBytes: Math.max(after.peakRss, halfway.peakRss, before.rss), before, halfway, after }
  } finally {
    await server.stop()
  }
}
