import {
  applyUpdate as decideUpdate,
  stampOf,
  updateJournalEntry,
  type ApplyUpdateResult,
  type Journaled,
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
      const committedAt = context.clock.now()
      if (header === undefined) {
        result = { outcome: 'pending' }
        writes.push(context.orders.insertPending(update.originalOrderId, receipt.rawBody, receipt.receivedAt, committedAt))
      } else {
        const decision = decideUpdate(orderFromRows(header, lines ?? []), update, receipt.receivedAt)
        result = { outcome: decision.outcome, order: decision.order }
        if (decision.outcome === 'applied') writes.push(...context.orders.updateOrder(headerIdOf(header), decision.order, update._tag === 'OrderChanged'))
      }
      const entry = updateJournalEntry(receipt, update.originalOrderId, result, committedAt)
      const row = await commit([...writes, context.journal.insertEntry(entry, committedAt)], [JOURNAL_ID_VARIABLE])
      return { result, journal: stampOf(readInteger(row, 'journal', JOURNAL_ID_VARIABLE), entry) }
    }),
  )
