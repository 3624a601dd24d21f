/**
 * The servers the benchmark loads: three baselines (bare `node:http`, a bare Koa route, and the fair one: Koa +
 * @koa/router + koa-bodyparser parsing the JSON and answering the created body) and the hook on each store as
 * `serve` runs it.
 */
export type ServerKind = 'bare-http' | 'bare-koa' | 'koa-json' | 'hook-memory' | 'hook-sqlite' | 'hook-domino-db'

/** The store each hook server kind runs (`STORE`). */
export const STORE_OF = { 'hook-memory': 'memory', 'hook-sqlite': 'sqlite', 'hook-domino-db': 'domino-db' } as const

/** The environment variable that hands a hook child its store's settings (JSON). */
export const STORE_ENV_VARIABLE = 'BENCH_STORE_ENV'

export const HOOK_PATH = '/sbermarket/orders/hook/'

/** The Client-Token the benchmark's hook servers accept (a benchmark value, not a secret). */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef'

/** Parent -> server child. `alloc-start`/`alloc-stop` bracket the measured load to count the bytes it allocated. */
export type ChildRequest =
  | { readonly type: 'rss'; readonly collectGarbage?: boolean }
  | { readonly type: 'reset-peak' }
  | { readonly type: 'alloc-start' }
  | { readonly type: 'alloc-stop' }

/** Server child -> parent. */
export type ChildReply =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'rss'; readonly rss: number; readonly peakRss: number; readonly heapUsed: number }
  | { readonly type: 'reset-peak' }
  | { readonly type: 'alloc-start' }
  | { readonly type: 'alloc-stop'; readonly bytes: number }
