import mssql from 'mssql'
import type { SchemaName } from '../schema-name.js'
import type { SqlParam } from './sql-statement.js'

/** The error the lock statement raises when the key lock is not granted in time (answered StoreTimeout). */
export const KEY_LOCK_NOT_GRANTED = 50003

/**
 * The application lock resource of one order key: a fixed prefix, the schema (two schemas in one database do not
 * serialise each other) and the key. At most 16 + 128 + 1 + 64 characters, under sp_getapplock's 255. Resources are
 * compared as binary strings, as the keys themselves are (BIN2).
 */
export const keyLockResource = (schema: SchemaName, originalOrderId: string): string => `domino-sm:order:${schema}:${originalOrderId}`

/**
 * Takes the lock of one order key until the transaction ends (`@LockOwner = 'Transaction'`: the commit, or the
 * rollback XACT_ABORT makes on any error or client cancel, releases it). Every operation on one key takes it before
 * it reads the key, so creators, updaters and pending-writers of one key run one at a time on any instance, and
 * other keys are never blocked: unlike HOLDLOCK on a missing key, which locks the range up to the next key of the
 * index (RangeS-U), and would queue every new ascending SberMarket id behind one lock. A negative result (timeout
 * -1, cancelled -2, deadlock victim -3, error -999) is raised as KEY_LOCK_NOT_GRANTED, which rolls back. sp_getapplock
 * needs no permission beyond membership in public. `@lock_wait_ms` comes from what remains of the budget.
 */
export const keyLockText = (mode: 'Exclusive' | 'Shared'): string => `DECLARE @lock INT;
EXEC @lock = sp_getapplock @Resource = @lock_resource, @LockMode = N'${mode}', @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms;
IF @lock < 0
BEGIN
  THROW ${KEY_LOCK_NOT_GRANTED}, N'domino-sm: the order key stayed locked by another operation longer than the budget allows', 1;
END;
`

export const keyLockParams = (schema: SchemaName, originalOrderId: string, waitMs: number): SqlParam[] => [
  { name: 'lock_resource', type: mssql.NVarChar(255), value: keyLockResource(schema, originalOrderId) },
  { name: 'lock_wait_ms', type: mssql.Int(), value: Math.max(0, Math.floor(waitMs)) },
]
