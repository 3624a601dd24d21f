import mssql from 'mssql'
import { MAX_ORDER_ID_LENGTH, type JournalEntry, type OrderState } from '@domino-sm/core'
import { HEADER_STATE_UPDATE_COLUMNS } from '../rows/order-columns.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { journalEntryParams } from './journal-statements.js'
import { keyLockParams, keyLockText, lockWaitParam } from './key-lock.js'
import { keyParam, orderReadTexts, ROW_VERSION_COLUMN, uuidParams, type KeyLookup } from './order-statements.js'
import { conflictOrWrite, fixedTextLiteral } from './checked-batch.js'
import { procedureCall, together, type SqlParam, type SqlStatement } from './sql-statement.js'

/** The procedure of an update's read by key (migration 0011): see `readForUpdate`. */
export const READ_FOR_UPDATE_PROCEDURE = 'hook_read_for_update'

/** The procedure of a status event's read by key, of the order's state alone (migration 0015): see `readStateForUpdate`. */
export const READ_STATE_FOR_UPDATE_PROCEDURE = 'hook_read_state_for_update'

/** The procedure of a status event's checked write by key (migration 0012): see `statusWrite`. */
export const STATUS_WRITE_PROCEDURE = 'hook_status_write'

/**
 * What an update's read saw, which its write checks under the key lock: the order the event reaches (its id and its
 * `row_version`), or none (a pending write: there must still be none); and, when the write inserts the request's
 * journal entry, that the request still has none (`requestIdAbsent`).
 */
export interface SeenOrder {
  readonly order?: { readonly id: number; readonly version: Buffer }
  readonly requestIdAbsent: boolean
}

/**
 * The columns a status event changes (core's `decideStatus`: the status, `updatedAt`, and the cancellation a cancel
 * carries): the specs `HEADER_UPDATE_COLUMNS` writes them with, so that a value is cut and typed as every other write
 * does it, taken from the order's state alone.
 */
export const STATUS_COLUMNS = HEADER_STATE_UPDATE_COLUMNS

/**
 * A status event's checked write (`statusWrite`): the order of `originalOrderId` as its read saw it (`seen`), the
 * decided order when the status changes it (`changed`, with the time of its change row), and the request's one entry
 * (`entry`, stored at `storedAt`), inserted, or entry `rewrites` rewritten when the edge journaled the request first.
 */
export interface StatusWrite {
  readonly originalOrderId: string
  readonly requestId: string
  readonly lockWaitMs: number
  readonly seen: { readonly id: number; readonly version: Buffer }
  readonly changed: { readonly order: OrderState; readonly at: Date } | undefined
  readonly entry: JournalEntry
  readonly storedAt: Date
  readonly rewrites: number | undefined
}

/** Which keys an update reaches (docs/contract.md §4): found by `order_uuid` (`byUuid`), with an `orderUUID` beside. */
export const keysOf = (lookup: KeyLookup): { readonly byUuid: boolean; readonly beside: string | undefined } => ({
  byUuid: lookup.byOrderUuid === true || lookup.orderUuidBeside !== undefined,
  beside: lookup.orderUuidBeside,
})

/**
 * The statements of `applyUpdate` in two requests (docs/domino-integration.md §5): a read in autocommit that locks
 * nothing, core's decision in TypeScript, then ONE request that begins a transaction, takes the locks every writer of
 * the order takes (the key's, Exclusive; an event reaching an order by `orderUUID` also that order's, in the same
 * order as `lockAndRead`), checks that what the read saw is still so, and either writes and commits or, when it
 * changed, reads the order as it is now under those locks, rolls back and answers it with a conflict marker. The
 * caller decides again on those rows and sends the write again: a conflict costs one request, and no read ever
 * queues behind the writers of the key. The transaction begins and ends inside the one request (@@TRANCOUNT 0 -> 0,
 * so no error 266).
 */
