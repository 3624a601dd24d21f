import mssql from 'mssql'
import {
  MAX_ORDER_ID_LENGTH,
  orderUuidToFind,
  type JournalEntry,
  type Order,
  type OrderEvent,
  type OrderLine,
} from '@domino-sm/core'
import { HEADER_CREATE_COLUMNS, HEADER_UPDATE_COLUMNS, LINE_COLUMNS, type ColumnSpec } from '../rows/order-columns.js'
import { HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS } from '../rows/order-row-mapping.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import {
  createKeyLockText,
  hookRole,
  keyLockParams,
  keyLockResource,
  keyLockResourceOf,
  keyLockText,
  lockWaitParam,
  secondKeyLockText,
} from './key-lock.js'
import { journalEntryParams } from './journal-statements.js'
import { packed, procedureCall, together, type SqlParam, type SqlStatement } from './sql-statement.js'

/**
 * Lines per INSERT statement. Each line takes LINE_COLUMNS.length (11) parameters, so a chunk of 150 lines stays
 * near 1650 parameters, under SQL Server's 2100 per call and the 1000 rows a VALUES list may hold. Longer orders get
 * further statements in the same batch.
 */
export const LINES_PER_STATEMENT = 150

/** The procedure of a repeated create (migration 0011): see `duplicateInOneRequest`. */
export const DUPLICATE_CREATE_PROCEDURE = 'hook_duplicate_create'

/** The column of the recordset that carries the id of the order a create inserted. */
export const ORDER_ID_COLUMN = 'order_id'

/** Parameters per request of a create's first request: the header and its first chunk of lines, under 2100. */
const FIRST_REQUEST_PARAMETERS = 2000

export const keyParam = (originalOrderId: string): SqlParam => ({
  name: 'original_order_id',
  type: mssql.NVarChar(MAX_ORDER_ID_LENGTH),
  value: originalOrderId,
})
const orderIdParam = (orderId: number): SqlParam => ({ name: 'order_id', type: mssql.BigInt(), value: orderId })

const params = <S>(prefix: string, specs: readonly ColumnSpec<S>[], source: S): SqlParam[] =>
  specs.map((spec, i) => ({ name: `${prefix}${i}`, type: spec.type, value: spec.value(source) }))

/** Splits lines into the chunks of `LINES_PER_STATEMENT`, each with its first line number (1-based). */
export const lineChunks = (
  lines: readonly OrderLine[],
): readonly { readonly firstLineNo: number; readonly lines: readonly OrderLine[] }[] => {
  const chunks: { firstLineNo: number; lines: readonly OrderLine[] }[] = []
  for (let start = 0; start < lines.length; start += LINES_PER_STATEMENT) {
    chunks.push({ firstLineNo: start + 1, lines: lines.slice(start, start + LINES_PER_STATEMENT) })
  }
  return chunks
}

/**
 * How request 1 of an operation finds its order besides its key (docs/contract.md §4, core's `orderUuidToFind` and
 * `pendingKeysOf`): `byOrderUuid`, an event keyed by `orderUUID` alone, also reaches the earliest order whose
 * `order_uuid` is its key; `orderUuidBeside`, an event's `orderUUID` beside another key, reaches the order of that key
 * or else the earliest order with that `order_uuid`; `pendingOrderUuid`, a create's `orderUUID` that is not its key,
 * whose pending updates it applies too (read only when it is `orderUuidBeside`, or there is none).
 */
export interface KeyLookup {
  readonly byOrderUuid?: boolean
  readonly orderUuidBeside?: string
  readonly pendingOrderUuid?: string
}

/** The `KeyLookup` of an event by core's `orderUuidToFind`: by its key (the `orderUUID` alone), or by one beside it. */
export const lookupOf = (event: OrderEvent): KeyLookup => {
  const uuid = orderUuidToFind(event)
  if (uuid === undefined) return {}
  return uuid === event.originalOrderId ? { byOrderUuid: true } : { orderUuidBeside: uuid }
}

