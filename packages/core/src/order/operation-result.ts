import type { Order } from './order.js'
import type { PendingApplied, UpdateOutcome } from './order-event.js'

/** What `createOrGet` found or made. */
export type CreateOrGetResult =
  | { readonly _tag: 'Created'; readonly order: Order; readonly pendingApplied: readonly PendingApplied[] }
  | { readonly _tag: 'AlreadyExists'; readonly order: Order }

/** What `applyUpdate` did; `order` is the order afterwards, absent when the update was kept pending. */
export interface ApplyUpdateResult {
  readonly outcome: UpdateOutcome
  readonly order?: Order
}
