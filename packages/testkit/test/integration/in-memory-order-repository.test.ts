import type { JournalEntry } from '@domino-sm/core'
import { InMemoryOrderRepository } from '@domino-sm/testkit'
import { orderRepositoryContract } from '@domino-sm/testkit/contract'

/** The in-memory store with a journal that refuses the event types the contract names. */
class RefusingInMemoryOrderRepository extends InMemoryOrderRepository {
  readonly refused = new Set<string>()
  protected override checkJournalEntry(entry: JournalEntry): void {
    if (entry.eventType !== null && this.refused.has(entry.eventType))
      throw new Error(`journal refuses ${entry.eventType}`)
  }
}

orderRepositoryContract('in-memory', () => {
  const repository = new RefusingInMemoryOrderRepository()
  return Promise.resolve({
    repository,
    close: () => repository.close(),
    failJournalInsertsOf: (eventType: string) => {
      repository.refused.add(eventType)
      return Promise.resolve()
    },
  })
})
