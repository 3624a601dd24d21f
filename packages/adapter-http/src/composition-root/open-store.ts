import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describeDominoDbSettings, describeDominoDbTarget, openDominoDbStore, parseDominoDbSettings, type StoreEvents } from '@domino-sm/adapter-domino-db'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { InMemoryOrderRepository } from '@domino-sm/store-memory'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import type { StoreHandle } from './store-handle.js'

/** The SQLite file of the embedded default store, under DATA_DIR. */
export const SQLITE_FILE = 'orders.sqlite'

/**
 * Opens the store the config names. The only place that knows the concrete store adapters. `events` hears how a
 * store that waits for its database (the Domino store, when SQL Server is not up yet) is doing.
 */
export const openStore = async (config: AppConfig, clock: Clock, events: StoreEvents = {}): Promise<StoreHandle> => {
  switch (config.store) {
    case 'memory': {
      const repository = new InMemoryOrderRepository(clock)
      return { repository, close: () => repository.close(), description: 'memory (orders are lost when the process stops)', identity: 'memory', ready: Promise.resolve() }
    }
    case 'sqlite': {
      await mkdir(config.dataDir, { recursive: true })
      const path = resolve(join(config.dataDir, SQLITE_FILE))
      // The SQLite store reads the system clock in its own thread (a clock object cannot cross to it).
      const store = await openSqliteStore({ path })
      return { repository: store.repository, close: store.close, description: `sqlite ${path}`, identity: `sqlite ${path}`, ready: Promise.resolve() }
    }
    case 'domino-db': {
      const settings = parseDominoDbSettings(config.env)
      if (E.isLeft(settings)) throw new Error(`Domino database settings:\n  - ${settings.left.join('\n  - ')}`)
      if (settings.right.requestTimeoutMs >= config.hookDeadlineMs) {
        throw new Error(`DOMINO_DB_REQUEST_TIMEOUT_MS (${settings.right.requestTimeoutMs}) must stay under HOOK_DEADLINE_MS (${config.hookDeadlineMs})`)
      }
      let connected = (): void => undefined
      const ready = new Promise<void>((resolve) => {
        connected = resolve
      })
      const store = await openDominoDbStore(settings.right, clock, {
        ...events,
        onConnected: () => {
          connected()
          events.onConnected?.()
        },
      })
      return {
        repository: store.repository,
        close: store.close,
        description: `domino-db ${describeDominoDbSettings(settings.right)}`,
        identity: `domino-db ${describeDominoDbTarget(settings.right)}`,
        ready,
      }
    }
  }
}
