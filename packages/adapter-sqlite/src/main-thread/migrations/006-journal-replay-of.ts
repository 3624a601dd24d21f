import type { Migration } from './migration.js'

/**
 * Support's replay and erasure:
 * - `journal replay` runs a journaled body again as a request of its own; `replay_of` names the entry it came from
 *   (NULL for requests as SberMarket sent them), so that the journal tells a replay from a retry. No foreign key: the
 *   journal is only appended to, and an entry never goes. The index finds the replays of an entry.
 * - `orders.personal_data_erased_at`: when the order's personal data was erased (`personal-data erase`, or the
 *   retention policy's erasure of closed orders, which erases each order once); the partial index holds exactly the
 *   closed orders not erased yet, the policy's candidates.
 */
export const journalReplayOf: Migration = {
  version: 6,
  name: 'journal entries name the entry they replay; orders say when their personal data was erased',
  sql: `
ALTER TABLE journal ADD COLUMN replay_of INTEGER;
CREATE INDEX journal_replays ON journal (replay_of) WHERE replay_of IS NOT NULL;
ALTER TABLE orders ADD COLUMN personal_data_erased_at TEXT;
CREATE INDEX orders_closed_not_erased ON orders (updated_at)
  WHERE personal_data_erased_at IS NULL AND status IN ('delivered', 'cancelled');
`,
}
