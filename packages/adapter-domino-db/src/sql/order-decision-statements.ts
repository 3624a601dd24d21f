import mssql from 'mssql'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { KEY_VERSION_CONFLICT } from './error-numbers.js'
import { requestIdParam } from './journal-statements.js'
import { createKeyLockText, keyLockParams, keyLockText } from './key-lock.js'
import { keyParam, orderReadTexts, uuidParams, type KeyLookup } from './order-statements.js'
import { together, type SqlParam, type SqlStatement } from './sql-statement.js'

/** The column of the one row a write answers when what it read had changed (and it rolled back). */
export const VERSION_CONFLICT_COLUMN = 'version_conflict'

/** The column of the last row of a create's read: 1 when it was a retry of a known order, answered in that request. */
export const DUPLICATE_COLUMN = 'duplicate'

/** Ends a write sent as one request (`keyCheck` with `'marker'`): the transaction it began. */
export const COMMIT_TEXT = 'COMMIT TRANSACTION;'

/** The pending updates of one key as a create read them: how many, and the highest id (0 when none). */
export interface PendingSeen {
  readonly count: number
  readonly maxId: number
}

/**
 * What an operation's read found, which its write checks under the key locks before writing: the order the event
 * reaches (its id and `row_version`, which SQL Server changes on every insert and update of the row), or none; for a
 * create that inserts its order, the pending updates it applied, per key; and, when the write inserts the request's
 * journal entry, the request id (no entry may have appeared meanwhile).
 */
export interface SeenState {
  readonly order?: { readonly id: number; readonly version: Buffer }
  readonly pending?: { readonly key: PendingSeen; readonly uuid?: PendingSeen }
  readonly requestId?: string
}

/** How a failed check ends: a marker row after a rollback (a write of one request), or THROW (a longer transaction). */
export type OnConflict = 'marker' | 'throw'

/**
 * Which keys an event reaches (docs/contract.md §4): `beside`, an `orderUUID` beside its key; `byUuid`, found by
 * `order_uuid` (its key alone, or beside); `uuid`, the `orderUUID` sent as `@pending_uuid`; `pendingUuid`, a
 * create's `orderUUID` whose pending updates it reads and consumes too.
 */
export const keysOf = (lookup: KeyLookup, forCreate: boolean) => {
  const beside = lookup.orderUuidBeside
  const byUuid = lookup.byOrderUuid === true || beside !== undefined
  const uuid = beside ?? (forCreate && !byUuid ? lookup.pendingOrderUuid : undefined)
  const pendingUuid = forCreate && lookup.pendingOrderUuid !== undefined && lookup.pendingOrderUuid === uuid ? uuid : undefined
  return { beside, byUuid, uuid, pendingUuid }
}

/**
 * The statements of an operation on one order in two requests (docs/domino-integration.md §5): a read in autocommit
 * that locks nothing (`readForCreate`, `readForUpdate`), core's decision in TypeScript, then one write that begins a
 * transaction, takes the locks every writer of the order takes, checks that what was read is still so (`keyCheck`),
 * writes, and commits.
 */
