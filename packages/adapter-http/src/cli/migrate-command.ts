import { DominoDbSettingsError, dominoDbGrants, migrateDominoDb } from '../composition-root/domino-db-admin.js'

type Env = Readonly<Record<string, string | undefined>>

const exitOnSettings = (error: unknown): never => {
  if (error instanceof DominoDbSettingsError) {
    process.stderr.write(`${error.message}\n`)
    process.exit(2)
  }
  throw error
}

/** `migrate`: applies the Domino database migrations; run by a DBA with an administrator login. */
export const migrateCommand = async (env: Env): Promise<void> => {
  const summary = await migrateDominoDb(env, (line) => process.stderr.write(`${line}\n`)).catch(exitOnSettings)
  process.stdout.write(`${summary}\n`)
}

/** `grants`: prints the T-SQL granting the login SberMarketOrdersHook what the hook needs. */
export const grantsCommand = async (env: Env): Promise<void> => {
  process.stdout.write(await dominoDbGrants(env).catch(exitOnSettings))
}
