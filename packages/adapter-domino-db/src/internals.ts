/**
 * The pieces of the adapter that its own tests check one by one (`@domino-sm/adapter-domino-db/internals`).
 * Not an API: other packages use the main entry.
 */
export { parseAdoConnectionString, parseConnectionString, parseMssqlUrl, parseFlag } from './connection-string.js'
export { splitConnectionString } from './split-connection-string.js'
export { parseServerAddress } from './server-address.js'
export { mssqlConfig, migrationConfig, openConnectionPool } from './connection-pool.js'
export { classifySqlError, errorFacts, repositoryErrorOf, DeadlineExceeded, RowShapeError, SQL_ERROR } from './sql-error.js'
export { fitText, toSafeInteger } from './rows/column-values.js'
export { HEADER_CREATE_COLUMNS, HEADER_LENGTHS, HEADER_UPDATE_COLUMNS, LINE_COLUMNS, LINE_LENGTHS } from './rows/order-columns.js'
export { HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS, lineFromRow, orderFromRows } from './rows/order-row-mapping.js'
export { JOURNAL_COLUMNS, JOURNAL_SELECT_COLUMNS, journalRecordFromRow } from './rows/journal-row-mapping.js'
export { lineChunks, LINES_PER_STATEMENT, orderStatements } from './sql/order-statements.js'
export { journalStatements } from './sql/journal-statements.js'
export { MAX_PARAMETERS_PER_REQUEST, type SqlStatement } from './sql/sql-statement.js'
export { lockTimeoutPrefix, TRANSACTION_GUARD } from './sql/transaction.js'
export { OperationBudget, withBudget } from './operation-budget.js'
export { checksumOf, fillPlaceholders, orderMigrations, renderMigration, splitBatches, type Migration } from './migrations/migration-files.js'
export { loadMigrations, SHIPPED_GRANTS_DIR, SHIPPED_MIGRATIONS_DIR } from './migrations/load-migrations.js'
export { checkSchemaReady, planMigrations, type AppliedMigration, type SchemaState } from './migrations/migration-plan.js'
export { fillGrantScript } from './grant-script.js'
