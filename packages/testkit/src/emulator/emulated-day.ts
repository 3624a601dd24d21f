import { dayAuthForm, type EmulatorAuth, type EmulatorAuthForm } from './auth-form.js'
import { checkDay } from './check-day.js'
import { planDay, type DayShape } from './day-plan.js'
import { summarizeDay, type DaySummary } from './day-summary.js'
import { HookClient, type HookClientOptions } from './hook-client.js'
import type { OrderInspector } from './order-inspector.js'
import { playDay, type OrderRun } from './play-day.js'

export interface EmulatedDayOptions extends Omit<HookClientOptions, 'authForm'> {
  /** How the day sends the token: one form, or `by-seed` (the day's seed picks it). `client-token` by default. */
  readonly auth?: EmulatorAuth
  readonly orders: number
  readonly seed?: number
  readonly shape?: Partial<DayShape>
  /** Orders in flight at once (16 by default). */
  readonly concurrency?: number
  /** Reads orders back after the day; without it only the answers are checked. */
  readonly inspect?: OrderInspector
}

export interface EmulatedDay {
  /** The form the token was sent in all day. */
  readonly authForm: EmulatorAuthForm
  readonly summary: DaySummary
  readonly runs: readonly OrderRun[]
}

/** Plans a day, plays it against the hook as SberMarket would, and checks the end state against what was sent. */
export const runEmulatedDay = async (options: EmulatedDayOptions): Promise<EmulatedDay> => {
  const started = performance.now()
  const plans = planDay({
    orders: options.orders,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.shape === undefined ? {} : { shape: options.shape }),
  })
  const authForm = dayAuthForm(options.auth ?? 'client-token', options.seed ?? 1)
  const client = new HookClient({ ...options, authForm })
  try {
    const runs = await playDay(client, plans, options.concurrency)
    const check = await checkDay(runs, options.inspect)
    return { authForm, summary: summarizeDay(check, options.inspect !== undefined, performance.now() - started), runs }
  } finally {
    client.close()
  }
}
