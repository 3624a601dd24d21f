import type Database from 'better-sqlite3'
import type { Migration } from './migration.js'

/** Journal rows moved per step: small enough that the pages they free are reused by the next steps. */
const JOURNAL_MOVE_BATCH = 5000

/**
 * The raw bodies move out of `journal` into `journal_body`, one row per entry that has a body, so that the
 * retention policy DELETEs a row instead of setting a column to NULL. Why: a body is stored inside its journal
 * row (most are smaller than a page), so clearing it leaves free space inside old leaf pages that nothing reuses
 * (new entries, with ever larger AUTOINCREMENT ids, are always appended at the end of the table). A measured year:
 * clearing 75% of the bodies shrank the file by 3%. Deleting the oldest `journal_body` rows empties whole pages,
 * which go to the freelist and are reused by new rows: the file stops growing by bodies.
 * `journal_body.received_at` is the entry's, kept beside the body for the retention policy's index (oldest first).
 *
 * The old journal is renamed away and its rows moved in id batches (facts to the new `journal`, bodies to
 * `journal_body`, then deleted from the old table), so that the pages each batch frees hold the next batches'
 * rows: a large file is rewritten in place instead of doubled. Ids and the AUTOINCREMENT high-water mark are kept.
 * Nothing references the journal (no foreign keys, views or triggers), so renaming it is safe.
 */
export const journalBodyTable: Migration = {
  version: 3,
  name: 'journal bodies in their own table',
  sql: `
ALTER TABLE journal RENAME TO journal_before_3;
DROP INDEX journal_by_order;
DROP INDEX journal_bodies_by_received;
CREATE TABLE journal (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at       TEXT NOT NULL,
  event_type        TEXT,
  original_order_id TEXT,
  outcome           TEXT NOT NULL
    CHECK (outcome IN ('created', 'duplicate', 'applied', 'stale', 'pending', 'ignored', 'rejected', 'failed', 'expired')),
  http_status       INTEGER NOT NULL CHECK (http_status BETWEEN 100 AND 599),
  duration_ms       REAL NOT NULL,
  detail            TEXT,
  stored_at         TEXT NOT NULL
) STRICT;
CREATE TABLE journal_body (
  journal_id  INTEGER PRIMARY KEY REFERENCES journal (id),
  received_at TEXT NOT NULL,
  raw_body    TEXT NOT NULL
) STRICT;
`,
  run: (db) => {
    moveJournal(db)
    db.exec(`
-- The AUTOINCREMENT high-water mark (renamed with the old table) can be above max(id) when the last rows went.
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'journal', seq FROM sqlite_sequence WHERE name = 'journal_before_3' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'journal');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'journal_before_3'), 0)) WHERE name = 'journal';
DROP TABLE journal_before_3;
-- Built once after the move: sorting once is cheaper than keeping them up to date row by row.
CREATE INDEX journal_by_order ON journal (original_order_id, id);
CREATE INDEX journal_body_by_received ON journal_body (received_at);
`)
  },
}

const moveJournal = (db: Database.Database): void => {
  const range = db.prepare<[], { readonly low: number | null; readonly high: number | null }>(
    'SELECT min(id) AS low, max(id) AS high FROM journal_before_3',
  )
  const facts = db.prepare<
    [number, number]
  >(`INSERT INTO journal (id, received_at, event_type, original_order_id, outcome, http_status, duration_ms, detail, stored_at)
    SELECT id, received_at, event_type, original_order_id, outcome, http_status, duration_ms, detail, stored_at FROM journal_before_3 WHERE id BETWEEN ? AND ? ORDER BY id`)
  const bodies = db.prepare<[number, number]>(`INSERT INTO journal_body (journal_id, received_at, raw_body)
    SELECT id, received_at, raw_body FROM journal_before_3 WHERE id BETWEEN ? AND ? AND raw_body IS NOT NULL ORDER BY id`)
  const remove = db.prepare<[number, number]>('DELETE FROM journal_before_3 WHERE id BETWEEN ? AND ?')
  const { low, high } = range.get() ?? { low: null, high: null }
  if (low === null || high === null) return
  for (let from = low; from <= high; from += JOURNAL_MOVE_BATCH) {
    const to = from + JOURNAL_MOVE_BATCH - 1
    facts.run(from, to)
    bodies.run(from, to)
    remove.run(from, to)
  }
}
