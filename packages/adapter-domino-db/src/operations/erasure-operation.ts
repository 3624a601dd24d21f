import {
  eraseBody,
  eraseFromOrder,
  erasureJournalEntry,
  stampOf,
  type ErasureReport,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { readInteger, readText, type Row } from '../rows/column-values.js'
import { headerIdOf, orderFromRows } from '../rows/order-row-mapping.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { inTransaction, type Recordsets } from '../driver/requests.js'
import { packed, together, type SqlStatement } from '../sql/sql-statement.js'
import { supportStatements } from '../sql/support-statements.js'
import { rowWith } from './create-or-get-operation.js'
import { retryWithinBudget, type OperationContext } from './operation-context.js'

/** The bodies that hold personal data, erased: one parse and one scan each (`eraseBody`), whatever their depth. */
const bodiesToErase = (
  rows: readonly Row[] | undefined,
  table: string,
): { readonly id: number; readonly erased: string | null }[] =>
  (rows ?? []).flatMap((row) => {
    const erasure = eraseBody(readText(row, table, 'raw_body'))
    return erasure._tag === 'Erased' ? [{ id: readInteger(row, table, 'id'), erased: erasure.body }] : []
  })

/**
 * `erasePersonalData` as one transaction: request 1 takes the key's lock and reads the order, the key's journal
 * bodies and pending updates (UPDLOCK); core's `eraseFromOrder` and `eraseFromBody` decide; the writes rewrite the
 * header (lines untouched), the bodies that hold personal data, the change feed's row, and insert the erasure's entry.
 */
export const erasureOperation = (
  context: OperationContext,
  budget: OperationBudget,
  key: string,
  receipt: RequestReceipt,
): Promise<ErasureReport> => {
  const support = supportStatements(context.schema)
  return retryWithinBudget('erasePersonalData', budget, () =>
    inTransaction(context.pool, budget, async (send) => {
      const [headers, lines, journalRows, pendingRows] = await send(
        together([context.orders.lockAndRead(key, budget.lockWaitMs(), false), support.bodiesOfKey(key)]),
      )
      const header = headers?.[0]
      const writes: SqlStatement[] = []
      const committedAt = context.clock.now()
      if (header !== undefined) {
        const orderId = headerIdOf(header)
        const erased = eraseFromOrder(orderFromRows(header, lines ?? []))
        writes.push(
          ...context.orders.updateOrder(orderId, erased, false),
          support.markErased(orderId, committedAt),
          // Domino's jobs learn of the erasure as of any other change: one row per consumer, in this transaction.
          context.changes.recordChange(erased, 'erased', committedAt),
        )
      }
      const journalBodies = bodiesToErase(journalRows, 'journal')
      const pendingBodies = bodiesToErase(pendingRows, 'pending_update')
      journalBodies.forEach(({ id, erased }, i) => writes.push(support.rewriteJournalBody(id, erased, i)))
      pendingBodies.forEach(({ id, erased }, i) => writes.push(support.rewritePendingBody(id, erased ?? '{}', i)))
      const counts = {
        orderFound: header !== undefined,
        journalBodiesErased: journalBodies.length,
        pendingBodiesErased: pendingBodies.length,
      }
      const entry = erasureJournalEntry(receipt, key, counts, committedAt)
      let answer: Recordsets = []
      for (const request of packed([...writes, context.journal.insertEntry(entry, committedAt)]))
        answer = await send(request)
      return {
        ...counts,
        journal: stampOf(readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN), entry),
      }
    }),
  )
}
