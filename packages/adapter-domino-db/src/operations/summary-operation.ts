import {
  journalSummaryOfGroups,
  OUTCOMES,
  type JournalSummary,
  type JournalSummaryQuery,
  type OrderForReview,
  type Outcome,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { outsideTransaction } from '../driver/requests.js'
import { RowShapeError } from '../driver/sql-error.js'
import { readDate, readInteger, readText } from '../rows/column-values.js'
import { stringsOf } from '../rows/order-state-mapping.js'
import { summaryStatements } from '../sql/summary-statements.js'
import type { OperationContext } from './operation-context.js'

const outcomeOf = (value: string): Outcome => {
  const outcome = OUTCOMES.find((o) => o === value)
  if (outcome === undefined) throw new RowShapeError('journal', 'outcome')
  return outcome
}

/** `summariseJournal`: one statement, its groups folded into core's `JournalSummary`. A read: no transaction, no lock. */
export const summariseJournalOperation = async (
  context: OperationContext,
  budget: OperationBudget,
  query: JournalSummaryQuery,
): Promise<JournalSummary> => {
  const [rows] = await outsideTransaction(
    context.pool,
    budget,
    summaryStatements(context.schema).summariseJournal(query),
  )
  return journalSummaryOfGroups(
    (rows ?? []).map((row) => ({
      outcome: outcomeOf(readText(row, 'journal', 'outcome')),
      httpStatus: readInteger(row, 'journal', 'http_status'),
      requests: readInteger(row, 'journal', 'requests'),
      atOrAbove: readInteger(row, 'journal', 'at_or_above'),
    })),
  )
}

/** `ordersForReview`: the marked orders' keys, numbers and marks, oldest mark first. */
export const ordersForReviewOperation = async (
  context: OperationContext,
  budget: OperationBudget,
  limit: number,
): Promise<readonly OrderForReview[]> => {
  const [rows] = await outsideTransaction(
    context.pool,
    budget,
    summaryStatements(context.schema).ordersForReview(limit),
  )
  return (rows ?? []).map((row) => ({
    originalOrderId: readText(row, 'order_header', 'original_order_id'),
    number: readText(row, 'order_header', 'domino_number'),
    markedAt: readDate(row, 'order_header', 'review_marked_at'),
    reasons: stringsOf(readText(row, 'order_header', 'review_reasons_json'), 'order_header', 'review_reasons_json'),
  }))
}
