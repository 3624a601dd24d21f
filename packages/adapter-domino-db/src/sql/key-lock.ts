import mssql from 'mssql'
import type { SchemaName } from '../settings/schema-name.js'
import { KEY_LOCK_DEADLOCK, KEY_LOCK_NOT_GRANTED } from './error-numbers.js'
import type { SqlParam } from './sql-statement.js'

/** The hook's database role (migration 0006): the only principal, beside dbo and db_owner, that may take its locks. */
export const hookRole = (schema: SchemaName): string => `${schema}_hook`

/**
 * The application lock resource of one order key: a fixed prefix, the schema (two schemas in one database do not
 * serialise each other) and the key. At most 16 + 128 + 1 + 64 characters, under sp_getapplock's 255. Resources are
 * compared as binary strings, as the keys themselves are (BIN2).
 */
export const keyLockResource = (schema: SchemaName, originalOrderId: string): string =>
  `domino-sm:order:${schema}:${originalOrderId}`

/**
 * Takes the lock of one order key until the transaction ends (`@LockOwner = 'Transaction'`: the commit, or the
 * rollback on any error or cancel, releases it). Every operation on one key takes it before it reads the key, so
 * creators, updaters and pending-writers of one key run one at a time on any instance, and other keys are never
 * blocked: unlike HOLDLOCK on a missing key, which locks the range up to the next key of the index (RangeS-U), and
 * would queue every new ascending SberMarket id behind one lock. `@DbPrincipal` is the hook's own role, so a user
 * outside it cannot take or hold an order's lock. A result of -3 (chosen as a deadlock victim) is raised as
 * KEY_LOCK_DEADLOCK, which the repository retries within the budget; any other negative result (timeout -1,
 * cancelled -2, error -999) as KEY_LOCK_NOT_GRANTED. `@lock_wait_ms` comes from what remains of the budget when the
 * request is sent. The role's name is the validated schema's, so the text stays fixed per schema.
 */
const lockStatement = (
  schema: SchemaName,
  modeArgument: string,
  prelude: string,
  resource = '@lock_resource',
  result = '@lock',
): string => `${prelude}DECLARE ${result} INT;
EXEC ${result} = sp_getapplock @Resource = ${resource}, @LockMode = ${modeArgument}, @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms, @DbPrincipal = N'${hookRole(schema)}';
IF ${result} = -3
  THROW ${KEY_LOCK_DEADLOCK}, N'domino-sm: the order key lock was refused to a deadlock victim', 1;
IF ${result} < 0
  THROW ${KEY_LOCK_NOT_GRANTED}, N'domino-sm: the order key stayed locked by another operation longer than the budget allows', 1;
`

export const keyLockText = (schema: SchemaName, mode: 'Exclusive' | 'Shared'): string =>
  lockStatement(schema, `N'${mode}'`, '')

/**
 * The key lock of a create: Shared when the order of the key already exists, Exclusive otherwise. An order is never
 * deleted and its number never changes, so once one is seen committed, every later create of the key is a duplicate
 * that changes no order: the retries of one order.created then share the lock instead of queueing one by one (a
 * burst of 24 copies after a timeout was answered 503 in part when each waited for the one before). A create that
 * finds no order takes the lock exclusively and reads again under it, so two creators of a new key still run one at a
 * time. The existence check reads committed data (under locking READ COMMITTED it waits for a creator's uncommitted
 * insert; under READ_COMMITTED_SNAPSHOT it does not see it, and takes Exclusive, which waits for that creator).
 */
export const createKeyLockText = (schema: SchemaName, header: string): string =>
  lockStatement(
    schema,
    '@lock_mode',
    `DECLARE @lock_mode NVARCHAR(32) = CASE WHEN EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id) THEN N'Shared' ELSE N'Exclusive' END;
`,
  )

/** How long the key lock may be waited for, in whole milliseconds (`@LockTimeout`). */
export const lockWaitParam = (waitMs: number): SqlParam => ({
  name: 'lock_wait_ms',
  type: mssql.Int(),
  value: Math.max(0, Math.floor(waitMs)),
})

export const keyLockParams = (schema: SchemaName, originalOrderId: string, waitMs: number): SqlParam[] => [
  { name: 'lock_resource', type: mssql.NVarChar(255), value: keyLockResource(schema, originalOrderId) },
  lockWaitParam(waitMs),
]

/**
 * The lock of a second key in the same request (an event keyed by `orderUUID` alone that reaches an order of another
 * key, or a create's `orderUUID`): the resource is the T-SQL expression `resource` (a parameter, or the local
 * variable `keyLockResourceOf` builds), the result its own variable `result`, so it can follow `keyLockText`.
 * Taken always after the lock of the request's own key: keys in that order, so two such requests cannot deadlock
 * on each other's first lock (docs/domino-integration.md §1).
 */
export const secondKeyLockText = (
  schema: SchemaName,
  mode: 'Exclusive' | 'Shared',
  resource: string,
  result: string,
): string => lockStatement(schema, `N'${mode}'`, '', resource, result)

/** `keyLockResource` of a key held by a T-SQL variable `key`, as an expression (the schema is the validated name). */
export const keyLockResourceOf = (schema: SchemaName, key: string): string => `N'domino-sm:order:${schema}:' + ${key}`
