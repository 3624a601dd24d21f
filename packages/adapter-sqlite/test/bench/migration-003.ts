/**
 * Migration 3 (journal bodies into their own table) on a large file, as a year without retention leaves it. Not run
 * by mocha: `npx tsc -b packages/adapter-sqlite/test && node packages/adapter-sqlite/dist-test/bench/migration-003.js [entries]`
 * Builds a schema-2 file with `entries` journal entries (default 540,000: the simulated year's), two in five with a
 * ~1.2 KB body and the others ~150 B, then times the migration and the checkpoint after it, and prints the sizes.
 */
import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { ALL_MIGRATIONS, migrate } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase } from '../support/temp-database.js'

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)
const sizeOf = (path: string): number => statSync(path, { throwIfNoEntry: false })?.size ?? 0

const entries = Number(process.argv[2] ?? '540000')
const temp = tempDatabase()
try {
  const db = new Database(temp.path)
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  migrate(
    db,
    ALL_MIGRATIONS.filter((m) => m.version <= 2),
    () => new Date(),
  )
  const insert =
    db.prepare(`INSERT INTO journal (received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms, detail, stored_at)
    VALUES (?, 'order.paid', ?, ?, 'applied', 200, 1.5, NULL, ?)`)
  const big = `{"event_type":"order.created","payload":{"customer":{"name":"Иван Петров","phone":"+79990001122"}}}${'x'.repeat(1100)}`
  const small = `{"event_type":"order.paid","payload":{"originalOrderId":"H"}}${'y'.repeat(90)}`
  db.transaction(() => {
    for (let i = 0; i < entries; i += 1) {
      const at = new Date(Date.UTC(2025, 0, 1) + i * 58_000).toISOString()
      insert.run(at, `Y-${Math.floor(i / 5)}`, i % 5 < 2 ? big : small, at)
    }
  })()
  db.pragma('wal_checkpoint(TRUNCATE)')
  const before = sizeOf(temp.path)
  const started = performance.now()
  const applied = migrate(db, ALL_MIGRATIONS, () => new Date())
  const migrated = performance.now()
  const walAfterMigration = sizeOf(`${temp.path}-wal`)
  db.pragma('wal_checkpoint(TRUNCATE)')
  const checkpointed = performance.now()
  const free = db.pragma('freelist_count', { simple: true }) as number
  db.close()
  process.stdout.write(
    `migration ${applied.join(',')} of ${entries} journal entries: database ${mib(before)} MiB before, ${mib(sizeOf(temp.path))} MiB after ` +
      `(${mib(free * 4096)} MiB of it free pages); WAL after the migration's commit ${mib(walAfterMigration)} MiB; ` +
      `migration ${((migrated - started) / 1000).toFixed(1)} s, checkpoint after it ${((checkpointed - migrated) / 1000).toFixed(1)} s\n`,
  )
} finally {
  temp.remove()
}
