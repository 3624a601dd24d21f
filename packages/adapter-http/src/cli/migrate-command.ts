import * as E from 'fp-ts/lib/Either.js'
import { describeDominoDbSettings, migrate, parseDominoDbSettings, renderGrantScript } from '@domino-sm/adapter-domino-db'

type Env = Readonly<Record<string, string | undefined>>

const settingsOrExit = (env: Env) => {
  const settings = parseDominoDbSettings(env)
  if (E.isRight(settings)) return settings.right
  process.stderr.write(`Domino database settings:\n${settings.left.map((m) => `  - ${m}`).join('\n')}\n`)
  process.exit(2)
}

/**
 * `migrate`: brings the hook's schema in the Domino database up to date. Run by a DBA with an administrator login
 * (DOMINO_DB_URL or DOMINO_DB_*); `serve` never runs DDL and refuses to start on a schema that is behind.
 */
export const migrateCommand = async (env: Env): Promise<void> => {
  const settings = settingsOrExit(env)
  process.stderr.write(`migrating ${describeDominoDbSettings(settings)}\n`)
  const report = await migrate(settings)
  const applied = report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`
  process.stdout.write(`schema ${report.schema}: ${applied} (${report.alreadyApplied} applied before)\n`)
}

/** `grants`: prints the T-SQL that gives the login SberMarketOrdersHook exactly the rights the hook uses. */
export const grantsCommand = async (env: Env): Promise<void> => {
  const settings = settingsOrExit(env)
  const script = await renderGrantScript(settings.schema)
  if (E.isLeft(script)) throw new Error(script.left)
  process.stdout.write(script.right)
}
