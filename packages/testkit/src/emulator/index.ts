/**
 * @domino-sm/testkit/emulator: SberMarket as a client of the hook. It delivers events with SberMarket's timeout
 * and retries (scaled in time for tests), plays a busy day of orders with duplicates, reordering and
 * cancellations, and checks what the service kept against what was sent. `cli.js` runs it against any URL.
 */
export {
  ATTEMPT_TIMEOUT_MS,
  MAX_ATTEMPTS,
  RETRY_INTERVALS_MS,
  scaledTiming,
  type DeliveryTiming,
} from './retry-schedule.js'
export { attemptSucceeded, postAttempt, type AttemptResult, type PostAttempt } from './post-attempt.js'
export {
  authHeader,
  dayAuthForm,
  DEFAULT_BASIC_USER,
  EMULATOR_AUTH_FORMS,
  type EmulatorAuth,
  type EmulatorAuthForm,
} from './auth-form.js'
export { HookClient, type DeliveryResult, type HookClientOptions, type OutgoingEvent } from './hook-client.js'
export { DEFAULT_DAY_SHAPE, planDay, type DayPlanOptions, type DayShape, type OrderPlan } from './day-plan.js'
export { acceptableStatuses, finalStatus } from './expected-status.js'
export {
  adminApiInspector,
  inspectedOf,
  repositoryInspector,
  type InspectedOrder,
  type OrderInspector,
} from './order-inspector.js'
export {
  DEFAULT_FORM_SHAPE,
  drawForms,
  integerOrderKey,
  PUBLIC_ONLY_EVENTS,
  type ExpectedForms,
  type FormShape,
  type KeyField,
  type OrderForms,
} from './wire-forms.js'
export { playDay, playOrder, type OrderRun } from './play-day.js'
export { checkDay, type CheckedOrder, type DayCheck, type Mismatch } from './check-day.js'
export { formatDaySummary, summarizeDay, type DaySummary } from './day-summary.js'
export { runEmulatedDay, type EmulatedDay, type EmulatedDayOptions } from './emulated-day.js'
export { mapWithConcurrency } from './bounded-concurrency.js'
export { EMULATOR_USAGE, parseEmulatorArgs, type EmulatorCliArgs } from './cli-args.js'
