import * as E from 'fp-ts/lib/Either.js'
import { describeDominoDbSettings, migrate, parseDominoDbSettings, renderGrantScript } from '@domino-sm/adapter-domino-db'

type Env = Readonly<Record<string, string | undefined>>

/** A settings problem the command line reports with exit code 2, as it does for the service's own config. */
export class DominoDbSettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Domino database settings:\n${problems.map((m) => `  - ${m}`).join('\n')}`)
    this.name = 'DominoDbSettingsError'
  }
}

const settingsOf = (env: Env) => {
  const settings = parseDominoDbSettings(env)
  if (E.isLeft(settings)) throw new DominoDbSettingsError(settings.left)
  return settings.right
}

/**
 * Brings the hook's schema in the Domino database up to date (DOMINO_DB_URL or DOMINO_DB_*, with an administrator
 * login). Returns the lines to print. `serve` never runs DDL.
 */
export const migrateDominoDb = async (env: Env, progress: (line: string) => void): Promise<string> => {
  const settings = settingsOf(env)
  progress(`migrating ${describeDominoDbSettings(settings)}`)
  const report = await migrate(settings)
  const applied = report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`
  return `schema ${report.schema}: ${applied} (${report.alreadyApplied} applied before)`
}

/** The T-SQL that gives the login SberMarketOrdersHook exactly the rights the hook uses, for the configured schema. */
export const dominoDbGrants = async (env: Env): Promise<string> => {
  const script = await renderGrantScript(settingsOf(env).schema)
  if (E.isLeft(script)) throw new Error(script.left)
  return script.right
}
