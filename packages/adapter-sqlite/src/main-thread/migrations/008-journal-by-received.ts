import type { Migration } from './migration.js'

/**
 * The journal by the time received, covering what the console's Today page counts (`summariseJournal`: outcome, status
 * answered, time taken, whether it is a request): the store counts the last 24 hours from this index alone, without
 * reading a journal row, and a query of support by time (`since`, `until`) finds its range here instead of reading
 * the whole journal. The marked orders, oldest mark first, need nothing new: `orders_for_review` (migration 4) holds
 * them in that order.
 */
export const journalByReceived: Migration = {
  version: 8,
  name: 'the journal indexed by the time received, covering the Today counts',
  sql: `
CREATE INDEX journal_by_received ON journal (received_at, outcome, http_status, duration_ms, request_id, event_type);
`,
}
