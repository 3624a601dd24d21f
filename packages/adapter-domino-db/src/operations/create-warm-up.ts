import type mssql from 'mssql'
import {
  duplicateJournalEntry,
  type DominoNumber,
  type Kopecks,
  type Order,
  type OriginalOrderId,
  type Quantity,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { outsideTransaction } from '../driver/requests.js'
import type { SchemaName } from '../settings/schema-name.js'
import { changeStatements } from '../sql/change-statements.js'
import { createStatements } from '../sql/create-statements.js'
import { journalStatements } from '../sql/journal-statements.js'
import { orderStatements } from '../sql/order-statements.js'
import { together } from '../sql/sql-statement.js'

/** An order of one line under the proof key, never written: the shape of a new order's write. */
const proofOrder = (key: string, at: Date): Order => ({
  originalOrderId: key as OriginalOrderId,
  number: '0' as DominoNumber,
  status: 'new',
  content: { paymentMethods: [], positions: [{ sku: 'proof', quantity: 1 as Quantity, price: 0 as Kopecks }] },
  payloadJson: '{}',
  createdAt: at,
  updatedAt: at,
})

/**
 * A new order's two requests on one session, as serve's warm-up runs them (`warmConnections`), with nothing
 * written: request 1 as the call of `hook_duplicate_create` alone (the key `key` has no order, so it changes
 * nothing; the new order's reads are left out because they draw a number from the sequence, which no rollback gives
 * back), then request 2 (`creates.checkedCreate`) whose check fails by design (no key has -1 pending updates): it
 * takes the key lock, reads the pending updates under it and rolls back; its writes are compiled, not run. A T-SQL
 * engine that prepares a session on its first statements over each table (hundreds of milliseconds: BENCHMARKS.md)
 * does so here, not in the first burst of new orders.
 */
export const warmCreate = async (
  pool: mssql.ConnectionPool,
  schema: SchemaName,
  budget: OperationBudget,
  key: string,
  requestId: string,
): Promise<void> => {
  const orders = orderStatements(schema)
  const at = new Date()
  const entry = duplicateJournalEntry(
    { requestId, receivedAt: at, answerBy: at, eventType: 'order.created', rawBody: '' },
    key,
    at,
  )
  await outsideTransaction(pool, budget, orders.duplicateInOneRequest(key, budget.lockWaitMs(), entry, at))
  const order = proofOrder(key, at)
  const writes = orders.createOrder(
    order,
    together([
      changeStatements(schema).recordChange(order, 'created', at),
      journalStatements(schema).insertEntry(entry, at),
    ]),
  )
  const lockWaitMs = budget.lockWaitMs()
  await outsideTransaction(
    pool,
    budget,
    createStatements(schema).checkedCreate(
      key,
      lockWaitMs,
      {},
      { key: { count: -1, maxId: -1 } },
      orders.duplicateInOneRequest(key, lockWaitMs, entry, at),
      writes.first,
    ),
  )
}
