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
import { RowShapeError } from '../driver/sql-error.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { DUPLICATE_COLUMN, keysOf, type PendingSeen, type SeenState } from '../sql/order-decision-statements.js'
import { lookupOf, ORDER_ID_COLUMN, type KeyLookup } from '../sql/order-statements.js'
import { outsideTransaction, rowWith, type Recordsets } from '../driver/requests.js'
import { together } from '../sql/sql-statement.js'
import { checkedWrite, retryOnConflict, VERSION_CONFLICT, type VersionConflict } from './checked-write.js'
import { operationJournalWrite } from './journal-write.js'
import { retryWithinBudget, seenOrderOf, type OperationContext } from './operation-context.js'

const pendingOf = (rows: readonly Row[]): PendingUpdate[] =>
  rows.flatMap((row) => {
    const update = pendingUpdateFromBody(readText(row, 'pending_update', 'raw_body'), readDate(row, 'pending_update', 'received_at'))
    return O.isSome(update) ? [update.value] : []
  })

/** The pending updates of one key among those read: how many, and the highest id (what `keyCheck` compares). */
const pendingSeenOf = (rows: readonly Row[], key: string): PendingSeen => {
  const ids = rows.filter((row) => readText(row, 'pending_update', 'original_order_id') === key).map((row) => readInteger(row, 'pending_update', 'id'))
  return { count: ids.length, maxId: ids.reduce((max, id) => Math.max(max, id), 0) }
}

/** The journal id a write answered. */
const journalIdOf = (answer: Recordsets): number => readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN)

/**
 * One try of a create: its read (`readForCreate`, one request, no lock held afterwards), core's decision, and the
 * checked write (`checkedWrite`, one request for an order of up to ~150 lines).
 */
const createAttempt = async (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
  lookup: KeyLookup,
): Promise<Journaled<CreateOrGetResult> | VersionConflict> => {
  const key = event.originalOrderId
  const readAt = context.clock.now()
  const retryEntry = duplicateJournalEntry(receipt, key, readAt)
  const read = context.decisions.readForCreate(key, budget.lockWaitMs(), lookup, context.journal.insertEntry(retryEntry, readAt), context.journal.ofRequest(receipt.requestId, false))
  const answer = await outsideTransaction(context.pool, budget, read)
  const flag = rowWith(answer, DUPLICATE_COLUMN)?.[DUPLICATE_COLUMN]
  const [headers, lines] = answer
  if (flag === true || flag === 1) {
    // SberMarket's retry, answered and journaled within the read.
    const header = headers?.[0]
    if (header === undefined) throw new RowShapeError('order_header', 'original_order_id')
    return { result: { _tag: 'AlreadyExists', order: orderFromRows(header, lines ?? []) }, journal: stampOf(journalIdOf(answer), retryEntry) }
  }
  const [, , pendingRows, numbers, journalRows] = answer
  const existing = headers?.[0]
  const found = journalRows?.[0]
  const committedAt = context.clock.now()
  const check = (seen: SeenState) => (onConflict: 'marker' | 'throw') => context.decisions.keyCheck(key, budget.lockWaitMs(), true, lookup, seen, onConflict)
  const requestId = found === undefined ? { requestId: receipt.requestId } : {}
  if (existing !== undefined) {
    // The order exists (reached by its orderUUID, or the request was journaled first): only the entry is written.
    const result: CreateOrGetResult = { _tag: 'AlreadyExists', order: orderFromRows(existing, lines ?? []) }
    const addressed = addressedTo(event, result.order)
    const journal = operationJournalWrite(context.journal, createJournalEntry(receipt, addressed.originalOrderId, result, committedAt, addressed), found, committedAt)
    const written = await checkedWrite(context, budget, check({ order: seenOrderOf(existing), ...requestId }), { first: journal.statement })
    return written === VERSION_CONFLICT ? written : { result, journal: stampOf(journalIdOf(written), journal.written) }
  }
  const numberRow = numbers?.[0]
  if (numberRow === undefined) throw new RowShapeError('domino_number_seq', 'next_number')
  const sequence = readOptionalInteger(numberRow, 'domino_number_seq', 'next_number')
  // No number: the order was created between the read of its header (none) and the read's look for it before taking
  // a number (read without a lock, the two statements may see two moments). Read again: it is there now.
  if (sequence === undefined) return VERSION_CONFLICT
  const opening = openOrder(event, dominoNumberFromSequence(sequence), receipt.receivedAt, pendingOf(pendingRows ?? []))
  const result: CreateOrGetResult = { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
  const journal = operationJournalWrite(context.journal, createJournalEntry(receipt, key, result, committedAt), found, committedAt)
  const { pendingUuid } = keysOf(lookup, true)
  const seen: SeenState = {
    pending: {
      key: pendingSeenOf(pendingRows ?? [], key),
      ...(pendingUuid === undefined ? {} : { uuid: pendingSeenOf(pendingRows ?? [], pendingUuid) }),
    },
    ...requestId,
  }
  // The consumers' change rows travel with the journal entry, at the end of the create's last request.
  const writes = context.orders.createOrder(opening.order, together([context.changes.recordChange(opening.order, 'created', committedAt), journal.statement]), pendingUuid)
  const written = await checkedWrite(context, budget, check(seen), {
    first: writes.first,
    ...(writes.complete ? {} : { rest: (first: Recordsets) => writes.rest(readInteger(rowWith(first, ORDER_ID_COLUMN) ?? {}, 'order_header', ORDER_ID_COLUMN)) }),
  })
  return written === VERSION_CONFLICT ? written : { result, journal: stampOf(journalIdOf(written), journal.written) }
}

/**
 * `createOrGet` in two round trips (docs/domino-integration.md §5): a read that answers SberMarket's retry of a
 * known order by itself (1 round trip), or reads, without holding a lock, what `openOrder` needs: the order the
 * create reaches (its key, or its `orderUUID`: docs/contract.md §4), the pending updates of its key (and of its
 * `orderUUID`), the request's journal entry if the edge wrote one, and (when there is no order) a new number; core
 * decides in TypeScript; one write request begins, takes the key's lock, checks that no order appeared (or that the
 * one read is still at its `row_version`) and that the pending updates are those read, writes the order (or only
 * the entry), the journal entry and one change row per registered consumer, and commits. When the check fails, the
 * create reads and decides again (`retryOnConflict`); a deadlock victim or a duplicate key is retried as before
 * (`retryWithinBudget`). An order of more than ~150 lines writes in a transaction of more requests (`checkedWrite`).
 */
export const createOrGetOperation = (context: OperationContext, budget: OperationBudget, event: OrderCreated, receipt: RequestReceipt): Promise<Journaled<CreateOrGetResult>> => {
  const pendingOrderUuid = pendingKeysOf(event)[1]
  const lookup: KeyLookup = { ...lookupOf(event), ...(pendingOrderUuid === undefined ? {} : { pendingOrderUuid }) }
  return retryWithinBudget('createOrGet', budget, () => retryOnConflict(budget, () => createAttempt(context, budget, event, receipt, lookup)))
}
