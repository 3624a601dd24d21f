import type { Migration } from './migration.js'

/**
 * Orders created for review and the marking codes of lines (docs/contract.md §2, §3):
 * - `orders` gains the review mark: its reasons (a JSON array of strings, so that any reason round-trips),
 *   when it was marked, and the payload of an `order.changed` that could not be applied; a partial index finds the
 *   marked orders (for support and the alerts) without scanning the rest;
 * - `order_lines` gains `marking_codes_json`, a JSON array of strings (NULL when the line has none);
 * - the journal's outcome CHECK gains `review`. SQLite cannot alter a CHECK, so the journal is rebuilt, and with it
 *   `journal_body`, whose foreign key points at it: new tables under new names, the rows copied with their ids,
 *   the old tables dropped child first (so no foreign key is ever violated, with `foreign_keys` on), the new ones
 *   renamed (SQLite rewrites `journal_body`'s reference to follow the rename). The AUTOINCREMENT high-water mark is
 *   carried over, so no journal id is handed out twice. The copy needs the journal's size again in free disk,
 *   briefly; the retention policy keeps that size bounded.
 */
export const reviewMarksAndMarkingCodes: Migration = {
  version: 4,
  name: 'review marks on orders, marking codes on lines, journal outcome review',
  sql: `
ALTER TABLE orders ADD COLUMN review_reasons_json TEXT;
ALTER TABLE orders ADD COLUMN review_marked_at TEXT;
ALTER TABLE orders ADD COLUMN review_unapplied_change_json TEXT;
CREATE INDEX orders_for_review ON orders (review_marked_at) WHERE review_marked_at IS NOT NULL;
ALTER TABLE order_lines ADD COLUMN marking_codes_json TEXT;

CREATE TABLE journal_new (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at       TEXT NOT NULL,
  event_type        TEXT,
  original_order_id TEXT,
  outcome           TEXT NOT NULL
    CHECK (outcome IN ('created', 'duplicate', 'applied', 'stale', 'pending', 'review', 'ignored', 'rejected', 'failed', 'expired')),
  http_status       INTEGER NOT NULL CHECK (http_status BETWEEN 100 AND 599),
  duration_ms       REAL NOT NULL,
  detail            TEXT,
  stored_at         TEXT NOT NULL
) STRICT;
CREATE TABLE journal_body_new (
  journal_id  INTEGER PRIMARY KEY REFERENCES journal_new (id),
  received_at TEXT NOT NULL,
  raw_body    TEXT NOT NULL
) STRICT;
INSERT INTO journal_new (id, received_at, event_type, original_order_id, outcome, http_status, duration_ms, detail, stored_at)
  SELECT id, received_at, event_type, original_order_id, outcome, http_status, duration_ms, detail, stored_at FROM journal ORDER BY id;
INSERT INTO journal_body_new (journal_id, received_at, raw_body) SELECT journal_id, received_at, raw_body FROM journal_body ORDER BY journal_id;
INSERT INTO sqlite_sequence (name, seq)
  SELECT 'journal_new', seq FROM sqlite_sequence WHERE name = 'journal' AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'journal_new');
UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'journal'), 0)) WHERE name = 'journal_new';
DROP TABLE journal_body;
DROP TABLE journal;
ALTER TABLE journal_new RENAME TO journal;
ALTER TABLE journal_body_new RENAME TO journal_body;
CREATE INDEX journal_by_order ON journal (original_order_id, id);
CREATE INDEX journal_body_by_received ON journal_body (received_at);
`,
}
