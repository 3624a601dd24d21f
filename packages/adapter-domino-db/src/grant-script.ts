import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/lib/Either.js'
import { SHIPPED_GRANTS_DIR } from './migrations/load-migrations.js'
import { fillPlaceholders } from './migrations/migration-files.js'
import type { SchemaName } from './settings/schema-name.js'

/** The login the hook connects as (docs/contract.md §1). */
export const HOOK_LOGIN = 'SberMarketOrdersHook'

const PRINCIPAL = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/

/** Fills the grants script's placeholders; the database user name is validated like an identifier. */
export const fillGrantScript = (
  template: string,
  schema: SchemaName,
  hookUser: string = HOOK_LOGIN,
): E.Either<string, string> =>
  PRINCIPAL.test(hookUser)
    ? fillPlaceholders(template, { schema, hook_user: hookUser })
    : E.left('the hook user must be a plain name (letters, digits, _ . -)')

/**
 * The shipped `grants/grant-hook-login.sql` for one schema and user, ready for sqlcmd or SSMS: what a DBA runs after
 * `migrate` to give the hook's login exactly the rights it uses.
 */
export const renderGrantScript = async (
  schema: SchemaName,
  hookUser: string = HOOK_LOGIN,
): Promise<E.Either<string, string>> =>
  fillGrantScript(await readFile(`${SHIPPED_GRANTS_DIR}/grant-hook-login.sql`, 'utf8'), schema, hookUser)

/** Fills the consumer grants script's placeholders; the database user name is validated like the hook's. */
export const fillConsumerGrantScript = (
  template: string,
  schema: SchemaName,
  consumerUser: string,
): E.Either<string, string> =>
  PRINCIPAL.test(consumerUser)
    ? fillPlaceholders(template, { schema, consumer_user: consumerUser })
    : E.left('the consumer login must be a plain name (letters, digits, _ . -)')

/**
 * The shipped `grants/grant-consumer-login.sql` for one schema and login (`grants --consumer LOGIN`): what a Domino
 * job's login needs to take its changes and read the orders they name, and nothing more.
 */
export const renderConsumerGrantScript = async (
  schema: SchemaName,
  consumerUser: string,
): Promise<E.Either<string, string>> =>
  fillConsumerGrantScript(
    await readFile(`${SHIPPED_GRANTS_DIR}/grant-consumer-login.sql`, 'utf8'),
    schema,
    consumerUser,
  )
