import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh directory in the OS temp dir with a database path in it; `remove` deletes the file, its WAL and the dir. */
export interface TempDatabase {
  readonly path: string
  readonly remove: () => void
}

export const tempDatabase = (): TempDatabase => {
  const dir = mkdtempSync(join(tmpdir(), 'domino-sm-sqlite-'))
  return { path: join(dir, 'hook.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}