export const orderDecisionStatements = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const pending = qualified(schema, 'pending_update')
  const journal = qualified(schema, 'journal')
  const { readOrderOf, resolveTarget, lockPendingUuid } = orderReadTexts(schema)
  const readTarget = (byUuid: boolean, beside: boolean): string =>
    byUuid ? `${resolveTarget(undefined, beside)}${readOrderOf('@target_key')}` : readOrderOf('@original_order_id')
  const uuidParam = (uuid: string | undefined): SqlParam[] => (uuid === undefined ? [] : uuidParams(schema, uuid).slice(0, 1))

  const pendingCheck = (key: string, prefix: string): string => `IF (SELECT COUNT(*) FROM ${pending} WHERE original_order_id = ${key}) <> @${prefix}_count
  OR ISNULL((SELECT MAX(id) FROM ${pending} WHERE original_order_id = ${key}), 0) <> @${prefix}_max
  SET @conflict = 1;
`
  const pendingParams = (prefix: string, seen: PendingSeen): SqlParam[] => [
    { name: `${prefix}_count`, type: mssql.Int(), value: seen.count },
    { name: `${prefix}_max`, type: mssql.BigInt(), value: seen.maxId },
  ]

  return {
    /**
     * A create's read. When the order of the key exists and the request has no journal entry yet (SberMarket's
     * retry), it is answered in this one request: a transaction begun and committed inside it (@@TRANCOUNT 0 -> 0,
     * so no error 266) takes the key lock Shared, reads the order and inserts `duplicateEntry` (the order is read by
     * the same statements in both cases, not by a copy of them in each). Otherwise it locks nothing and changes
     * nothing but the sequence: the order the create reaches (by `lookup`), its lines, the
     * pending updates of its key (and of its `orderUUID`), a new Domino number when there is no order (a number
     * read and not used is lost: numbers may have gaps), and the request's entry (`ofRequest`). Recordsets: header,
     * lines, then the journal id (a retry) or pending, next_number, the entry; last, a row with `duplicate` (1 or 0).
     */
    readForCreate: (originalOrderId: string, lockWaitMs: number, lookup: KeyLookup, duplicateEntry: SqlStatement, ofRequest: SqlStatement): SqlStatement => {
      const { byUuid, beside, uuid, pendingUuid } = keysOf(lookup, true)
      const target = byUuid ? '@target_key' : '@original_order_id'
      const text = `DECLARE @duplicate BIT = 0;
IF EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id)
  AND NOT EXISTS (SELECT 1 FROM ${journal} WHERE request_id = @request_id)
BEGIN
BEGIN TRANSACTION;
SET @duplicate = 1;
${keyLockText(schema, 'Shared')}END;
${readTarget(byUuid, beside !== undefined)}
IF @duplicate = 1
BEGIN
${duplicateEntry.text}
COMMIT TRANSACTION;
END
ELSE
BEGIN
SELECT p.id, p.original_order_id, p.raw_body, p.received_at FROM ${pending} AS p WHERE p.original_order_id ${
        pendingUuid === undefined ? '= @original_order_id' : 'IN (@original_order_id, @pending_uuid)'
      } ORDER BY p.id;
DECLARE @next_number BIGINT = NULL;
IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target})
  SELECT @next_number = NEXT VALUE FOR ${qualified(schema, 'domino_number_seq')};
SELECT @next_number AS next_number;
${ofRequest.text}
END;
SELECT @duplicate AS ${DUPLICATE_COLUMN};`
      const params = [keyParam(originalOrderId), ...keyLockParams(schema, originalOrderId, lockWaitMs), ...uuidParam(uuid)]
      return together([{ text, params }, { text: '', params: duplicateEntry.params }, { text: '', params: ofRequest.params }])
    },

    /** An update's read, locking nothing: the order it reaches (by `lookup`), its lines, then the request's entry (`ofRequest`). */
    readForUpdate: (originalOrderId: string, lookup: KeyLookup, ofRequest: SqlStatement): SqlStatement => {
      const { byUuid, beside, uuid } = keysOf(lookup, false)
      return together([{ text: readTarget(byUuid, beside !== undefined), params: [keyParam(originalOrderId), ...uuidParam(uuid)] }, ofRequest])
    },

    /**
     * The head of an operation's write: with `'marker'` it sets XACT_ABORT ON and begins the transaction itself (the
     * write is one request that ends with `COMMIT_TEXT`); then the key lock (a create's is Shared when its order
     * exists, `createKeyLockText`), the locks of the `orderUUID` and of the order it reaches, as every writer of that
     * order takes them (`resolveTarget`), and the check of `seen`: the order reached is the one read, at the
     * `row_version` read (or there is still none), the pending updates a new order applies are still those, and the
     * request still has no entry when the write inserts one. When any of it changed: rolled back and a row with
     * `version_conflict` (`'marker'`), or THROW KEY_VERSION_CONFLICT (`'throw'`: inside a transaction of several
     * requests, where a ROLLBACK in a request would be error 266). With the key lock held, nothing checked can change
     * before the commit. Values only as parameters: the text varies only with the shape of `seen` and `lookup`.
     */
    keyCheck: (originalOrderId: string, lockWaitMs: number, forCreate: boolean, lookup: KeyLookup, seen: SeenState, onConflict: OnConflict): SqlStatement => {
      const { byUuid, beside, uuid, pendingUuid } = keysOf(lookup, forCreate)
      const target = byUuid ? '@target_key' : '@original_order_id'
      const order = seen.order
      const text = `${onConflict === 'marker' ? 'SET XACT_ABORT ON;\nBEGIN TRANSACTION;\n' : ''}${forCreate ? createKeyLockText(schema, header) : keyLockText(schema, 'Exclusive')}${
        forCreate && pendingUuid !== undefined && beside === undefined ? lockPendingUuid : ''
      }${byUuid ? resolveTarget(forCreate ? 'Shared' : 'Exclusive', beside !== undefined) : ''}DECLARE @conflict BIT = 0;
${
        order === undefined
          ? `IF EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target})`
          : `IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target} AND id = @seen_order_id AND row_version = @seen_version)`
      }
  SET @conflict = 1;
${seen.pending === undefined ? '' : pendingCheck('@original_order_id', 'seen_pending')}${
        seen.pending?.uuid === undefined || pendingUuid === undefined ? '' : pendingCheck('@pending_uuid', 'seen_uuid_pending')
      }${seen.requestId === undefined ? '' : `IF EXISTS (SELECT 1 FROM ${journal} WHERE request_id = @request_id)\n  SET @conflict = 1;\n`}${
        onConflict === 'marker'
          ? `IF @conflict = 1
BEGIN
  ROLLBACK TRANSACTION;
  SELECT CAST(1 AS BIT) AS ${VERSION_CONFLICT_COLUMN};
  RETURN;
END;`
          : `IF @conflict = 1
  THROW ${KEY_VERSION_CONFLICT}, N'domino-sm: the order changed between the read and the write', 1;`
      }`
      const params: SqlParam[] = [
        keyParam(originalOrderId),
        ...keyLockParams(schema, originalOrderId, lockWaitMs),
        ...(uuid === undefined ? [] : uuidParams(schema, uuid)),
        ...(order === undefined
          ? []
          : [
              { name: 'seen_order_id', type: mssql.BigInt(), value: order.id },
              { name: 'seen_version', type: mssql.VarBinary(8), value: order.version },
            ]),
        ...(seen.pending === undefined ? [] : pendingParams('seen_pending', seen.pending.key)),
        ...(seen.pending?.uuid === undefined || pendingUuid === undefined ? [] : pendingParams('seen_uuid_pending', seen.pending.uuid)),
        ...(seen.requestId === undefined ? [] : [requestIdParam(seen.requestId)]),
      ]
      return { text, params }
    },
  }
}

export type OrderDecisionStatements = ReturnType<typeof orderDecisionStatements>
