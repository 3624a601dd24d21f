import * as E from 'fp-ts/lib/Either.js'
import {
  describeDominoDbSettings,
  migrate,
  renderGrantScript,
  type DominoDbSettings,
} from '@domino-sm/adapter-domino-db'

/**
 * Brings the hook's schema in the Domino database up to date (the settings parsed at start from DOMINO_DB_URL or
 * DOMINO_DB_*, with an administrator login). Returns the lines to print. `serve` never runs DDL.
 */
export const migrateDominoDb = async (
  settings: DominoDbSettings,
  progress: (line: string) => void,
): Promise<string> => {
  progress(`migrating ${describeDominoDbSettings(settings)}`)
  const report = await migrate(settings)
  const applied = report.applied.length === 0 ? 'nothing to apply' : `applied ${report.applied.join(', ')}`
  return `schema ${report.schema}: ${applied} (${report.alreadyApplied} applied before)`
}

/** The T-SQL that gives the login SberMarketOrdersHook exactly the rights the hook uses, for the configured schema. */
export const dominoDbGrants = async (settings: DominoDbSettings): Promise<string> => {
  const script = await renderGrantScript(settings.schema)
  if (E.isLeft(script)) throw new Error(script.left)
  return script.right
}
