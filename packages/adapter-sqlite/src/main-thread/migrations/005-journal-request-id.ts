import type { Migration } from './migration.js'

/**
 * One journal entry per request: `request_id` is the id the hook gives a request when it arrives (a UUID). The
 * unique partial index makes it the key of the request's one entry, whichever writer comes first: the order
 * operation, the edge's entry of a request it answered without the store, or a late amendment (all of them look the
 * entry up by this id). Entries written before this version, and those that are not requests (`expired`), have none.
 */
export const journalRequestId: Migration = {
  version: 5,
  name: 'journal request ids, unique',
  sql: `
ALTER TABLE journal ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX journal_by_request ON journal (request_id) WHERE request_id IS NOT NULL;
`,
}
