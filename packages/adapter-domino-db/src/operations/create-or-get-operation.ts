import * as O from 'fp-ts/lib/Option.js'
import {
  createJournalEntry,
  dominoNumberFromSequence,
  openOrder,
  pendingUpdateFromBody,
  stampOf,
  type CreateOrGetResult,
  type Journaled,
  type OrderCreated,
  type PendingUpdate,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../operation-budget.js'
import { readDate, readInteger, readOptionalInteger, readText, type Row } from '../rows/column-values.js'
import { orderFromRows } from '../rows/order-row-mapping.js'
import { RowShapeError } from '../sql-error.js'
import { JOURNAL_ID_VARIABLE } from '../sql/journal-statements.js'
import { inTransaction } from '../sql/operation-batches.js'
import type { SqlStatement } from '../sql/sql-statement.js'
import { retryOnce, type OperationContext } from './operation-context.js'

const pendingOf = (rows: readonly Row[]): PendingUpdate[] =>
  rows.flatMap((row) => {
    const update = pendingUpdateFromBody(readText(row, 'pending_update', 'raw_body'), readDate(row, 'pending_update', 'received_at'))
    return O.isSome(update) ? [update.value] : []
  })

/**
 * `createOrGet` in two round trips: batch 1 locks the key and reads the order, the pending updates and (when there
 * is no order) a new number; `openOrder` decides in TypeScript; batch 2 writes the order (or nothing, for a
 * duplicate), the journal entry completed at `committedAt`, and commits.
 */
export const createOrGetOperation = (context: OperationContext, budget: OperationBudget, event: OrderCreated, receipt: RequestReceipt): Promise<Journaled<CreateOrGetResult>> =>
  retryOnce('createOrGet', budget, () =>
    inTransaction(context.pool, budget, [context.orders.lockAndRead(event.originalOrderId, budget.lockWaitMs(), true)], async (reads, commit) => {
      const [headers, lines, pendingRows, numbers] = reads
      const existing = headers?.[0]
      let result: CreateOrGetResult
      const writes: SqlStatement[] = []
      if (existing !== undefined) {
        result = { _tag: 'AlreadyExists', order: orderFromRows(existing, lines ?? []) }
      } else {
        const sequence = readOptionalInteger(numbers?.[0] ?? {}, 'domino_number_seq', 'next_number')
        if (sequence === undefined) throw new RowShapeError('domino_number_seq', 'next_number')
        const opening = openOrder(event, dominoNumberFromSequence(sequence), receipt.receivedAt, pendingOf(pendingRows ?? []))
        result = { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
        writes.push(...context.orders.createOrder(opening.order))
      }
      const committedAt = context.clock.now()
      const entry = createJournalEntry(receipt, event.originalOrderId, result, committedAt)
      const row = await commit([...writes, context.journal.insertEntry(entry, committedAt)], [JOURNAL_ID_VARIABLE])
      return { result, journal: stampOf(readInteger(row, 'journal', JOURNAL_ID_VARIABLE), entry) }
    }),
  )
