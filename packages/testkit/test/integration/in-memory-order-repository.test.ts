import { InMemoryOrderRepository } from '@domino-sm/testkit'
import { orderRepositoryContract } from '@domino-sm/testkit/contract'

orderRepositoryContract('in-memory', () => {
  const repository = new InMemoryOrderRepository()
  return Promise.resolve({ repository, close: () => repository.close() })
})
