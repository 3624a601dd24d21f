import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { orderMigrations, type Migration } from './migration-files.js'

/** The `migrations/` folder shipped in the package (beside `dist/`). */
export const SHIPPED_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url))

/** The `grants/` folder shipped in the package. */
export const SHIPPED_GRANTS_DIR = fileURLToPath(new URL('../../grants/', import.meta.url))

/** Reads and orders the migrations of a folder; throws with every problem when the folder is not in order. */
export const loadMigrations = async (dir: string = SHIPPED_MIGRATIONS_DIR): Promise<readonly Migration[]> => {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith('.sql')).sort()
  const files = await Promise.all(
    names.map(async (fileName) => ({ fileName, sql: await readFile(`${dir}/${fileName}`, 'utf8') })),
  )
  const ordered = orderMigrations(files)
  if (E.isLeft(ordered)) throw new Error(`the migrations in ${dir} are not in order: ${ordered.left.join('; ')}`)
  return ordered.right
}
