import * as O from 'fp-ts/lib/Option.js'
import {
  addressedTo,
  createJournalEntry,
  pendingKeysOf,
  dominoNumberFromSequence,
  duplicateJournalEntry,
  openOrder,
  pendingUpdateFromBody,
  stampOf,
  type CreateOrGetResult,
  type Journaled,
  type OrderCreated,
  type PendingUpdate,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { readDate, readInteger, readOptionalInteger, readText, type Row } from '../rows/column-values.js'
import { orderFromRows } from '../rows/order-row-mapping.js'
import { classifySqlError, RowShapeError } from '../driver/sql-error.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { lookupOf, ORDER_ID_COLUMN } from '../sql/order-statements.js'
import { inTransaction, outsideTransaction, type Recordsets } from '../driver/requests.js'
import { together } from '../sql/sql-statement.js'
import { operationJournalWrite } from './journal-write.js'
import { retryWithinBudget, type OperationContext } from './operation-context.js'

const pendingOf = (rows: readonly Row[]): PendingUpdate[] =>
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

/**
 * A create that finds its order (SberMarket's retry), in one request (`duplicateInOneRequest`, the procedure of
 * migration 0011): the duplicate's journal entry does not depend on the order, so it is written in the same request
 * that reads the order. Undefined
 * when the order does not exist or the request already has an entry (the edge answered it first): then the
 * create runs as usual. A duplicate key on the entry (the edge wrote it meanwhile) also falls back to the usual path.
 */
const duplicateInOneRequest = async (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
): Promise<Journaled<CreateOrGetResult> | undefined> => {
  const committedAt = context.clock.now()
  const entry = duplicateJournalEntry(receipt, event.originalOrderId, committedAt)
  const statement = context.orders.duplicateInOneRequest(event.originalOrderId, budget.lockWaitMs(), entry, committedAt)
  let answer: Recordsets
  try {
    answer = await outsideTransaction(context.pool, budget, statement)
  } catch (error) {
    if (classifySqlError('createOrGet', error)._tag === 'DuplicateKey') return undefined
    throw error
  }
  const flag = rowWith(answer, 'duplicate')?.['duplicate']
  if (flag !== true && flag !== 1) return undefined
  const [headers, lines] = answer
  const header = headers?.[0]
  if (header === undefined) throw new RowShapeError('order_header', 'original_order_id')
  const result: CreateOrGetResult = { _tag: 'AlreadyExists', order: orderFromRows(header, lines ?? []) }
  return {
    result,
    journal: stampOf(readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN), entry),
  }
}

/**
 * `createOrGet`: first as a duplicate in one request (above); when the order is new, as one transaction of two
 * requests (begin, read, write, commit: 4 more round trips): request 1 takes the
 * key lock and reads the order, the pending updates, the request's journal entry if the edge wrote one, and (when
 * there is no order) a new number; `openOrder` decides in TypeScript; request 2 writes the order (or nothing, for a
 * duplicate) with the request's one journal entry, completed at `committedAt`, and (a created order) one change row
 * per registered consumer. An order of more than 150 lines
 * takes one more request per further 150 lines.
 */
export const createOrGetOperation = async (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
): Promise<Journaled<CreateOrGetResult>> =>
  (await duplicateInOneRequest(context, budget, event, receipt)) ??
  retryWithinBudget('createOrGet', budget, () =>
    inTransaction(context.pool, budget, async (send) => {
      // Keyed by orderUUID alone: the order that has it under another key is this one. With an orderUUID beside the
      // key: the order created under that orderUUID is this one, and otherwise the updates pending under it are this
      // order's too. All in the same request (docs/contract.md §4).
      const pendingOrderUuid = pendingKeysOf(event)[1]
      const lookup = { ...lookupOf(event), ...(pendingOrderUuid === undefined ? {} : { pendingOrderUuid }) }
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
        const answered = await send(journal.statement)
        return {
          result,
          journal: stampOf(
            readInteger(rowWith(answered, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN),
            journal.written,
          ),
        }
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
        pendingOrderUuid,
      )
      let journalAnswer = await send(writes.first)
      const orderId = readInteger(rowWith(journalAnswer, ORDER_ID_COLUMN) ?? {}, 'order_header', ORDER_ID_COLUMN)
      for (const request of writes.rest(orderId)) journalAnswer = await send(request)
      return {
        result,
        journal: stampOf(
          readInteger(rowWith(journalAnswer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN),
          journal.written,
        ),
      }
    }),
  )
