import { randomUUID } from 'node:crypto'
import {
  expiredPendingEntry,
  retentionErasureReceipt,
  type RetentionPolicy,
  type RetentionReport,
  type StoreStats,
  type TableStats,
} from '@domino-sm/core'
import { changeQueueTable } from '@domino-sm/core/internals'
import type { OperationBudget } from '../driver/operation-budget.js'
import { readDate, readInteger, readText, type Row } from '../rows/column-values.js'
import { withBudget } from '../driver/operation-budget.js'
import { inTransaction, outsideTransaction } from '../driver/requests.js'
import { packed } from '../sql/sql-statement.js'
import { MAX_PENDING_PER_BATCH, type PendingCandidate } from '../sql/retention-statements.js'
import { supportStatements } from '../sql/support-statements.js'
import { erasureOperation } from './erasure-operation.js'
import type { OperationContext } from './operation-context.js'

const readOptionalDate = (row: Row | undefined, table: string, column: string): Date | null =>
  row === undefined || row[column] === null || row[column] === undefined ? null : readDate(row, table, column)

/** One batch of bodies cleared (its own autocommit statement); how many. */
const clearBodiesBatch = async (
  context: OperationContext,
  budget: OperationBudget,
  policy: RetentionPolicy,
): Promise<number> => {
  const [counts] = await outsideTransaction(
    context.pool,
    budget,
    context.retention.clearBodies(policy.clearBodiesReceivedBefore, policy.batchSize),
  )
  return readInteger(counts?.[0] ?? {}, 'journal', 'cleared')
}

/**
 * One batch of pending updates expired, in one transaction: the candidates are read first; request 1 takes the
 * key lock of each (no wait) and deletes those it got; request 2 journals each deleted row with core's
 * `expiredPendingEntry` (as many requests as the parameter limit asks), and the transaction commits. Returns how many candidates there were and how many this run expired.
 */
const expirePendingBatch = async (
  context: OperationContext,
  budget: OperationBudget,
  policy: RetentionPolicy,
): Promise<{ candidates: number; expired: number }> => {
  const size = Math.min(policy.batchSize, MAX_PENDING_PER_BATCH)
  const cutoff = policy.expirePendingReceivedBefore
  const [rows] = await outsideTransaction(context.pool, budget, context.retention.pendingCandidates(cutoff, size))
  const candidates: PendingCandidate[] = (rows ?? []).map((row) => ({
    id: readInteger(row, 'pending_update', 'id'),
    originalOrderId: readText(row, 'pending_update', 'original_order_id'),
  }))
  if (candidates.length === 0) return { candidates: 0, expired: 0 }
  const expired = await inTransaction(context.pool, budget, async (send) => {
    const [gone] = await send(context.retention.expirePending(candidates, cutoff))
    const storedAt = context.clock.now()
    const entries = (gone ?? []).map((row) =>
      expiredPendingEntry(
        readText(row, 'pending_update', 'original_order_id'),
        readDate(row, 'pending_update', 'received_at'),
        policy.now,
      ),
    )
    for (const request of packed(entries.map((entry, i) => context.journal.insertEntry(entry, storedAt, `e${i}_`))))
      await send(request)
    return entries.length
  })
  return { candidates: candidates.length, expired }
}

/**
 * The retention policy, in batches, each its own transaction and its own time budget (a long run never holds a
 * lock or a connection for longer than one hook operation may). Stops when a batch finds less than a full batch,
 * or expires nothing (what is left is being worked on by another run or operation: the next run takes it).
 */
export const applyRetentionOperation = async (
  context: OperationContext,
  budgetMs: number,
  policy: RetentionPolicy,
): Promise<RetentionReport> => {
  let bodiesCleared = 0
  for (;;) {
    const cleared = await withBudget(budgetMs, (budget) => clearBodiesBatch(context, budget, policy))
    bodiesCleared += cleared
    if (cleared < policy.batchSize) break
  }
  let pendingExpired = 0
  for (;;) {
    const batch = await withBudget(budgetMs, (budget) => expirePendingBatch(context, budget, policy))
    pendingExpired += batch.expired
    if (batch.candidates < Math.min(policy.batchSize, MAX_PENDING_PER_BATCH) || batch.expired === 0) break
  }
  const closedBefore = policy.eraseClosedOrdersBefore
  if (closedBefore === undefined) return { bodiesCleared, pendingExpired }
  return {
    bodiesCleared,
    pendingExpired,
    ordersErased: await eraseClosedOrders(context, budgetMs, policy, closedBefore),
  }
}

/**
 * The policy's erasure of closed orders: batches of candidate keys (read outside a transaction), each order erased
 * as `personal-data erase` erases it, in its own transaction and budget (it takes the key's lock, so a request for that
 * order waits at most one erasure). An order another run erased meanwhile is erased again, harmlessly (nothing left).
 */
const eraseClosedOrders = async (
  context: OperationContext,
  budgetMs: number,
  policy: RetentionPolicy,
  closedBefore: Date,
): Promise<number> => {
  const support = supportStatements(context.schema)
  let erased = 0
  for (;;) {
    const [rows] = await withBudget(budgetMs, (budget) =>
      outsideTransaction(context.pool, budget, support.closedNotErased(closedBefore, policy.batchSize)),
    )
    const keys = (rows ?? []).map((row) => readText(row, 'order_header', 'original_order_id'))
    for (const key of keys) {
      await withBudget(budgetMs, (budget) =>
        erasureOperation(context, budget, key, retentionErasureReceipt(key, closedBefore, policy.now, randomUUID())),
      )
      erased += 1
    }
    if (keys.length < policy.batchSize) return erased
  }
}

/** How `stats` names the queue of one consumer among its tables (core's `changeQueueTable`). */
export const queueTableName = changeQueueTable

/** `stats`: one batch of counts. */
export const storeStatsOperation = async (context: OperationContext, budget: OperationBudget): Promise<StoreStats> => {
  const [tables, bodies, marks, queues] = await outsideTransaction(context.pool, budget, context.retention.stats())
  const tableStats: TableStats[] = (tables ?? []).map((row) => ({
    table: readText(row, 'stats', 'table_name'),
    rows: readInteger(row, 'stats', 'row_count'),
    oldest: readOptionalDate(row, 'stats', 'oldest'),
  }))
  // The queue of each registered consumer, as a table of its own: `order_change[NAME]`, its depth (changes not
  // taken yet) and its oldest change. A depth that only grows is a consumer that stopped taking.
  for (const row of queues ?? []) {
    tableStats.push({
      table: queueTableName(readText(row, 'change_consumer', 'name')),
      rows: readInteger(row, 'order_change', 'depth'),
      oldest: readOptionalDate(row, 'order_change', 'oldest'),
    })
  }
  const bodyRow = bodies?.[0]
  const markRow = marks?.[0]
  return {
    tables: tableStats,
    journalBodies: readInteger(bodyRow ?? {}, 'journal', 'bodies'),
    oldestJournalBody: readOptionalDate(bodyRow, 'journal', 'oldest'),
    ordersForReview: readInteger(markRow ?? {}, 'order_header', 'marked'),
    oldestReviewMark: readOptionalDate(markRow, 'order_header', 'oldest'),
  }
}
