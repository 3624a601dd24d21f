/**
 * How SberMarket delivers one event (docs/contract.md §2): it waits 5 s for an answer; on a timeout, a connection error or any
 * 4xx/5xx it tries again, 7 more times, after growing pauses.
 */

/** SberMarket's per-attempt timeout, in milliseconds (docs/contract.md §2). */
export const ATTEMPT_TIMEOUT_MS = 5000

/**
 * The pauses before retries 1..7, in milliseconds. A GUESS: SberMarket does not publish its schedule, only that
 * there are 7 retries with growing intervals. This is the one place to change when the real schedule is known.
 */
export const RETRY_INTERVALS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 120_000]

/** The first attempt and its retries. */
export const MAX_ATTEMPTS = 1 + RETRY_INTERVALS_MS.length

/** The timing of a delivery, after the time scale is applied. */
export interface DeliveryTiming {
  readonly timeoutMs: number
  /** Pauses before each retry, in order; its length is the number of retries. */
  readonly retryIntervalsMs: readonly number[]
}

/**
 * SberMarket's timing scaled by `timeScale` (1 = real time; 0.01 makes the timeout 50 ms and every pause 100
 * times shorter), so that a test plays a day in seconds. Scaled values are rounded, never below 1 ms.
 */
export const scaledTiming = (timeScale = 1): DeliveryTiming => {
  if (!Number.isFinite(timeScale) || timeScale <= 0)
    throw new RangeError(`timeScale must be a positive number, got ${String(timeScale)}`)
  const scale = (ms: number): number => Math.max(1, Math.round(ms * timeScale))
  return { timeoutMs: scale(ATTEMPT_TIMEOUT_MS), retryIntervalsMs: RETRY_INTERVALS_MS.map(scale) }
}
