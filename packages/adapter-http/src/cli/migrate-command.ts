import * as E from 'fp-ts/lib/Either.js'
import { DominoDbSettingsError, dominoDbGrants, migrateDominoDb } from '../composition-root/domino-db-admin.js'
import { migrateSqliteFile } from '../composition-root/sqlite-admin.js'
import { parseAppConfig } from '../config/app-config.js'

type Env = Readonly<Record<string, string | undefined>>

const exitOnSettings = (error: unknown): never => {
  if (error instanceof DominoDbSettingsError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(2)
  }
  throw error
}

/**
 * `migrate`: applies the Domino database migrations; run by a DBA with an administrator login. With `STORE=sqlite`
 * said explicitly, it migrates the SQLite file under `DATA_DIR` instead (an upgrade migrates before it rolls the
 * instances). Only an explicit `STORE=sqlite`: a DBA who forgot `DOMINO_DB_URL` must get the Domino settings error,
 * not a new SQLite file in the current folder.
 */
export const migrateCommand = async (env: Env): Promise<void> => {
  const store = env['STORE']?.trim().toLowerCase()
  if (store === 'sqlite' || store === 'memory') {
    const config = parseAppConfig(env)
    if (E.isLeft(config)) {
      process.stderr.write(`configuration error:\n${config.left.map((m) => `  - ${m}`).join('\n')}\n`)
      process.exit(2)
    }
    if (store === 'memory') {
      process.stderr.write('STORE=memory keeps no schema: nothing to migrate\n')
      process.exit(2)
    }
    process.stdout.write(`${await migrateSqliteFile(config.right.dataDir)}\n`)
    return
  }
  const summary = await migrateDominoDb(env, (line) => process.stderr.write(`${line}\n`)).catch(exitOnSettings)
  process.stdout.write(`${summary}\n`)
}

/** `grants`: prints the T-SQL granting the login SberMarketOrdersHook what the hook needs. */
export const grantsCommand = async (env: Env): Promise<void> => {
  process.stdout.write(await dominoDbGrants(env).catch(exitOnSettings))
}
