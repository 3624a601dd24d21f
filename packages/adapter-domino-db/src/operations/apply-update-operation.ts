import {
  addressedTo,
  applyUpdate as decideUpdate,
  changesOrder,
  stampOf,
  updateJournalEntry,
  type ApplyUpdateResult,
  type Journaled,
  type Order,
  type OrderUpdate,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { readInteger } from '../rows/column-values.js'
import { headerIdOf, orderFromRows } from '../rows/order-row-mapping.js'
import { changeKindOf } from '../sql/change-statements.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { lookupOf, type KeyLookup } from '../sql/order-statements.js'
import { outsideTransaction, rowWith } from '../driver/requests.js'
import { MAX_PARAMETERS_PER_REQUEST, packed, type SqlStatement } from '../sql/sql-statement.js'
import { checkedWrite, retryOnConflict, VERSION_CONFLICT, type VersionConflict } from './checked-write.js'
import { operationJournalWrite } from './journal-write.js'
import { retryWithinBudget, seenOrderOf, type OperationContext } from './operation-context.js'

/** Parameters kept free in a write's first request for its check (`keyCheck` sends at most 11). */
const CHECK_PARAMETERS = 20

/** One try of an update: its read (no lock held afterwards), core's decision, and the checked write. */
const updateAttempt = async (
  context: OperationContext,
  budget: OperationBudget,
  received: OrderUpdate,
  receipt: RequestReceipt,
  lookup: KeyLookup,
): Promise<Journaled<ApplyUpdateResult> | VersionConflict> => {
  const key = received.originalOrderId
  const [headers, lines, journalRows] = await outsideTransaction(context.pool, budget, context.decisions.readForUpdate(key, lookup, context.journal.ofRequest(receipt.requestId, false)))
  const header = headers?.[0]
  const found = journalRows?.[0]
  const writes: SqlStatement[] = []
  let result: ApplyUpdateResult
  let before: Order | undefined
  let update = received
  const committedAt = context.clock.now()
  if (header === undefined) {
    result = { outcome: 'pending' }
    writes.push(context.orders.insertPending(key, receipt.rawBody, receipt.receivedAt, committedAt))
  } else {
    before = orderFromRows(header, lines ?? [])
    update = addressedTo(received, before)
    const decision = decideUpdate(before, update, receipt.receivedAt)
    result = { outcome: decision.outcome, order: decision.order }
    // A review outcome rewrites the header (its mark); only an applied order.changed replaces the lines.
    if (changesOrder(decision.outcome)) {
      writes.push(...context.orders.updateOrder(headerIdOf(header), decision.order, update._tag === 'OrderChanged' && decision.outcome === 'applied'))
      writes.push(context.changes.recordChange(decision.order, changeKindOf(update), committedAt))
    }
  }
  const journal = operationJournalWrite(context.journal, updateJournalEntry(receipt, update, result, committedAt, before), found, committedAt)
  const [first, ...rest] = packed([...writes, journal.statement], MAX_PARAMETERS_PER_REQUEST - 1 - CHECK_PARAMETERS)
  if (first === undefined) throw new Error('an update without a write')
  const seen = { ...(header === undefined ? {} : { order: seenOrderOf(header) }), ...(found === undefined ? { requestId: receipt.requestId } : {}) }
  const written = await checkedWrite(
    context,
    budget,
    (onConflict) => context.decisions.keyCheck(key, budget.lockWaitMs(), false, lookup, seen, onConflict),
    { first, ...(rest.length === 0 ? {} : { rest: () => rest }) },
  )
  if (written === VERSION_CONFLICT) return written
  return { result, journal: stampOf(readInteger(rowWith(written, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN), journal.written) }
}

/**
 * `applyUpdate` in two round trips (docs/domino-integration.md §5): request 1 reads, locking nothing, the order the
 * event reaches (by its key; an event keyed by `orderUUID` alone, or with one beside its key, also the order that has
 * it under another key: core's `orderUuidToFind`, `addressedTo`, decided and journaled under that order's key) and
 * the request's journal entry if the edge wrote one; `applyUpdate` of core decides; request 2 begins, takes the
 * key's lock (and the reached order's), checks that the order is still at the `row_version` read (or still absent,
 * for a pending write), writes the change (or the pending row, or nothing for a stale or duplicate event) with the
 * request's one journal entry and, when the order changed, one change row per registered consumer, and commits. A
 * failed check reads and decides again (`retryOnConflict`). A changed order of more than about 180 lines writes in
 * a transaction of more requests (`checkedWrite`).
 */
export const applyUpdateOperation = (context: OperationContext, budget: OperationBudget, received: OrderUpdate, receipt: RequestReceipt): Promise<Journaled<ApplyUpdateResult>> => {
  const lookup = lookupOf(received)
  return retryWithinBudget('applyUpdate', budget, () => retryOnConflict(budget, () => updateAttempt(context, budget, received, receipt, lookup)))
}
