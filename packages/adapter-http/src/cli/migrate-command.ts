import type { DominoDbSettings } from '../composition-root/store-settings.js'
import { dominoDbGrants, migrateDominoDb } from '../composition-root/domino-db-admin.js'

/** `migrate`: applies the Domino database migrations; run by a DBA with an administrator login. */
export const migrateCommand = async (settings: DominoDbSettings, write: (text: string) => void, progress: (text: string) => void): Promise<void> => {
  const summary = await migrateDominoDb(settings, (line) => progress(`${line}\n`))
  write(`${summary}\n`)
}

/** `grants`: prints the T-SQL granting the login SberMarketOrdersHook what the hook needs. */
export const grantsCommand = async (settings: DominoDbSettings, write: (text: string) => void): Promise<void> => {
  write(await dominoDbGrants(settings))
}