const pendingUuidParam = (orderUuid: string): SqlParam => ({
  name: 'pending_uuid',
  type: mssql.NVarChar(MAX_ORDER_ID_LENGTH),
  value: orderUuid,
})

/** The column of `order_header` that SQL Server changes on every insert and update of the row (migration 0002). */
export const ROW_VERSION_COLUMN = 'row_version'

/**
 * The reads of one order that the statements of a schema share. `readOrderOf(key)`: the header and its lines of the
 * order whose key is the T-SQL expression `key` (with `withVersion`, the header's `row_version` too, which an
 * update's write checks: `sql/update-statements.ts`). `readByOrderUuid`: see below.
 */
export const orderReadTexts = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const line = qualified(schema, 'order_line')
  const headerColumns = HEADER_SELECT_COLUMNS.map((c) => `h.${c}`).join(', ')
  const lineColumns = LINE_SELECT_COLUMNS.map((c) => `l.${c}`).join(', ')
  const readOrderOf = (
    key: string,
    withVersion = false,
  ): string => `SELECT ${headerColumns}${withVersion ? `, h.${ROW_VERSION_COLUMN}` : ''} FROM ${header} AS h WHERE h.original_order_id = ${key};
SELECT ${lineColumns} FROM ${line} AS l INNER JOIN ${header} AS h ON h.id = l.order_id
WHERE h.original_order_id = ${key} ORDER BY l.line_no;`

  /**
   * The key of the order an event that may reach it by `orderUUID` goes to, into @target_key, after its own key's
   * lock: the order of its key, or else (`uuid` the T-SQL expression of the `orderUUID`): for an `orderUUID` beside
   * the key (`@pending_uuid`), the order of that key, taking its lock (Exclusive) first, as a create with both keys
   * takes it: key first, then the `orderUUID`, so that a create under the `orderUUID` alone and this event agree;
   * otherwise, or when there is no such order, the earliest order whose `order_uuid` is `uuid` (the filtered index of
   * migration 0009). When the order found is not the key's own, its lock is taken too (`mode`; held already when it
   * is the `orderUUID`'s), so that it is read and written under the same lock as every other writer of that order.
   * `mode` undefined: the same resolution without any lock (an update's unlocked read, which its write checks).
   */
  const resolveTarget = (
    mode: 'Exclusive' | 'Shared' | undefined,
    beside: boolean,
  ): string => `DECLARE @target_key NVARCHAR(${MAX_ORDER_ID_LENGTH}) = @original_order_id;
DECLARE @by_uuid BIT = 0;
IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id)
BEGIN
${
  beside
    ? `${mode === undefined ? '' : secondKeyLockText(schema, 'Exclusive', '@uuid_lock_resource', '@uuid_lock')}SELECT TOP (1) @target_key = original_order_id, @by_uuid = 1 FROM ${header} WHERE order_uuid = @pending_uuid ORDER BY id;
SELECT @target_key = original_order_id, @by_uuid = 1 FROM ${header} WHERE original_order_id = @pending_uuid;
`
    : `SELECT TOP (1) @target_key = original_order_id, @by_uuid = 1 FROM ${header} WHERE order_uuid = @original_order_id ORDER BY id;
`
}END;
${
  mode === undefined
    ? ''
    : `IF @by_uuid = 1
BEGIN
DECLARE @target_resource NVARCHAR(255) = ${keyLockResourceOf(schema, '@target_key')};
${secondKeyLockText(schema, mode, '@target_resource', '@target_lock')}END;
`
}`

  /** `resolveTarget`, then the same two recordsets as `readOrderOf` of the order found. */
  const readByOrderUuid = (mode: 'Exclusive' | 'Shared', beside: boolean): string =>
    `${resolveTarget(mode, beside)}${readOrderOf('@target_key')}`

  return { readOrderOf, resolveTarget, readByOrderUuid }
}

