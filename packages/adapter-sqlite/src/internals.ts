/**
 * The pieces of the adapter that its own tests check one by one (`@domino-sm/adapter-sqlite/internals`).
 * Not an API: other packages use `openSqliteStore` from the package's main entry.
 */
export { classifySqliteError, isBusy, isUniqueViolation, primaryCode } from './worker/sqlite-error-classification.js'
export { createOrFindExisting } from './worker/duplicate-key-recovery.js'
export {
  WriteBatcher,
  MAX_WRITES_PER_COMMIT,
  type TransactionControl,
  type WriteJob,
  type WriteOutcome,
} from './worker/write-batcher.js'
export { StoreOperations, type WriteMode } from './worker/store-operations.js'
export { LINES_PER_INSERT } from './worker/sqlite-statements.js'
export { replyToCreate, resultOfCreate, type CreateOrGetReply } from './shared/created-reply.js'
export { WalLimit, checkpointWithWait, RESTART_WAIT_MS } from './worker/wal-limit.js'
export { StoreWorkerClient, BACKSTOP_GRACE_MS } from './main-thread/store-worker-client.js'
export {
  linesToRows,
  orderFromRows,
  orderToRow,
  ORDER_COLUMNS,
  LINE_COLUMNS,
  type LineRow,
  type OrderRow,
} from './worker/order-row-mapping.js'
export { journalEntryToRow, journalRecordFromRow, type JournalRow } from './worker/journal-row-mapping.js'
export { RowMappingError } from './worker/row-mapping-error.js'
export { resolveSqliteSettings } from './main-thread/sqlite-settings.js'
export { ALL_MIGRATIONS } from './main-thread/migrations/all-migrations.js'
export { migrate, SchemaTooNewError } from './main-thread/migrations/migrate.js'
export { openDatabase } from './shared/open-database.js'
export { SqliteOrderRepository } from './main-thread/sqlite-order-repository.js'
export { journalSearchSql, searchJournal } from './worker/journal-search.js'
export {
  JOURNAL_SUMMARY_SQL,
  ORDERS_FOR_REVIEW_SQL,
  ordersForReview,
  summariseJournal,
} from './worker/journal-summary-query.js'
