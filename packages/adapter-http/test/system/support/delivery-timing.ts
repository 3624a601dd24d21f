import type { DeliveryTiming } from '@domino-sm/testkit/emulator'

/**
 * The timing the system tests deliver with: SberMarket's real 5 s timeout per attempt (docs/contract.md §2), and 7 growing
 * pauses scaled down from its real ones so that a test waits seconds, not minutes.
 */
export const SYSTEM_TEST_TIMING: DeliveryTiming = {
  timeoutMs: 5000,
  retryIntervalsMs: [100, 200, 400, 800, 1600, 2000, 2000],
}
