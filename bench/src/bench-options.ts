import { parseArgs } from 'node:util'

/** What one run of `node bench/dist/main.js` is asked to do, parsed once at start (`benchOptions`). */
export interface BenchOptions {
  readonly durationSeconds: number
  readonly warmupSeconds: number
  /** The Domino store's warm-up: a fresh hook on the T-SQL engine answers its first 3 s at a third of its rate. */
  readonly dbWarmupSeconds: number
  readonly connections: number
  readonly only: readonly string[] | undefined
  readonly builds: readonly string[]
  readonly label: string | undefined
  readonly dbPool: number
  readonly floorOrders: number
  readonly rssRequests: number
  /** The measured load of each scenario as a number of requests instead of `durationSeconds` (`--requests N`). */
  readonly requests: number | undefined
  /** The orders the status scenarios (and the `status` floor) create before their load. */
  readonly statusOrders: number
  readonly smoke: boolean
}

/**
 * The defaults of a full run, and of a smoke run (`--smoke`: every scenario about a second, to prove that each can run;
 * `npm test` runs it, bench/test/system). An option given explicitly wins over both; the environment variables
 * (BENCH_DURATION, BENCH_WARMUP, BENCH_DB_WARMUP, BENCH_RSS_REQUESTS) win over the defaults.
 */
const DEFAULTS = {
  full: {
    duration: '10',
    warmup: '2',
    'db-warmup': '5',
    connections: '32',
    'db-pool': '10',
    'floor-orders': '5000',
    'rss-requests': '0',
    'status-orders': '1000',
  },
  // The hook scenarios measure 64 requests, not a second: a fresh hook on a busy T-SQL engine may answer none in its
  // first seconds, and a smoke run must tell "slow" from "broken". 8 connections, so that a busy machine's queue stays
  // under the hook's deadline (it answers 503 past it), over pools of 4 (each session takes ~130 ms to open on the
  // engine); the domino-db floor still runs `duration` seconds.
  smoke: {
    duration: '1',
    warmup: '0',
    'db-warmup': '0',
    connections: '8',
    'db-pool': '4',
    requests: '64',
    'floor-orders': '200',
    'rss-requests': '200',
    'status-orders': '64',
  },
} as const

type NumberOption = keyof typeof DEFAULTS.full | 'requests'

const ENV = {
  duration: 'BENCH_DURATION',
  warmup: 'BENCH_WARMUP',
  'db-warmup': 'BENCH_DB_WARMUP',
  'rss-requests': 'BENCH_RSS_REQUESTS',
} as const

/** A bad option: its message says which and why; main prints it and exits 2. */
export class BenchOptionError extends Error {}

/** Parses argv (without node and the script) and the environment; throws `BenchOptionError` on any bad value. */
export const benchOptions = (args: readonly string[], env: NodeJS.ProcessEnv): BenchOptions => {
  const { values } = (() => {
    try {
      return parseArgs({
        args: [...args],
        options: {
          duration: { type: 'string' },
          warmup: { type: 'string' },
          connections: { type: 'string' },
          requests: { type: 'string' },
          only: { type: 'string', multiple: true },
          build: { type: 'string', multiple: true },
          label: { type: 'string' },
          'db-pool': { type: 'string' },
          'db-warmup': { type: 'string' },
          'floor-orders': { type: 'string' },
          'rss-requests': { type: 'string' },
          'status-orders': { type: 'string' },
          smoke: { type: 'boolean', default: false },
        },
      })
    } catch (error) {
      throw new BenchOptionError(error instanceof Error ? error.message : String(error))
    }
  })()
  const defaults = values.smoke ? DEFAULTS.smoke : DEFAULTS.full
  const number = (name: NumberOption, min: number): number => {
    const envName = name in ENV ? ENV[name as keyof typeof ENV] : undefined
    const fallback = name in defaults ? defaults[name as keyof typeof defaults] : undefined
    const text = values[name] ?? (envName === undefined ? undefined : env[envName]) ?? fallback
    const value = Number(text)
    if (text === undefined || text.trim() === '' || !Number.isFinite(value) || value < min) {
      const option = `--${name}${envName === undefined ? '' : ` (${envName})`}`
      throw new BenchOptionError(`${option} must be a number of at least ${min}, got ${JSON.stringify(text)}`)
    }
    return value
  }
  const whole = (name: NumberOption, min: number): number => {
    const value = number(name, min)
    if (!Number.isInteger(value)) throw new BenchOptionError(`--${name} must be a whole number, got ${value}`)
    return value
  }
  return {
    durationSeconds: number('duration', 0.1),
    warmupSeconds: number('warmup', 0),
    dbWarmupSeconds: number('db-warmup', 0),
    connections: whole('connections', 1),
    only: values.only,
    builds: values.build ?? [],
    label: values.label,
    dbPool: whole('db-pool', 1),
    requests: values.requests === undefined && !('requests' in defaults) ? undefined : whole('requests', 1),
    floorOrders: whole('floor-orders', 0),
    rssRequests: whole('rss-requests', 0),
    statusOrders: whole('status-orders', 1),
    smoke: values.smoke,
  }
}
