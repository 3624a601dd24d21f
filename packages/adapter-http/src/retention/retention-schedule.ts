import * as E from 'fp-ts/lib/Either.js'
import { applyRetentionPolicy, type Clock, type OrderRepository } from '@domino-sm/core'
import type { RetentionConfig } from '../config/app-config.js'
import type { Logger } from '../observability/logger.js'
import type { HookMetrics } from '../observability/metrics.js'

/** A running schedule; `stop` cancels the next run and waits for one in progress. */
export interface RetentionSchedule {
  readonly stop: () => Promise<void>
}

export interface RetentionScheduleDeps {
  readonly orders: OrderRepository
  readonly clock: Clock
  readonly logger: Logger
  /** A number in [0, 1): spreads the runs of several instances over the interval. */
  readonly random?: () => number
  /** Told the interval, and each run that ends without error (for the alert on retention that stopped running). */
  readonly metrics?: Pick<HookMetrics, 'retentionScheduled' | 'retentionSucceeded'>
}

/**
 * Applies the retention policy every `intervalMs` inside `serve`. Every instance may run it: the stores make
 * concurrent runs safe, and a random offset within the interval keeps 4 instances from starting together. The
 * first run comes after that offset, so a restart does not run it at once. Timers are unref'd: the schedule never
 * keeps the process alive. A failed run is logged and tried again at the next tick.
 */
export const startRetentionSchedule = (config: RetentionConfig, deps: RetentionScheduleDeps): RetentionSchedule => {
  deps.metrics?.retentionScheduled(config.intervalMs, deps.clock.now())
  if (config.intervalMs === 0) return { stop: () => Promise.resolve() }
  const apply = applyRetentionPolicy(deps)
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false

  const runOnce = async (): Promise<void> => {
    const started = performance.now()
    const report = await apply(config)()
    const durationMs = Math.round(performance.now() - started)
    if (E.isRight(report)) {
      deps.metrics?.retentionSucceeded(deps.clock.now())
      deps.logger.info({ ...report.right, durationMs }, 'retention applied')
    } else deps.logger.warn({ error: report.left._tag, reason: report.left.reason, durationMs }, 'retention run failed')
  }

  const schedule = (delayMs: number): void => {
    if (stopped) return
    timer = setTimeout(() => {
      running = runOnce().finally(() => {
        running = undefined
        schedule(config.intervalMs)
      })
    }, delayMs)
    timer.unref()
  }

  schedule(Math.floor((deps.random ?? Math.random)() * config.intervalMs))
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await running
    },
  }
}
