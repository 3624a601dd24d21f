import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import {
  describeDominoDbSettings,
  describeDominoDbTarget,
  openDominoDbStore,
  type StoreEvents,
} from '@domino-sm/adapter-domino-db'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { InMemoryOrderRepository } from '@domino-sm/store-memory'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import type { StoreHandle } from './store-handle.js'

/** The SQLite file of the embedded default store, under DATA_DIR. */
export const SQLITE_FILE = 'orders.sqlite'

/**
 * Who opens the store. `serve` takes the Domino database's configured pool, warmed before the first webhook, and
 * waits for a database that is not up yet. A `command` of the command line runs one operation at a time for one
 * operator: it opens one connection, warms nothing (the warm-up of a whole pool cost a command seconds on the
 * T-SQL engine), and fails at once when the database cannot be reached.
 */
export type StorePurpose = 'serve' | 'command'

/**
 * Opens the store the config names, with the settings parsed at start (`config/app-config.ts`). The only place
 * that knows the concrete store adapters. `events` hears how a store that waits for its database (the Domino store,
 * when SQL Server is not up yet) is doing.
 */
export const openStore = async (
  config: AppConfig,
  clock: Clock,
  events: StoreEvents = {},
  purpose: StorePurpose = 'serve',
): Promise<StoreHandle> => {
  switch (config.store) {
    case 'memory': {
      const repository = new InMemoryOrderRepository(clock)
      return {
        repository,
        close: () => repository.close(),
        description: 'memory (orders are lost when the process stops)',
        identity: 'memory',
        ready: Promise.resolve(),
      }
    }
    case 'sqlite': {
      await mkdir(config.dataDir, { recursive: true })
      const path = resolve(join(config.dataDir, SQLITE_FILE))
      // The SQLite store reads the system clock in its own thread (a clock object cannot cross to it).
      const store = await openSqliteStore({ path, ...config.sqlite })
      return {
        repository: store.repository,
        close: store.close,
        description: `sqlite ${path}`,
        identity: `sqlite ${path}`,
        ready: Promise.resolve(),
      }
    }
    case 'domino-db': {
      // parseAppConfig parses DOMINO_DB_* whenever the store is domino-db; a config built otherwise is a bug.
      if (config.dominoDb === undefined) throw new Error('STORE=domino-db without parsed Domino database settings')
      const settings = purpose === 'serve' ? config.dominoDb : { ...config.dominoDb, poolMax: 1, poolMin: 0 }
      // Ready once the store has connected, checked the schema and warmed its pool: serve opens the hook's listener then.
      let connected = (): void => undefined
      const ready = new Promise<void>((resolve) => {
        connected = resolve
      })
      const store = await openDominoDbStore(
        settings,
        clock,
        {
          ...events,
          onConnected: () => {
            connected()
            events.onConnected?.()
          },
        },
        purpose === 'serve' ? {} : { warmUp: false, waitForDatabase: false },
      )
      return {
        repository: store.repository,
        close: store.close,
        description: `domino-db ${describeDominoDbSettings(settings)}`,
        identity: `domino-db ${describeDominoDbTarget(settings)}`,
        // A command's store has connected once it is open (it does not wait for the database).
        ready: purpose === 'serve' ? ready : Promise.resolve(),
      }
    }
  }
}
