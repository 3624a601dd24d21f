import type { Migration } from './migration.js'

/**
 * `journal replay` runs a journaled body again as a request of its own; `replay_of` names the entry it came from
 * (NULL for requests as SberMarket sent them), so that the journal tells a replay from a retry. No foreign key: the
 * journal is only appended to, and an entry never goes. The index finds the replays of an entry.
 */
export const journalReplayOf: Migration = {
  version: 6,
  name: 'journal entries name the entry they replay',
  sql: `
ALTER TABLE journal ADD COLUMN replay_of INTEGER;
CREATE INDEX journal_replays ON journal (replay_of) WHERE replay_of IS NOT NULL;
`,
}