export const updateStatements = (schema: SchemaName) => {
  const header = qualified(schema, 'order_header')
  const journal = qualified(schema, 'journal')
  const { readOrderOf, resolveTarget } = orderReadTexts(schema)
  const uuidParam = (beside: string | undefined): SqlParam[] =>
    beside === undefined ? [] : uuidParams(schema, beside).slice(0, 1)

  return {
    /**
     * The write of an applied status event: only the columns it changes (`STATUS_COLUMNS`), where `updateOrder`
     * rewrites every column of the header, the payload kept with it included. The same row as that write, because
     * every other column is as the decision read it: under the key lock, checked at the `row_version` read
     * (`checkedWrite`), or read under the lock (`lockAndRead`).
     */
    updateStatus: (orderId: number, order: OrderState): SqlStatement => {
      const params: SqlParam[] = STATUS_COLUMNS.map((spec, i) => ({
        name: `s${i}`,
        type: spec.type,
        value: spec.value(order),
      }))
      return {
        text: `UPDATE ${header} SET ${STATUS_COLUMNS.map((spec, i) => `${spec.column} = @s${i}`).join(', ')} WHERE id = @order_id;`,
        params: [{ name: 'order_id', type: mssql.BigInt(), value: orderId }, ...params],
      }
    },

    /**
     * `checkedWrite` of a status event keyed by its `originalOrderId` alone, on an order its read found: the call of
     * the procedure `hook_status_write` (migration 0012), whose statements are those `checkedWrite` sends for it
     * (the key lock, the check of `seen` and, for an entry to insert, of the request's absence; `updateStatus` and
     * `recordChange` when the status changes the order; `insertEntry` or `rewriteEntry`), with the same answers: the
     * entry's `journal_id`, or the order as it is now, the request's entry and the `version_conflict` row. A T-SQL
     * engine that keeps no plan of an sp_executesql text compiles them once per session instead of on every call
     * (BENCHMARKS.md). Its shape is fixed: what varies is in the values (`@order_changes`, `@journal_row` NULL for
     * an insert), every one a typed parameter passed by name; the status columns are `STATUS_COLUMNS`' specs, NULL
     * when the order does not change, as are the change row's number and time. The call is sent alone: the procedure
     * opens with the connection guard (migration 0014, `guardsItself`).
     */
    statusWrite: (write: StatusWrite): SqlStatement => {
      // The procedure checks and reads the request's entry by the entry's own request id.
      if (write.entry.requestId !== write.requestId) throw new Error("statusWrite writes the request's own entry")
      const changed = write.changed
      const params: SqlParam[] = [
        keyParam(write.originalOrderId),
        lockWaitParam(write.lockWaitMs),
        { name: 'seen_order_id', type: mssql.BigInt(), value: write.seen.id },
        { name: 'seen_version', type: mssql.VarBinary(8), value: write.seen.version },
        { name: 'order_changes', type: mssql.Bit(), value: changed !== undefined },
        ...STATUS_COLUMNS.map((spec) => ({
          name: spec.column,
          type: spec.type,
          value: changed === undefined ? null : spec.value(changed.order),
        })),
        { name: 'change_number', type: mssql.NVarChar(32), value: changed?.order.number ?? null },
        { name: 'change_at', type: mssql.DateTimeOffset(3), value: changed?.at ?? null },
        { name: 'journal_row', type: mssql.BigInt(), value: write.rewrites ?? null },
        ...journalEntryParams(write.entry, write.storedAt, 'entry_'),
      ]
      return procedureCall(qualified(schema, STATUS_WRITE_PROCEDURE), params, true)
    },

    /**
     * An update's read, locking nothing: the order it reaches (by `lookup`, resolved as `lockAndRead` resolves it,
     * without the locks), with its `row_version`, its lines, then the request's entry (`ofRequest`). What it reads may
     * change before the write; the write checks it. Keyed by its key alone (the common case), the call of the
     * procedure `hook_read_for_update` (migration 0011), whose statements are the same reads: a T-SQL engine that
     * keeps no plan of an sp_executesql text compiles them once per session instead of on every call
     * (BENCHMARKS.md); the call is sent alone, the procedure opening with the connection guard (migration 0014,
     * `guardsItself`). An event that may reach its order by `orderUUID` sends the text.
     */
    readForUpdate: (originalOrderId: string, lookup: KeyLookup, ofRequest: SqlStatement): SqlStatement => {
      const { byUuid, beside } = keysOf(lookup)
      if (!byUuid) {
        const [requestId, ...others] = ofRequest.params
        if (requestId?.name !== 'request_id' || others.length > 0)
          throw new Error('readForUpdate reads the request entry by @request_id alone')
        return procedureCall(qualified(schema, READ_FOR_UPDATE_PROCEDURE), [keyParam(originalOrderId), requestId], true)
      }
      const read = `${resolveTarget(undefined, beside !== undefined)}${readOrderOf('@target_key', true)}`
      return together([{ text: read, params: [keyParam(originalOrderId), ...uuidParam(beside)] }, ofRequest])
    },

    /**
     * A status event's read, keyed by its `originalOrderId` alone, locking nothing: the call of the procedure
     * `hook_read_state_for_update` (migration 0015), which reads what `readForUpdate` reads but of the order's header
     * only its state (`HEADER_STATE_COLUMNS`: what core's `decideStatus`, the journal entry and the change row read)
     * with its `row_version`, and none of its lines: the order's header row, then the request's entry (`ofRequest`).
     * The write (`statusWrite`) checks the `row_version` read, so a decision on the state is a decision on the order.
     * The call is sent alone: the procedure opens with the connection guard (as migration 0014's do, `guardsItself`).
     */
    readStateForUpdate: (originalOrderId: string, ofRequest: SqlStatement): SqlStatement => {
      const [requestId, ...others] = ofRequest.params
      if (requestId?.name !== 'request_id' || others.length > 0)
        throw new Error('readStateForUpdate reads the request entry by @request_id alone')
      return procedureCall(
        qualified(schema, READ_STATE_FOR_UPDATE_PROCEDURE),
        [keyParam(originalOrderId), requestId],
        true,
      )
    },

    /**
     * The write of an update as one request: BEGIN TRANSACTION, the key lock (Exclusive, with `lockWaitMs`, what
     * remains of the budget) and, for an event that may reach its order by `orderUUID`, the resolution of that order
     * under the same locks as `lockAndRead`; then the check of `seen`: the order reached is the one read, at the
     * `row_version` read (SQL Server changes it on every insert and update of the row, whoever writes it), or there is
     * still none; and the request still has no journal entry when `writes` insert one. On a match `writes` and COMMIT.
     * On a mismatch the order as it is now (header with its version, lines) and the request's entry (`ofRequest`),
     * read under the locks, then ROLLBACK and a row with `version_conflict`: the same recordsets as `readForUpdate`,
     * then the marker. Any error (a lock not granted, a deadlock victim, a duplicate key) aborts the batch and rolls
     * the transaction back: XACT_ABORT is on, which the guard that opens every request checks (`driver/requests.ts`
     * THROWs when it is off), so the batch does not SET it again (a SET costs the T-SQL engine 0.3-0.9 ms of CPU a
     * call). The reads of a mismatch run as a nested `sp_executesql` of a fixed text: compiled only when a
     * conflict happens (the T-SQL engine compiles every statement of a batch on every call, run or not: those reads
     * inline cost it 2-3 ms of CPU on every write); its parameters are typed, its text holds no value. The text varies
     * only with the shape of `seen`, `lookup` and `writes`; every value is a parameter.
     */
    checkedWrite: (
      originalOrderId: string,
      lockWaitMs: number,
      lookup: KeyLookup,
      seen: SeenOrder,
      ofRequest: SqlStatement,
      writes: SqlStatement,
    ): SqlStatement => {
      const { byUuid, beside } = keysOf(lookup)
      const target = byUuid ? '@target_key' : '@original_order_id'
      const order = seen.order
      const orderCheck =
        order === undefined
          ? `IF EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target})`
          : `IF NOT EXISTS (SELECT 1 FROM ${header} WHERE original_order_id = ${target} AND id = @seen_order_id AND ${ROW_VERSION_COLUMN} = @seen_version)`
      const [requestId, ...others] = ofRequest.params
      if (requestId?.name !== 'request_id' || others.length > 0)
        throw new Error('checkedWrite reads the request entry by @request_id alone')
      const text = `BEGIN TRANSACTION;
${keyLockText(schema, 'Exclusive')}${byUuid ? resolveTarget('Exclusive', beside !== undefined) : ''}DECLARE @conflict BIT = 0;
${orderCheck}
  SET @conflict = 1;
${seen.requestIdAbsent ? `IF EXISTS (SELECT 1 FROM ${journal} WHERE request_id = @request_id)\n  SET @conflict = 1;\n` : ''}${conflictOrWrite(
        '@conflict = 1',
        `EXEC sp_executesql ${fixedTextLiteral(`${readOrderOf('@key', true)}\n${ofRequest.text}`)}, N'@key NVARCHAR(${MAX_ORDER_ID_LENGTH}), @request_id UNIQUEIDENTIFIER', @key = ${target}, @request_id = @request_id;`,
        writes.text,
      )}`
      const params: SqlParam[] = [
        keyParam(originalOrderId),
        ...keyLockParams(schema, originalOrderId, lockWaitMs),
        ...(beside === undefined ? [] : uuidParams(schema, beside)),
        ...(order === undefined
          ? []
          : [
              { name: 'seen_order_id', type: mssql.BigInt(), value: order.id },
              { name: 'seen_version', type: mssql.VarBinary(8), value: order.version },
            ]),
      ]
      // The request's id (@request_id) comes with `ofRequest`.
      return together([
        { text, params },
        { text: '', params: ofRequest.params },
        { text: '', params: writes.params },
      ])
    },
  }
}

export type UpdateStatements = ReturnType<typeof updateStatements>
