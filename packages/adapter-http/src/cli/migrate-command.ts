import type { AppConfig } from '../config/app-config.js'
import type { DominoDbSettings } from '../composition-root/store-settings.js'
import { dominoDbGrants, migrateDominoDb } from '../composition-root/domino-db-admin.js'
import { migrateSqliteFile } from '../composition-root/sqlite-admin.js'

/** `migrate`: applies the Domino database migrations; run by a DBA with an administrator login. */
export const migrateCommand = async (
  settings: DominoDbSettings,
  write: (text: string) => void,
  progress: (text: string) => void,
): Promise<void> => {
  const summary = await migrateDominoDb(settings, (line) => progress(`${line}\n`))
  write(`${summary}\n`)
}

/**
 * `migrate` with `STORE=sqlite` said explicitly: the SQLite file under `DATA_DIR`, so that an upgrade migrates before
 * it rolls the instances, as it does on the Domino database (README, "Deploying the pool"). Only when said
 * explicitly (program.ts): a DBA who forgot `DOMINO_DB_URL` gets the Domino settings error, not a new SQLite file.
 */
export const migrateSqliteCommand = async (config: AppConfig, write: (text: string) => void): Promise<void> => {
  write(`${await migrateSqliteFile(config.dataDir)}\n`)
}

/** `grants`: prints the T-SQL granting the login SberMarketOrdersHook what the hook needs. */
export const grantsCommand = async (settings: DominoDbSettings, write: (text: string) => void): Promise<void> => {
  write(await dominoDbGrants(settings))
}
