import type { OrderRepository } from '@domino-sm/core'

/** An opened store as the service holds it: the port, how to close it, and what to tell the operator. */
export interface StoreHandle {
  readonly repository: OrderRepository
  readonly close: () => Promise<void>
  /** For the start banner and logs, e.g. "sqlite data/orders.sqlite"; never a password. */
  readonly description: string
  /**
   * Where the orders go, and nothing else (no pool size, no timeout): the `store` label of
   * `sbermarket_hook_build_info`, which an alert compares across the instances scraped together. Never a password.
   */
  readonly identity: string
  /**
   * Settles when the store first answers (at once for the embedded stores; for the Domino database when it has
   * connected, checked the schema and warmed its pool). The hook's listener opens then, not before. Never rejects: a
   * store that cannot ever be used reports it through its `onFatal` event.
   */
  readonly ready: Promise<void>
}
