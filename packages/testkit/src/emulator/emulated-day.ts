import { checkDay } from './check-day.js'
import { planDay, type DayShape } from './day-plan.js'
import { summarizeDay, type DaySummary } from './day-summary.js'
import { HookClient, type HookClientOptions } from './hook-client.js'
import type { OrderInspector } from './order-inspector.js'
import { playDay, type OrderRun } from './play-day.js'

export interface EmulatedDayOptions extends HookClientOptions {
  readonly orders: number
  readonly seed?: number
  readonly shape?: Partial<DayShape>
  /** Orders in flight at once (16 by default). */
  readonly concurrency?: number
  /** Reads orders back after the day; without it only the answers are checked. */
  readonly inspect?: OrderInspector
}

export interface EmulatedDay {
  readonly summary: DaySummary
  readonly runs: readonly OrderRun[]
}

/** Plans a day, plays it against the hook as SberMarket would, and checks the end state against what was sent. */
export const runEmulatedDay = async (options: EmulatedDayOptions): Promise<EmulatedDay> => {
  const started = performance.now()
  const plans = planDay({ orders: options.orders, ...(options.seed === undefined ? {} : { seed: options.seed }), ...(options.shape === undefined ? {} : { shape: options.shape }) })
  const client = new HookClient(options)
  try {
    const runs = await playDay(client, plans, options.concurrency)
    const check = await checkDay(runs, options.inspect)
    return { summary: summarizeDay(check, options.inspect !== undefined, performance.now() - started), runs }
  } finally {
    client.close()
  }
}
