import * as O from 'fp-ts/lib/Option.js'
import {
  addressedTo,
  createJournalEntry,
  dominoNumberFromSequence,
  openOrder,
  pendingKeysOf,
  pendingUpdateFromBody,
  stampOf,
  type CreateOrGetResult,
  type Journaled,
  type OrderCreated,
  type PendingUpdate,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { inTransaction, type Recordsets } from '../driver/requests.js'
import { RowShapeError } from '../driver/sql-error.js'
import { readDate, readInteger, readOptionalInteger, readText, type Row } from '../rows/column-values.js'
import { orderFromRows } from '../rows/order-row-mapping.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { lookupOf, ORDER_ID_COLUMN, type KeyLookup } from '../sql/order-statements.js'
import { together } from '../sql/sql-statement.js'
import { operationJournalWrite } from './journal-write.js'
import type { OperationContext } from './operation-context.js'

/** The pending updates read (rows with `raw_body` and `received_at`), in the order read, as core reads them. */
export const pendingOf = (rows: readonly Row[]): PendingUpdate[] =>
  rows.flatMap((row) => {
    const update = pendingUpdateFromBody(
      readText(row, 'pending_update', 'raw_body'),
      readDate(row, 'pending_update', 'received_at'),
    )
    return O.isSome(update) ? [update.value] : []
  })

/** The first row, in any recordset of a request, that has `column`. */
export const rowWith = (recordsets: Recordsets, column: string): Row | undefined => {
  for (const recordset of recordsets) for (const row of recordset) if (column in row) return row
  return undefined
}

/** The id of the journal entry a request wrote (its `journal_id` row). */
export const journalIdOf = (answer: Recordsets): number =>
  readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN)

/** A create's `KeyLookup`: how it finds its order besides its key, and the `orderUUID` whose pending rows it takes. */
export const createLookupOf = (event: OrderCreated): KeyLookup => {
  const pendingOrderUuid = pendingKeysOf(event)[1]
  return { ...lookupOf(event), ...(pendingOrderUuid === undefined ? {} : { pendingOrderUuid }) }
}

/**
 * A create decided under the key lock for its whole length, through mssql's `Transaction` (begin, read under the
 * lock, write, commit: 4 round trips, one more per further 150 lines): request 1 takes the key lock (Shared when the
 * order exists) and reads the order, the pending updates, the request's journal entry if the edge wrote one, and
 * (when there is no order) a new number; `openOrder` decides in TypeScript; request 2 writes the order (or only the
 * entry, for an order that exists) with the request's one journal entry, completed at `committedAt`, and (a created
 * order) one change row per registered consumer. What the two-round-trip create (`createOrGetOperation`) falls back
 * to in the cases it does not check itself: an order of more than 150 lines, an order found by its `orderUUID` under
 * another key, a request the edge journaled first, and a create whose checked writes kept meeting changes.
 */
export const lockedCreate = (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
): Promise<Journaled<CreateOrGetResult>> =>
  inTransaction(context.pool, budget, async (send) => {
    // Keyed by orderUUID alone: the order that has it under another key is this one. With an orderUUID beside the
    // key: the order created under that orderUUID is this one, and otherwise the updates pending under it are this
    // order's too. All in the same request (docs/contract.md §4).
    const lookup = createLookupOf(event)
    const read = together([
      context.orders.lockAndRead(event.originalOrderId, budget.lockWaitMs(), true, lookup),
      context.journal.ofRequest(receipt.requestId, false),
    ])
    const [headers, lines, pendingRows, numbers, journalRows] = await send(read)
    const existing = headers?.[0]
    let result: CreateOrGetResult
    const committedAt = context.clock.now()
    if (existing !== undefined) {
      result = { _tag: 'AlreadyExists', order: orderFromRows(existing, lines ?? []) }
      const addressed = addressedTo(event, result.order)
      const entry = createJournalEntry(receipt, addressed.originalOrderId, result, committedAt, addressed)
      const journal = operationJournalWrite(context.journal, entry, journalRows?.[0], committedAt)
      return { result, journal: stampOf(journalIdOf(await send(journal.statement)), journal.written) }
    }
    const sequence = readOptionalInteger(numbers?.[0] ?? {}, 'domino_number_seq', 'next_number')
    if (sequence === undefined) throw new RowShapeError('domino_number_seq', 'next_number')
    const opening = openOrder(
      event,
      dominoNumberFromSequence(sequence),
      receipt.receivedAt,
      pendingOf(pendingRows ?? []),
    )
    result = { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
    const journal = operationJournalWrite(
      context.journal,
      createJournalEntry(receipt, event.originalOrderId, result, committedAt),
      journalRows?.[0],
      committedAt,
    )
    // The consumers' change rows travel with the journal entry, at the end of the create's last request.
    const writes = context.orders.createOrder(
      opening.order,
      together([context.changes.recordChange(opening.order, 'created', committedAt), journal.statement]),
      lookup.pendingOrderUuid,
    )
    let journalAnswer = await send(writes.first)
    const orderId = readInteger(rowWith(journalAnswer, ORDER_ID_COLUMN) ?? {}, 'order_header', ORDER_ID_COLUMN)
    for (const request of writes.rest(orderId)) journalAnswer = await send(request)
    return { result, journal: stampOf(journalIdOf(journalAnswer), journal.written) }
  })
