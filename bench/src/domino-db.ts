import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'

/**
 * The SQL Server the `domino-db` scenarios and their floor run on: `BENCH_DOMINO_DB_URL`, a connection string with a
 * login that may create schemas in its database (a T-SQL server, e.g. the local test engine: its `create-db` command
 * prints a connection string).
 * Every scenario gets a fresh schema of its own in that database, migrated by the build it loads.
 */
export interface DominoDbTarget {
  readonly url: string
  /** Connections of the hook's pool and of the floor's (DOMINO_DB_POOL_MAX = _MIN: all opened and proven at start). */
  readonly poolSize: number
  /**
   * A fresh schema for every scenario and floor (a full run: each measures on empty tables), or one per build, the
   * floors on this tree's (a smoke run, `--smoke`: a migration takes seconds on the T-SQL engine; keys never collide).
   */
  readonly schemaPerScenario: boolean
}

const DOMINO_DB_URL_VARIABLE = 'BENCH_DOMINO_DB_URL'

/** The target, or why there is none (printed: the scenarios are skipped, not failed). */
export const dominoDbTarget = (
  env: NodeJS.ProcessEnv,
  poolSize: number,
  schemaPerScenario = true,
): { readonly target: DominoDbTarget } | { readonly skipped: string } => {
  const url = env[DOMINO_DB_URL_VARIABLE]?.trim()
  if (url === undefined || url === '') {
    return {
      skipped: `${DOMINO_DB_URL_VARIABLE} is not set (a connection string of a T-SQL server whose login may create schemas)`,
    }
  }
  return { target: { url, poolSize, schemaPerScenario } }
}

const run = Date.now().toString(36)
let schemas = 0

/** A schema name no earlier run or scenario used: `bench_<run>_<label>_<n>`. */
const freshSchema = (label: string): string => {
  schemas += 1
  return `bench_${run}_${label.replace(/\W/g, '_')}_${schemas}`
}

const exec = promisify(execFile)

/**
 * Migrates `schema` with the build's own command line (`domino-sbermarket-hook migrate`, as a DBA runs it), so that
 * each build runs on the schema it ships. Returns what the command printed.
 */
const migrateSchema = async (buildRoot: string, target: DominoDbTarget, schema: string): Promise<string> => {
  const cli = resolve(buildRoot, 'packages/adapter-http/dist/cli/main.js')
  const env = { ...process.env, DOMINO_DB_URL: target.url, DOMINO_DB_SCHEMA: schema }
  try {
    const { stdout } = await exec(process.execPath, [cli, 'migrate'], { env })
    return stdout.trim()
  } catch (error) {
    const stderr = typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : ''
    throw new Error(
      `migrating ${schema} with ${cli} failed: ${stderr.trim() || (error instanceof Error ? error.message : String(error))}`,
      { cause: error },
    )
  }
}

/** The hook's store settings for a migrated schema: the whole pool opened and proven before the first request. */
export const hookStoreEnv = (target: DominoDbTarget, schema: string): Record<string, string> => ({
  DOMINO_DB_URL: target.url,
  DOMINO_DB_SCHEMA: schema,
  DOMINO_DB_POOL_MAX: String(target.poolSize),
  DOMINO_DB_POOL_MIN: String(target.poolSize),
})

const migrated = new Map<string, Promise<string>>()

/**
 * A schema migrated by `buildRoot`'s `migrate` for the scenario or floor `label`: a fresh one each call, or, unless
 * `target.schemaPerScenario`, the one migrated by the same build earlier in this run (whatever its label).
 */
export const migratedSchema = (buildRoot: string, target: DominoDbTarget, label: string): Promise<string> => {
  const make = async (): Promise<string> => {
    const schema = freshSchema(label)
    await migrateSchema(buildRoot, target, schema)
    return schema
  }
  if (target.schemaPerScenario) return make()
  const known = migrated.get(buildRoot) ?? make()
  migrated.set(buildRoot, known)
  return known
}
