import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { SQLITE_FILE } from './open-store.js'

/**
 * Brings the embedded store's SQLite file under `dataDir` up to date (creating it when absent) and returns the line
 * to print. `serve` migrates the file itself when it opens it; this lets an upgrade migrate first, as it does on the
 * Domino database, so that no instance pays for a long migration at its start (README, "Deploying the pool").
 */
export const migrateSqliteFile = async (dataDir: string): Promise<string> => {
  await mkdir(dataDir, { recursive: true })
  const path = resolve(join(dataDir, SQLITE_FILE))
  const store = await openSqliteStore({ path })
  await store.close()
  const applied = store.migrationsApplied
  return `sqlite ${path}: ${applied.length === 0 ? 'nothing to apply' : `applied ${applied.join(', ')}`}`
}
