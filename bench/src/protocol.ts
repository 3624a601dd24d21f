/**
 * The servers the benchmark loads: two baselines and the hook on each store as `serve` runs it. For the diagnosis,
 * the hook's app on SQLite with `synchronous = NORMAL` (no fsync per commit), which `serve` does not offer.
 */
export type ServerKind = 'bare-http' | 'bare-koa' | 'hook-memory' | 'hook-sqlite' | 'hook-sqlite-normal'

export const HOOK_PATH = '/sbermarket/orders/hook/'

/** The Client-Token the benchmark's hook servers accept (a benchmark value, not a secret). */
export const BENCH_TOKEN = 'bench-token-0123456789abcdef'

/** Parent -> server child. */
export type ChildRequest = { readonly type: 'rss'; readonly collectGarbage?: boolean } | { readonly type: 'reset-peak' }

/** Server child -> parent. */
export type ChildReply =
  | { readonly type: 'listening'; readonly port: number }
  | { readonly type: 'rss'; readonly rss: number; readonly peakRss: number; readonly heapUsed: number }
  | { readonly type: 'reset-peak' }
