/**
 * @domino-sm/adapter-domino-db: the production store of the hook, the «Заказ СМ» tables in the Domino SQL Server
 * database. The composition root parses the settings from the environment it is given, opens the store, and binds
 * `repository`; `migrate` is for the `migrate` command, run by a DBA with an administrator login.
 */
export {
  describeDominoDbSettings,
  describeDominoDbTarget,
  parseDominoDbSettings,
  STORE_BUDGET_CEILING_MS,
  type DominoDbSettings,
  type SettingValues,
} from './settings/domino-db-settings.js'
export {
  openDominoDbStore,
  RECONNECT_DELAYS_MS,
  type DominoDbStore,
  type OpenOptions,
  type StoreEvents,
} from './open-domino-db-store.js'
export { migrate, type MigrateOptions, type MigrateReport } from './migrations/migrate.js'
export { HOOK_LOGIN, renderConsumerGrantScript, renderGrantScript } from './grant-script.js'
export {
  changeQueueConsumers,
  parseConsumerName,
  withChangeQueueConsumers,
  type ChangeQueueConsumers,
  type ConsumerName,
  type ConsumerQueue,
  type RemoveConsumerResult,
} from './change-queue/change-queue-consumers.js'
export { DEFAULT_SCHEMA, parseSchemaName, type SchemaName } from './settings/schema-name.js'
export { MssqlOrderRepository } from './mssql-order-repository.js'
