import type { OrderRepository } from '@domino-sm/core'

/** An opened store as the service holds it: the port, how to close it, and what to tell the operator. */
export interface StoreHandle {
  readonly repository: OrderRepository
  readonly close: () => Promise<void>
  /** For the start banner and logs, e.g. "sqlite data/orders.sqlite"; never a password. */
  readonly description: string
}
