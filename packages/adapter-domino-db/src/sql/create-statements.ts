import mssql from 'mssql'
import { MAX_ORDER_ID_LENGTH } from '@domino-sm/core'
import { JOURNAL_SELECT_COLUMNS } from '../rows/journal-row-mapping.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { keyLockParams, keyLockText, secondKeyLockText } from './key-lock.js'
import { DUPLICATE_CREATE_PROCEDURE, keyParam, orderReadTexts, uuidParams, type KeyLookup } from './order-statements.js'
import { procedureCall, together, type SqlParam, type SqlStatement } from './sql-statement.js'
import { conflictOrWrite, fixedTextLiteral } from './checked-batch.js'
import { keysOf } from './update-statements.js'

/** The procedure of request 1 of a create by key (migration 0013): see `probe`. */
export const PROBE_CREATE_PROCEDURE = 'hook_probe_create'

/** The column of the row a checked create answers when the order was found by its `orderUUID` under another key. */
export const ORDER_REACHED_COLUMN = 'order_reached'

/** The pending updates of one key as a create's read saw them: how many, and the highest id (0 when none). */
export interface PendingSeen {
  readonly count: number
  readonly maxId: number
}

/** What a create's read saw of the pending updates it will consume: of its key, and of its `orderUUID` beside it. */
export interface CreateSeen {
  readonly key: PendingSeen
  readonly uuid?: PendingSeen
}

/**
 * Which keys a create reaches (docs/contract.md §4): `byUuid`, it may find its order by `orderUUID` under another key
 * (resolved as `lockAndRead` resolves it); `beside`, the `orderUUID` beside its key; `pendingUuid`, the `orderUUID`
 * whose pending updates it consumes too (`lockAndRead`'s `@pending_uuid`).
 */
export const createKeysOf = (
  lookup: KeyLookup,
): { readonly byUuid: boolean; readonly beside?: string; readonly pendingUuid?: string } => {
  const { byUuid, beside } = keysOf(lookup)
  const uuidParam = beside ?? (byUuid ? undefined : lookup.pendingOrderUuid)
  const pendingUuid =
    lookup.pendingOrderUuid !== undefined && lookup.pendingOrderUuid === uuidParam ? uuidParam : undefined
  return {
    byUuid,
    ...(beside === undefined ? {} : { beside }),
    ...(pendingUuid === undefined ? {} : { pendingUuid }),
  }
}

/**
 * The statements of a new order in two round trips (docs/domino-integration.md §5). Request 1, `probe`: the call of
 * `hook_duplicate_create` (a repeated order.created ends there, 1 round trip), then, only when no order has the key,
 * what `openOrder` needs, read in autocommit without a lock: the order reached by `orderUUID` (if the create may
 * reach one), the pending updates of the key and of its `orderUUID`, the request's journal entry, and a new number.
 * Request 2, `checkedCreate`: one batch that begins, takes the locks every creator takes, and checks what the read
 * saw: the order written (or the duplicate journaled, or the changed pending updates answered) before it ends.
 */
