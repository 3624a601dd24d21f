import { parseArgs } from 'node:util'

/** What one run of `node bench/dist/lines-parameter-cost.js` is asked to do, parsed once at start. */
export interface LinesParameterOptions {
  /** The order sizes, in lines (`--lines 5,50,200`). */
  readonly lines: readonly number[]
  /** Orders measured per way, size and round. */
  readonly orders: number
  /** Orders sent before the clock starts, per way, size and round. */
  readonly warmupOrders: number
  /** Orders in flight at once. */
  readonly concurrency: number
  /** Pooled connections (the store's default pool, `DOMINO_DB_POOL_MAX`: 10). */
  readonly pool: number
  /** Each size's ways run this many times, in a rotated order, so that no way always meets the same minute. */
  readonly rounds: number
}

/** A bad option: its message says which and why; the tool prints it and exits 2. */
export class LinesParameterOptionError extends Error {}

/** The largest order measured: `order.created` bodies of thousands of lines exceed the hook's body limit anyway. */
const MAX_LINES = 4000

/** Parses argv (without node and the script); throws `LinesParameterOptionError` on any bad value. */
export const linesParameterOptions = (args: readonly string[]): LinesParameterOptions => {
  const { values } = (() => {
    try {
      return parseArgs({
        args: [...args],
        options: {
          lines: { type: 'string', default: '5,50,200' },
          orders: { type: 'string', default: '200' },
          'warmup-orders': { type: 'string', default: '20' },
          concurrency: { type: 'string', default: '10' },
          pool: { type: 'string', default: '10' },
          rounds: { type: 'string', default: '1' },
        },
      })
    } catch (error) {
      throw new LinesParameterOptionError(error instanceof Error ? error.message : String(error))
    }
  })()
  const whole = (name: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const value = Number(text)
    // Digits only: Number() would also take "0x10", "1e3" and blanks around them.
    if (!/^\d+$/.test(text) || value < min || value > max)
      throw new LinesParameterOptionError(
        `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`,
      )
    return value
  }
  const lines = values.lines.split(',').map((size) => whole('lines', size, 1, MAX_LINES))
  if (new Set(lines).size !== lines.length)
    throw new LinesParameterOptionError(`--lines names a size twice: ${JSON.stringify(values.lines)}`)
  return {
    lines,
    orders: whole('orders', values.orders, 1),
    warmupOrders: whole('warmup-orders', values['warmup-orders'], 0),
    concurrency: whole('concurrency', values.concurrency, 1),
    pool: whole('pool', values.pool, 1),
    rounds: whole('rounds', values.rounds, 1),
  }
}
