import type { Migration } from './migration.js'

/**
 * The retention policy journals a pending update it removes as `expired`, an outcome the first schema's CHECK
 * refuses. SQLite cannot alter a CHECK, so the journal is rebuilt (SQLite's documented 12-step way, inside the
 * migration's transaction): a new table, the rows copied with their ids, the old one dropped, the new one
 * renamed. The AUTOINCREMENT counter is carried over so that no id is ever handed out twice. The journal has no
 * foreign keys in or out, so `foreign_keys` needs no switching off.
 * It also adds the indexes the retention policy and `journal stats` scan by: bodies still held, by time; pending
 * updates by time.
 */
export const journalExpiredOutcome: Migration = {
  version: 2,
  name: 'journal outcome expired; retention indexes',
  sql: `
CREATE TABLE journal_new (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at       TEXT NOT NULL,
  event_type        TEXT,
  original_order_id TEXT,
  raw_body          TEXT,
  outcome           TEXT NOT NULL
    CHECK (outcome IN ('created', 'duplicate', 'applied', 'stale', 'pending', 'ignored', 'rejected', 'failed', 'expired')),
  http_status       INTEGER NOT NULL CHECK (http_status BETWEEN 100 AND 599),
  duration_ms       REAL NOT NULL,
  detail            TEXT,
  stored_at         TEXT NOT NULL
) STRICT;
INSERT INTO journal_new (id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms, detail, stored_at)
  SELECT id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms, detail, stored_at FROM journal ORDER BY id;
-- Carry the AUTOINCREMENT high-water mark over (it can be above max(id) when the last rows went).
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'journal_new', seq FROM sqlite_sequence WHERE name = 'journal' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'journal_new');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'journal'), 0)) WHERE name = 'journal_new';
DROP TABLE journal;
ALTER TABLE journal_new RENAME TO journal;
CREATE INDEX journal_by_order ON journal (original_order_id, id);
CREATE INDEX journal_bodies_by_received ON journal (received_at) WHERE raw_body IS NOT NULL;
CREATE INDEX pending_updates_by_received ON pending_updates (received_at, id);
`,
}
