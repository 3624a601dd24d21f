import type { OrderRepository } from '@domino-sm/core'
import { orderChangedContract } from './order-changed.contract.js'
import { concurrencyContract } from './concurrency.contract.js'
import { createOrGetContract } from './create-or-get.contract.js'
import { historyContract } from './history.contract.js'
import { journalContract } from './journal.contract.js'
import { journalSummaryContract } from './journal-summary.contract.js'
import { journalWithOperationContract, POISONED_EVENT_TYPE } from './journal-with-operation.contract.js'
import { orderKeysContract } from './order-keys.contract.js'
import { orderUuidFirstContract } from './order-uuid-first.contract.js'
import { orderUuidReachContract } from './order-uuid-reach.contract.js'
import { retentionContract } from './retention.contract.js'
import { reviewContract } from './review.contract.js'
import { pendingContract } from './pending.contract.js'
import { statusesContract } from './statuses.contract.js'
import { supportContract } from './support.contract.js'

/** A store opened for the contract suite, and how to release it. */
export interface RepositoryHarness {
  readonly repository: OrderRepository
  readonly close: () => Promise<void>
  /**
   * From now on, make every journal insert whose event type is `eventType` fail inside the store (a trigger, a
   * test subclass): the contract then proves that the order change of such an operation is rolled back with it.
   */
  readonly failJournalInsertsOf: (eventType: string) => Promise<void>
}

export interface RepositoryContractOptions {
  /** How many concurrent creates of one key to fire; default 50. */
  readonly concurrentCreates?: number
}

/**
 * The behaviour every `OrderRepository` adapter must have (port doc and docs/contract.md §4), as one mocha `describe`.
 * The store is opened once for the suite (`open` in `before`, `close` in `after`); every test uses fresh keys
 * from `uniqueOrderId`, so tests never depend on each other or on what earlier runs left in the store.
 */
export const orderRepositoryContract = (
  adapterName: string,
  open: () => Promise<RepositoryHarness>,
  options: RepositoryContractOptions = {},
): void => {
  describe(`OrderRepository contract: ${adapterName}`, () => {
    let harness: RepositoryHarness | undefined

    before(async function () {
      // Opening a store may open and warm a whole connection pool (the SQL Server store does), which takes seconds
      // on a busy machine; no assertion rests on it.
      this.timeout(120_000)
      harness = await open()
    })

    after(async () => {
      await harness?.close()
    })

    const repository = (): OrderRepository => {
      if (harness === undefined) throw new Error('the contract harness is not open')
      return harness.repository
    }

    createOrGetContract(repository)
    statusesContract(repository)
    orderChangedContract(repository)
    pendingContract(repository)
    journalContract(repository)
    reviewContract(repository)
    journalWithOperationContract(repository, (eventType) => {
      if (harness === undefined) throw new Error('the contract harness is not open')
      return harness.failJournalInsertsOf(eventType)
    })
    retentionContract(repository)
    supportContract(repository)
    historyContract(repository)
    orderKeysContract(repository)
    orderUuidReachContract(repository)
    journalSummaryContract(repository)
    orderUuidFirstContract(repository)
    concurrencyContract(repository, options.concurrentCreates ?? 50)
  })
}

export type { RepositoryGetter } from './contract-support.js'
export { POISONED_EVENT_TYPE }
export { failedEntry, PERSONAL_DATA_OF_FULL_ORDER } from './support.contract.js'
export { uniqueOrderUuid } from './order-keys.contract.js'
