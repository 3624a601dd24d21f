/**
 * The pieces of the adapter that its own tests check one by one (`@domino-sm/adapter-domino-db/internals`).
 * Not an API: other packages use the main entry.
 */
export {
  parseAdoConnectionString,
  parseConnectionString,
  parseMssqlUrl,
  parseFlag,
  splitConnectionString,
} from './settings/connection-string.js'
export { parseServerAddress } from './settings/server-address.js'
export { mssqlConfig, migrationConfig, openConnectionPool } from './driver/connection-pool.js'
export {
  classifySqlError,
  errorFacts,
  repositoryErrorOf,
  serverErrorNumbers,
  DeadlineExceeded,
  NotConnected,
  PERMANENT_NUMBERS,
  RowShapeError,
  SQL_ERROR,
} from './driver/sql-error.js'
export { fitText, toSafeInteger } from './rows/column-values.js'
export {
  HEADER_CREATE_COLUMNS,
  HEADER_LENGTHS,
  HEADER_UPDATE_COLUMNS,
  LINE_COLUMNS,
  LINE_LENGTHS,
} from './rows/order-columns.js'
export { HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS, lineFromRow, orderFromRows } from './rows/order-row-mapping.js'
export { HEADER_STATE_COLUMNS, stateFromRow } from './rows/order-state-mapping.js'
export {
  JOURNAL_COLUMNS,
  JOURNAL_REWRITE_COLUMNS,
  JOURNAL_SELECT_COLUMNS,
  journalRecordFromRow,
} from './rows/journal-row-mapping.js'
export {
  DUPLICATE_CREATE_PROCEDURE,
  lineChunks,
  LINES_PER_STATEMENT,
  lookupOf,
  orderReadTexts,
  orderStatements,
} from './sql/order-statements.js'
export { journalStatements } from './sql/journal-statements.js'
export { createStatements, ORDER_REACHED_COLUMN, PROBE_CREATE_PROCEDURE } from './sql/create-statements.js'
export {
  READ_FOR_UPDATE_PROCEDURE,
  READ_STATE_FOR_UPDATE_PROCEDURE,
  STATUS_COLUMNS,
  STATUS_WRITE_PROCEDURE,
  updateStatements,
} from './sql/update-statements.js'
export { VERSION_CONFLICT_COLUMN } from './sql/checked-batch.js'
export { retentionStatements, MAX_PENDING_PER_BATCH } from './sql/retention-statements.js'
export { MAX_PARAMETERS_PER_REQUEST, type SqlParam, type SqlStatement } from './sql/sql-statement.js'
export { hookRole, keyLockParams, keyLockResource, keyLockText } from './sql/key-lock.js'
export { connectionGuard, inTransaction, outsideTransaction, type Recordsets, type Send } from './driver/requests.js'
export {
  CONNECTION_STATE_ERROR,
  KEY_LOCK_DEADLOCK,
  KEY_LOCK_NOT_GRANTED,
  MIGRATION_LOCK_HELD,
  TAKE_MAX_OUT_OF_RANGE,
  TAKE_OUTSIDE_TRANSACTION,
  UNKNOWN_CONSUMER,
} from './sql/error-numbers.js'
export { packed, together } from './sql/sql-statement.js'
export { OperationBudget, withBudget } from './driver/operation-budget.js'
export { MAX_ATTEMPTS, retryWithinBudget } from './operations/operation-context.js'
export {
  checksumOf,
  fillPlaceholders,
  orderMigrations,
  renderMigration,
  splitBatches,
  type Migration,
} from './migrations/migration-files.js'
export { loadMigrations, SHIPPED_GRANTS_DIR, SHIPPED_MIGRATIONS_DIR } from './migrations/load-migrations.js'
export {
  checkSchemaReady,
  planMigrations,
  type AppliedMigration,
  type SchemaState,
} from './migrations/migration-plan.js'
export { fillConsumerGrantScript, fillGrantScript } from './grant-script.js'
export {
  changeKindOf,
  changeStatements,
  MAX_CONSUMER_NAME_LENGTH,
  type ChangeKind,
  type ChangeStatements,
} from './sql/change-statements.js'
export { consumerStatements } from './change-queue/change-queue-consumers.js'
export { queueTableName } from './operations/retention-operation.js'
export { supportStatements } from './sql/support-statements.js'
