import { InMemoryOrderRepository } from '@domino-sm/testkit'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import type { StoreHandle } from './store-handle.js'

/** Opens the store the config names. The only place that knows the concrete store adapters. */
export const openStore = async (config: AppConfig, _clock: Clock): Promise<StoreHandle> => {
  switch (config.store) {
    case 'memory': {
      const repository = new InMemoryOrderRepository()
      return { repository, close: () => repository.close(), description: 'memory (orders are lost when the process stops)' }
    }
    case 'sqlite':
    case 'domino-db':
      throw new Error(`the ${config.store} store is not wired yet`)
  }
}
