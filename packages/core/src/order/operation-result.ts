import type { Order, OrderState } from './order.js'
import type { PendingApplied, UpdateOutcome } from './order-event.js'

/** What `createOrGet` found or made. */
export type CreateOrGetResult =
  | { readonly _tag: 'Created'; readonly order: Order; readonly pendingApplied: readonly PendingApplied[] }
  | { readonly _tag: 'AlreadyExists'; readonly order: Order }

/**
 * What `applyUpdate` did; `order` is the order's state afterwards (`orderStateOf` of the order decided on), absent
 * when the update was kept pending. Its state alone, not its content: that is all its readers read (the journal's
 * facts, the edge), and so a store may decide a status event on the order's state alone and answer it. The order in
 * full is `findOrder`'s.
 */
export interface ApplyUpdateResult {
  readonly outcome: UpdateOutcome
  readonly order?: OrderState
}