export const createStatements = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const pending = qualified(schema, 'pending_update')
  const journal = qualified(schema, 'journal')
  const { readOrderOf, resolveTarget } = orderReadTexts(schema)

  const pendingKeys = (pendingUuid: string | undefined): string =>
    pendingUuid === undefined ? '= @original_order_id' : 'IN (@original_order_id, @pending_uuid)'
  const pendingRead = (pendingUuid: string | undefined): string =>
    `SELECT p.id, p.original_order_id, p.raw_body, p.received_at FROM ${pending} AS p WHERE p.original_order_id ${pendingKeys(pendingUuid)} ORDER BY p.id;`
  const nestedDeclarations = `N'@original_order_id NVARCHAR(${MAX_ORDER_ID_LENGTH}), @pending_uuid NVARCHAR(${MAX_ORDER_ID_LENGTH}), @request_id UNIQUEIDENTIFIER'`
  const pendingUuidArgument = (pendingUuid: string | undefined): string =>
    pendingUuid === undefined ? 'NULL' : '@pending_uuid'

  return {
    /**
     * Request 1 of a create: `duplicate` (the call of `hook_duplicate_create`, `orders.duplicateInOneRequest`), then,
     * when no order has the key, the reads of a new order. Recordsets after the call's: (a create that may reach its
     * order by `orderUUID`) the header and lines of the order found under another key; the pending updates of the
     * key (and of `pendingUuid`), oldest first, with their key; the request's journal entry if the edge wrote one;
     * and `next_number`, a new number unless an order was found (a number drawn and not used is lost: numbers may
     * have gaps). Locks nothing after the call: what the reads see may change before the write, which checks it.
     * - A create keyed by its `originalOrderId` (with or without an `orderUUID` whose pending updates it consumes, the
     *   common shapes): the call of the procedure `hook_probe_create` (migration 0013) with the call's values, the
     *   `orderUUID` and `drawNumber`; it calls `hook_duplicate_create` itself, then reads what the text below reads.
     *   A T-SQL engine that keeps no plan of an sp_executesql text compiles it once per session, so a repeated
     *   order.created (SberMarket's retry, whose whole cost is this request) no longer pays for a statement compiled
     *   on every call (BENCHMARKS.md). `drawNumber` false: the same reads, no number drawn (`next_number` NULL):
     *   serve's warm-up (`operations/create-warm-up.ts`). The call is sent alone: the procedure opens with the
     *   connection guard (migration 0014, `guardsItself`).
     * - A create that may reach its order by `orderUUID` under another key: the call, then `IF NOT EXISTS` and the
     *   reads as a nested `sp_executesql` of a fixed text, compiled only when they run.
     */
    probe: (duplicate: SqlStatement, lookup: KeyLookup, requestIdParam: string, drawNumber = true): SqlStatement => {
      const { byUuid, beside, pendingUuid } = createKeysOf(lookup)
      if (!byUuid) {
        // The procedure calls hook_duplicate_create with the call's own values and reads the request by its entry's id.
        if (
          !duplicate.text.startsWith(`EXEC ${qualified(schema, DUPLICATE_CREATE_PROCEDURE)} `) ||
          requestIdParam !== 'entry_request_id' ||
          !duplicate.params.some((p) => p.name === requestIdParam)
        )
          throw new Error("probe's procedure takes the call of hook_duplicate_create and reads its entry's request")
        const params: SqlParam[] = [
          ...duplicate.params,
          { name: 'pending_uuid', type: mssql.NVarChar(MAX_ORDER_ID_LENGTH), value: pendingUuid ?? null },
          { name: 'draw_number', type: mssql.Bit(), value: drawNumber },
        ]
        return procedureCall(qualified(schema, PROBE_CREATE_PROCEDURE), params, true)
      }
      if (!drawNumber) throw new Error('probe draws no number only through its procedure')
      const uuid = beside ?? pendingUuid
      const target = byUuid ? '@target_key' : '@original_order_id'
      const reads = `${byUuid ? `${resolveTarget(undefined, beside !== undefined)}${readOrderOf('@target_key')}\n` : ''}${pendingRead(pendingUuid)}
SELECT ${JOURNAL_SELECT_COLUMNS.join(', ')} FROM ${journal} WHERE request_id = @request_id;
DECLARE @next_number BIGINT = NULL;
IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target})
  SELECT @next_number = NEXT VALUE FOR ${qualified(schema, 'domino_number_seq')};
SELECT @next_number AS next_number;`
      return together([
        duplicate,
        {
          text: `IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id)
  EXEC sp_executesql ${fixedTextLiteral(reads)}, ${nestedDeclarations}, @original_order_id = @original_order_id, @pending_uuid = ${uuid === undefined ? 'NULL' : '@pending_uuid'}, @request_id = @${requestIdParam};`,
          params: uuid === undefined ? [] : uuidParams(schema, uuid).slice(0, 1),
        },
      ])
    },

    /**
     * Request 2 of a new order, ONE batch: BEGIN TRANSACTION, the key lock (Exclusive, `lockWaitMs`: what remains
     * of the budget) and the locks of the `orderUUID` as `lockAndRead` takes them for a create; then:
     * - the order of the key exists (another copy of this order.created won the race): `duplicate`, the call of
     *   `hook_duplicate_create` (its own nested transaction: the key lock Shared, held already, the order's rows, the
     *   duplicate's entry), then COMMIT: the loser of a burst is answered and journaled in this same request;
     * - an order reached by `orderUUID` exists: ROLLBACK and a row `order_reached` (the caller decides under the lock);
     * - the pending updates are not those read (`seen`: per key, how many and the highest id; a pending writer of a
     *   key holds its lock, so its ids grow in commit order): their rows as they are now (a nested `sp_executesql`,
     *   compiled only on a conflict), ROLLBACK and a row `version_conflict`: the caller decides again;
     * - otherwise `writes` (the order, its lines, the pending rows deleted, the change rows, the journal entry) and
     *   COMMIT.
     * The transaction begins and ends inside the request (@@TRANCOUNT 0 -> 0: no error 266); XACT_ABORT is on (the
     * guard of every request checks it), so any error (a lock not granted, a deadlock victim, a duplicate key on the
     * request's entry) rolls it all back.
     */
    checkedCreate: (
      originalOrderId: string,
      lockWaitMs: number,
      lookup: KeyLookup,
      seen: CreateSeen,
      duplicate: SqlStatement,
      writes: SqlStatement,
    ): SqlStatement => {
      const { byUuid, beside, pendingUuid } = createKeysOf(lookup)
      const uuid = beside ?? pendingUuid
      const pendingChanged = (key: string, prefix: string): string =>
        `(SELECT COUNT_BIG(*) FROM ${pending} WHERE original_order_id = ${key}) <> @${prefix}_count OR ISNULL((SELECT MAX(id) FROM ${pending} WHERE original_order_id = ${key}), 0) <> @${prefix}_max`
      const seenParams = (prefix: string, of: PendingSeen): SqlParam[] => [
        { name: `${prefix}_count`, type: mssql.BigInt(), value: of.count },
        { name: `${prefix}_max`, type: mssql.BigInt(), value: of.maxId },
      ]
      if ((pendingUuid === undefined) !== (seen.uuid === undefined))
        throw new Error('checkedCreate checks the pending updates of the orderUUID exactly when it consumes them')
      const uuidLocks = byUuid
        ? resolveTarget('Exclusive', beside !== undefined)
        : pendingUuid === undefined
          ? ''
          : secondKeyLockText(schema, 'Exclusive', '@uuid_lock_resource', '@uuid_lock')
      const text = `BEGIN TRANSACTION;
${keyLockText(schema, 'Exclusive')}IF EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id)
BEGIN
${duplicate.text}
COMMIT TRANSACTION;
RETURN;
END;
${uuidLocks}${
        byUuid
          ? `IF @by_uuid = 1
BEGIN
ROLLBACK TRANSACTION;
SELECT CAST(1 AS BIT) AS ${ORDER_REACHED_COLUMN};
RETURN;
END;
`
          : ''
      }${conflictOrWrite(
        `${pendingChanged('@original_order_id', 'seen_key')}${pendingUuid === undefined ? '' : ` OR ${pendingChanged('@pending_uuid', 'seen_uuid')}`}`,
        `EXEC sp_executesql ${fixedTextLiteral(pendingRead(pendingUuid))}, ${nestedDeclarations}, @original_order_id = @original_order_id, @pending_uuid = ${pendingUuidArgument(pendingUuid)}, @request_id = NULL;`,
        writes.text,
      )}`
      return together([
        {
          text,
          params: [
            keyParam(originalOrderId),
            ...keyLockParams(schema, originalOrderId, lockWaitMs),
            ...(uuid === undefined ? [] : uuidParams(schema, uuid)),
            ...seenParams('seen_key', seen.key),
            ...(seen.uuid === undefined ? [] : seenParams('seen_uuid', seen.uuid)),
          ],
        },
        { text: '', params: duplicate.params },
        { text: '', params: writes.params },
      ])
    },
  }
}

export type CreateStatements = ReturnType<typeof createStatements>