/** The parameters of an event's `orderUUID` beside its key: the key itself, and its lock's resource. */
export const uuidParams = (schema: SchemaName, orderUuid: string): SqlParam[] => [
  pendingUuidParam(orderUuid),
  { name: 'uuid_lock_resource', type: mssql.NVarChar(255), value: keyLockResource(schema, orderUuid) },
]

/** The T-SQL of the order tables of one schema. */
export const orderStatements = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const line = qualified(schema, 'order_line')
  const pending = qualified(schema, 'pending_update')
  const lineInsertColumns = ['order_id', 'line_no', ...LINE_COLUMNS.map((c) => c.column)].join(', ')
  const { readOrderOf, readByOrderUuid } = orderReadTexts(schema)
  const readKey = readOrderOf('@original_order_id')

  /**
   * A create with an `orderUUID` that is not its key: when it will insert the order, it takes that `orderUUID`'s lock
   * too (after its key's), which every writer of updates pending under it holds, so none is written between this read
   * and the create's delete.
   */
  const lockPendingUuid = `IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = @original_order_id)
BEGIN
${secondKeyLockText(schema, 'Exclusive', '@uuid_lock_resource', '@uuid_lock')}END;
`

  /**
   * One chunk of lines of `orderId` (a parameter), or of the order the same request just inserted (`'declared'`:
   * its local variable @order_id), numbered from `firstLineNo`.
   */
  const insertLines = (
    orderId: number | 'declared',
    chunk: readonly OrderLine[],
    firstLineNo: number,
  ): SqlStatement => {
    const rows: string[] = []
    const all: SqlParam[] = orderId === 'declared' ? [] : [orderIdParam(orderId)]
    chunk.forEach((orderLine, i) => {
      // Named by the line's position in the order, not in its chunk: two chunks may share one request (a short last
      // chunk joins the one before it), and each name must then still be the parameter of one line.
      const lineParams = params(`l${firstLineNo - 1 + i}_`, LINE_COLUMNS, orderLine)
      all.push(...lineParams)
      rows.push(`(@order_id, ${firstLineNo + i}, ${lineParams.map((p) => `@${p.name}`).join(', ')})`)
    })
    return { text: `INSERT INTO ${line} (${lineInsertColumns}) VALUES\n  ${rows.join(',\n  ')};`, params: all }
  }

  const allLines = (orderId: number, order: Order): SqlStatement[] =>
    lineChunks(order.content.positions).map((chunk) => insertLines(orderId, chunk.lines, chunk.firstLineNo))

  return {
    /**
     * Request 1 of every operation on one key: the key lock (a create's is Shared when its order exists:
     * `createKeyLockText`), then the order, its lines and, for a create, the pending
     * updates of the key and a new Domino number when the order does not exist yet (a number is taken only when it
     * will be used; a rolled-back one is lost: numbers may have gaps). No table hint: every writer of a key holds its
     * lock, so what is read here cannot change before this transaction ends; under READ_COMMITTED_SNAPSHOT too,
     * because the previous holder committed before the lock was granted. Recordsets: header, lines, then (create)
     * pending, next_number. A create that finds its order changes nothing (it answers the number, which never
     * changes), so it gives the key lock back at once instead of at its commit: the retries of one order.created that
     * reach 4 instances together then queue only for this request on the server, not for each other's round trips.
     * Its journal entry still commits in its transaction. `lookup` (`KeyLookup`): an event keyed by `orderUUID`
     * alone reads the order that has it under another key, under that key's lock too (`readByOrderUuid`); a create
     * with an `orderUUID` beside its key also reads the updates pending under it, under its lock (`lockPendingUuid`).
     * The recordsets stay the same.
     */
    lockAndRead: (
      originalOrderId: string,
      lockWaitMs: number,
      forCreate: boolean,
      lookup: KeyLookup = {},
    ): SqlStatement => {
      const beside = lookup.orderUuidBeside
      const byUuid = lookup.byOrderUuid === true || beside !== undefined
      // The one @pending_uuid: the orderUUID beside the key when there is one (locked in `readByOrderUuid`), else a
      // create's orderUUID whose pending updates it reads (locked by `lockPendingUuid`).
      const uuidParam = beside ?? (forCreate && !byUuid ? lookup.pendingOrderUuid : undefined)
      const pendingUuid =
        forCreate && lookup.pendingOrderUuid !== undefined && lookup.pendingOrderUuid === uuidParam
          ? uuidParam
          : undefined
      const target = byUuid ? '@target_key' : '@original_order_id'
      return {
        text: `${forCreate ? createKeyLockText(schema, header) : keyLockText(schema, 'Exclusive')}${byUuid ? readByOrderUuid(forCreate ? 'Shared' : 'Exclusive', beside !== undefined) : readKey}${
          forCreate
            ? `
${pendingUuid === undefined || beside !== undefined ? '' : lockPendingUuid}SELECT p.id, p.raw_body, p.received_at FROM ${pending} AS p WHERE p.original_order_id ${
                pendingUuid === undefined ? '= @original_order_id' : 'IN (@original_order_id, @pending_uuid)'
              } ORDER BY p.id;
DECLARE @next_number BIGINT = NULL;
IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target})
  SELECT @next_number = NEXT VALUE FOR ${qualified(schema, 'domino_number_seq')};
SELECT @next_number AS next_number;
IF @next_number IS NULL
  EXEC sp_releaseapplock @Resource = @lock_resource, @LockOwner = N'Transaction', @DbPrincipal = N'${hookRole(schema)}';`
            : ''
        }`,
        params: [
          keyParam(originalOrderId),
          ...keyLockParams(schema, originalOrderId, lockWaitMs),
          ...(uuidParam === undefined ? [] : uuidParams(schema, uuidParam)),
        ],
      }
    },

    /**
     * A create that is a retry, in one request: the call of the procedure `hook_duplicate_create` (migration 0011,
     * `DUPLICATE_CREATE_PROCEDURE`). When the order of the key exists and the request has no journal entry yet, it
     * takes the key lock Shared, reads the order and inserts `entry` (the duplicate's, stored at `storedAt`), in a
     * transaction it begins and commits itself (@@TRANCOUNT 0 -> 0, so no error 266). Otherwise it changes nothing,
     * and the caller runs the create as usual. Recordsets: header, lines and the journal id when it was a duplicate;
     * always last a row with `duplicate` (1 or 0). SberMarket's retries of one order, which can reach every instance
     * at once, each cost one round trip and share the lock. A procedure, not a text: a T-SQL engine that keeps no plan
     * of an sp_executesql text compiles its statements once per session instead of on every call (BENCHMARKS.md).
     * Every value is a typed parameter, passed by name (`@p = @p`).
     */
    duplicateInOneRequest: (
      originalOrderId: string,
      lockWaitMs: number,
      entry: JournalEntry,
      storedAt: Date,
    ): SqlStatement => {
      const params = [
        keyParam(originalOrderId),
        lockWaitParam(lockWaitMs),
        ...journalEntryParams(entry, storedAt, 'entry_'),
      ]
      // Not `guardsItself`: hook_duplicate_create has no guard of its own (migration 0014 says why); the hook sends
      // its call only inside a text (the guard first) or from hook_probe_create.
      return procedureCall(qualified(schema, DUPLICATE_CREATE_PROCEDURE), params, false)
    },

    /**
     * Reads an order without changing it, under the key lock in shared mode: readers share it, and no writer of the
     * key holds it meanwhile, so the header and the lines are of one version (what REPEATABLEREAD did, without a hint).
     */
    readOrder: (originalOrderId: string, lockWaitMs: number): SqlStatement => ({
      text: `${keyLockText(schema, 'Shared')}${readKey}`,
      params: [keyParam(originalOrderId), ...keyLockParams(schema, originalOrderId, lockWaitMs)],
    }),

    /**
     * The writes of a create. `first`: the header (its id into the local @order_id: SCOPE_IDENTITY, unlike a bare
     * OUTPUT, stays right if a DBA adds a trigger), the pending updates of the key consumed, as many chunks of lines
     * as stay under the parameter limit, and the id selected. `rest`: the remaining chunks (orders of more than 150
     * lines), each its own request, given the id the first one answered (`complete`: there are none). `pendingOrderUuid`: the pending updates of the
     * create's `orderUUID` are consumed too (see `lockAndRead`). `trailing` (the journal entry) ends the
     * last request: the first one, for orders of up to 150 lines.
     */
    createOrder: (
      order: Order,
      trailing: SqlStatement,
      pendingOrderUuid?: string,
    ): {
      readonly first: SqlStatement
      readonly complete: boolean
      readonly rest: (orderId: number) => SqlStatement[]
    } => {
      const columns = [...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS]
      const headerParams = params('h', columns, order)
      const chunks = lineChunks(order.content.positions)
      const inFirst: SqlStatement[] = []
      let count = headerParams.length + 1
      let taken = 0
      for (const chunk of chunks) {
        const statement = insertLines('declared', chunk.lines, chunk.firstLineNo)
        if (count + statement.params.length > FIRST_REQUEST_PARAMETERS) break
        inFirst.push(statement)
        count += statement.params.length
        taken += 1
      }
      const first = together([
        {
          text: `DECLARE @order_id BIGINT;
INSERT INTO ${header} (${columns.map((c) => c.column).join(', ')})
VALUES (${headerParams.map((p) => `@${p.name}`).join(', ')});
SET @order_id = CAST(SCOPE_IDENTITY() AS BIGINT);
DELETE FROM ${pending} WHERE original_order_id ${pendingOrderUuid === undefined ? '= @original_order_id' : 'IN (@original_order_id, @pending_uuid)'};`,
          params: [
            keyParam(order.originalOrderId),
            ...(pendingOrderUuid === undefined ? [] : [pendingUuidParam(pendingOrderUuid)]),
            ...headerParams,
          ],
        },
        ...inFirst,
        { text: `SELECT @order_id AS ${ORDER_ID_COLUMN};`, params: [] },
        ...(taken === chunks.length ? [trailing] : []),
      ])
      const rest = (orderId: number): SqlStatement[] =>
        taken === chunks.length
          ? []
          : packed([
              ...chunks.slice(taken).map((chunk) => insertLines(orderId, chunk.lines, chunk.firstLineNo)),
              trailing,
            ])
      return { first, complete: taken === chunks.length, rest }
    },

    /**
     * Rewrites the header of order `orderId` from `order`; with `replaceLines`, also replaces its lines. The number,
     * the key and created_at never change.
     */
    updateOrder: (orderId: number, order: Order, replaceLines: boolean): SqlStatement[] => {
      const headerParams = params('h', HEADER_UPDATE_COLUMNS, order)
      const set = HEADER_UPDATE_COLUMNS.map((c, i) => `${c.column} = @h${i}`).join(', ')
      return [
        {
          text: `UPDATE ${header} SET ${set} WHERE id = @order_id;${replaceLines ? `\nDELETE FROM ${line} WHERE order_id = @order_id;` : ''}`,
          params: [orderIdParam(orderId), ...headerParams],
        },
        ...(replaceLines ? allLines(orderId, order) : []),
      ]
    },

    /** Keeps an update for an order that does not exist yet; `id` (IDENTITY) records the order received. */
    insertPending: (originalOrderId: string, rawBody: string, receivedAt: Date, storedAt: Date): SqlStatement => ({
      text: `INSERT INTO ${pending} (original_order_id, raw_body, received_at, stored_at) VALUES (@original_order_id, @raw_body, @received_at, @stored_at);`,
      params: [
        keyParam(originalOrderId),
        { name: 'raw_body', type: mssql.NVarChar(mssql.MAX), value: rawBody },
        { name: 'received_at', type: mssql.DateTimeOffset(3), value: receivedAt },
        { name: 'stored_at', type: mssql.DateTimeOffset(3), value: storedAt },
      ],
    }),
  }
}

export type OrderStatements = ReturnType<typeof orderStatements>
