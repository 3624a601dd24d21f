/**
 * The adapter's own error numbers: what its T-SQL raises with THROW (user-defined, 50000 and above), each defined
 * here once. The statement builders and the migration lock write them into their text, `driver/sql-error.ts` reads
 * them back; the change queue's procedure (`migrations/0007_change_queue.sql`) raises the queue's numbers in its
 * own fixed text, and a unit test holds that text to the constants below.
 */

/** A pooled connection is not in the state a request expects (an open transaction, or XACT_ABORT off): `driver/requests.ts`. */
export const CONNECTION_STATE_ERROR = 50001
/** Another `migrate` run holds the migration lock: `migrations/schema-state.ts`. */
export const MIGRATION_LOCK_HELD = 50002
/** The order key's lock was not granted within what remained of the budget (answered StoreTimeout): `sql/key-lock.ts`. */
export const KEY_LOCK_NOT_GRANTED = 50003
/** sp_getapplock chose this request as a deadlock victim (-3): retried like 1205, `sql/key-lock.ts`. */
export const KEY_LOCK_DEADLOCK = 50004
/** take_order_changes was called outside the caller's transaction. */
export const TAKE_OUTSIDE_TRANSACTION = 50021
/** take_order_changes was asked for `@max` outside 1..1000. */
export const TAKE_MAX_OUT_OF_RANGE = 50022
/** take_order_changes was called for a consumer that does not exist. */
export const UNKNOWN_CONSUMER = 50023
