import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { RetentionPolicy, RetentionReport } from '../journal/retention.js'
import type { Clock } from '../ports/clock.port.js'
import type { OrderRepository } from '../ports/order-repository.port.js'
import type { RepositoryError } from '../ports/repository-error.js'

/** How long what is kept stays (the retailer's policy, from the configuration). */
export interface RetentionSettings {
  /** Journal entries older than this many days lose their raw body. */
  readonly journalBodyDays: number
  /** Pending updates older than this many days are removed (journaled as `expired`). */
  readonly pendingDays: number
  /** Rows per transaction. */
  readonly batchSize: number
  /** Orders delivered or cancelled more than this many days ago lose their customer's personal data; absent: never. */
  readonly personalDataDays?: number
}

const DAY_MS = 24 * 60 * 60 * 1000

/** The policy of a run at `now`: the cutoffs are `now` less the configured days. */
export const retentionPolicyAt = (now: Date, settings: RetentionSettings): RetentionPolicy => ({
  clearBodiesReceivedBefore: new Date(now.getTime() - settings.journalBodyDays * DAY_MS),
  expirePendingReceivedBefore: new Date(now.getTime() - settings.pendingDays * DAY_MS),
  now,
  batchSize: settings.batchSize,
  ...(settings.personalDataDays === undefined
    ? {}
    : { eraseClosedOrdersBefore: new Date(now.getTime() - settings.personalDataDays * DAY_MS) }),
})

/** One retention run now: what `serve` does on its schedule and `journal prune` does once. */
export const applyRetentionPolicy =
  (deps: { readonly orders: OrderRepository; readonly clock: Clock }) =>
  (settings: RetentionSettings): TE.TaskEither<RepositoryError, RetentionReport> =>
    deps.orders.applyRetention(retentionPolicyAt(deps.clock.now(), settings))
