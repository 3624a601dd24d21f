import {
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
import type { OperationBudget } from '../operation-budget.js'
import { readInteger } from '../rows/column-values.js'
import { headerIdOf, orderFromRows } from '../rows/order-row-mapping.js'
import { JOURNAL_ID_VARIABLE } from '../sql/journal-statements.js'
import { inTransaction } from '../sql/operation-batches.js'
import type { SqlStatement } from '../sql/sql-statement.js'
import { retryOnce, type OperationContext } from './operation-context.js'

/**
 * `applyUpdate` in two round trips: batch 1 locks the key and reads the order; `applyUpdate` of core decides; batch 2
 * writes the change (or the pending row, or nothing for a stale or duplicate event), the journal entry, and commits.
 */
export const applyUpdateOperation = (context: OperationContext, budget: OperationBudget, update: OrderUpdate, receipt: RequestReceipt): Promise<Journaled<ApplyUpdateResult>> =>
  retryOnce('applyUpdate', budget, () =>
    inTransaction(context.pool, budget, [context.orders.lockAndRead(update.originalOrderId, budget.lockWaitMs(), false)], async (reads, commit) => {
      const [headers, lines] = reads
      const header = headers?.[0]
      const writes: SqlStatement[] = []
      let result: ApplyUpdateResult
      let before: Order | undefined
      const committedAt = context.clock.now()
      if (header === undefined) {
        result = { outcome: 'pending' }
        writes.push(context.orders.insertPending(update.originalOrderId, receipt.rawBody, receipt.receivedAt, committedAt))
      } else {
        before = orderFromRows(header, lines ?? [])
        const decision = decideUpdate(before, update, receipt.receivedAt)
        result = { outcome: decision.outcome, order: decision.order }
        // A review outcome rewrites the header (its mark); only an applied order.changed replaces the lines.
        if (changesOrder(decision.outcome)) {
          writes.push(...context.orders.updateOrder(headerIdOf(header), decision.order, update._tag === 'OrderChanged' && decision.outcome === 'applied'))
        }
      }
      const entry = updateJournalEntry(receipt, update, result, committedAt, before)
      const row = await commit([...writes, context.journal.insertEntry(entry, committedAt)], [JOURNAL_ID_VARIABLE])
      return { result, journal: stampOf(readInteger(row, 'journal', JOURNAL_ID_VARIABLE), entry) }
    }),
  )
