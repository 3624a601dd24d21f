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
 * written and no number drawn: request 1 as a create keyed by its `originalOrderId` sends it, the call of
 * `hook_probe_create` (migration 0013; `creates.probe`), with `drawNumber` false: the key `key` has no order, so
 * its call of `hook_duplicate_create` changes nothing, and it runs the new order's reads (pending updates, the
 * request's entry) but not `NEXT VALUE FOR`, whose number no rollback gives back; then request 2
 * (`creates.checkedCreate`) whose check fails by design (no key has -1 pending updates): it takes the key lock,
 * reads the pending updates under it and rolls back; its writes are compiled, not run. A T-SQL engine that prepares
 * a session on its first statements over each table (hundreds of milliseconds: BENCHMARKS.md) and compiles a
 * procedure once per session does so here, not in the first burst of new orders or of SberMarket's retries.
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
  const creates = createStatements(schema)
  await outsideTransaction(
    pool,
    budget,
    creates.probe(orders.duplicateInOneRequest(key, budget.lockWaitMs(), entry, at), {}, 'entry_request_id', false),
  )
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
    creates.checkedCreate(
      key,
      lockWaitMs,
      {},
      { key: { count: -1, maxId: -1 } },
      orders.duplicateInOneRequest(key, lockWaitMs, entry, at),
      writes.first,
    ),
  )
}
