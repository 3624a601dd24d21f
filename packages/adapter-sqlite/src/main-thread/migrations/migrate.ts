import type Database from 'better-sqlite3'
import type { Migration } from './migration.js'

/** The database holds a schema newer than this code knows: refuse it rather than write to it. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError'
  constructor(
    readonly found: number,
    readonly latestKnown: number,
  ) {
    super(`the database schema is at version ${found}, this code knows up to ${latestKnown}`)
  }
}

/**
 * Brings the schema up to the last of `migrations`, and returns the versions it applied (empty when it was
 * current). One `BEGIN IMMEDIATE` transaction: the write lock is taken before the version is read, so when
 * several processes open a new file at once, one of them migrates and the others wait, then find it current.
 */
export const migrate = (
  db: Database.Database,
  migrations: readonly Migration[],
  now: () => Date,
): readonly number[] => {
  const ordered = [...migrations].sort((a, b) => a.version - b.version)
  const latest = ordered.at(-1)?.version ?? 0
  const run = db.transaction((): number[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT`)
    const current = db.prepare('SELECT coalesce(max(version), 0) FROM schema_migrations').pluck().get() as number
    if (current > latest) throw new SchemaTooNewError(current, latest)
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    const applied: number[] = []
    for (const migration of ordered) {
      if (migration.version <= current) continue
      db.exec(migration.sql)
      migration.run?.(db)
      record.run(migration.version, migration.name, now().toISOString())
      applied.push(migration.version)
    }
    return applied
  })
  return run.immediate()
}
