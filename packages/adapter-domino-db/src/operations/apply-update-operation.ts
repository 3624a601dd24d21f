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
import { lookupOf } from '../sql/order-statements.js'
import { inTransaction, type Recordsets } from '../driver/requests.js'
import { packed, together, type SqlStatement } from '../sql/sql-statement.js'
import { rowWith } from './create-or-get-operation.js'
import { operationJournalWrite } from './journal-write.js'
import { retryWithinBudget, type OperationContext } from './operation-context.js'

/**
 * `applyUpdate` as one transaction of two requests (begin, read, write, commit: 4 round trips): request 1 locks the
 * key and reads the order and the request's journal entry if the edge wrote one; `applyUpdate` of core decides;
 * an event keyed by `orderUUID` alone also finds, in request 1, the order that has it under another key (core's
 * `orderUuidToFind`, `addressedTo`: decided and journaled under that order's key); request 2 writes the change (or the pending row, or nothing for a stale or duplicate event) with the request's
 * one journal entry and, when the order changed, one change row per registered consumer (`changes.recordChange`,
 * in the same request). A changed order of more than about 180 lines takes one more request per 180 lines.
 */
export const applyUpdateOperation = (
  context: OperationContext,
  budget: OperationBudget,
  received: OrderUpdate,
  receipt: RequestReceipt,
): Promise<Journaled<ApplyUpdateResult>> =>
  retryWithinBudget('applyUpdate', budget, () =>
    inTransaction(context.pool, budget, async (send) => {
      // An event keyed by orderUUID alone also finds the order that has it under another key, and one with an
      // orderUUID beside its key the order created under that orderUUID, in the same request.
      const lookup = lookupOf(received)
      const read = together([
        context.orders.lockAndRead(received.originalOrderId, budget.lockWaitMs(), false, lookup),
        context.journal.ofRequest(receipt.requestId, false),
      ])
      const [headers, lines, journalRows] = await send(read)
      const header = headers?.[0]
      const writes: SqlStatement[] = []
      let result: ApplyUpdateResult
      let before: Order | undefined
      let update = received
      const committedAt = context.clock.now()
      if (header === undefined) {
        result = { outcome: 'pending' }
        writes.push(
          context.orders.insertPending(received.originalOrderId, receipt.rawBody, receipt.receivedAt, committedAt),
        )
      } else {
        before = orderFromRows(header, lines ?? [])
        update = addressedTo(received, before)
        const decision = decideUpdate(before, update, receipt.receivedAt)
        result = { outcome: decision.outcome, order: decision.order }
        // A review outcome rewrites the header (its mark); only an applied order.changed replaces the lines.
        if (changesOrder(decision.outcome)) {
          writes.push(
            ...context.orders.updateOrder(
              headerIdOf(header),
              decision.order,
              update._tag === 'OrderChanged' && decision.outcome === 'applied',
            ),
          )
          writes.push(context.changes.recordChange(decision.order, changeKindOf(update), committedAt))
        }
      }
      const journal = operationJournalWrite(
        context.journal,
        updateJournalEntry(receipt, update, result, committedAt, before),
        journalRows?.[0],
        committedAt,
      )
      let answer: Recordsets = []
      for (const request of packed([...writes, journal.statement])) answer = await send(request)
      return {
        result,
        journal: stampOf(
          readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN),
          journal.written,
        ),
      }
    }),
  )
