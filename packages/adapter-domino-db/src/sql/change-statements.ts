import mssql from 'mssql'
import { MAX_ORDER_ID_LENGTH, type Order, type OrderUpdate } from '@domino-sm/core'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import type { SqlStatement } from './sql-statement.js'

/**
 * What a change did to an order, as the change queue says it (`order_change.change_kind`, migration 0007):
 * created; changed (an order.changed applied); status (a status applied); review_marked (a change the hook could not
 * read marked the order); review_cleared (support cleared the mark); erased (the order's personal data erased).
 */
export type ChangeKind = 'created' | 'changed' | 'status' | 'review_marked' | 'review_cleared' | 'erased'

/** The kind of change of an update that changed its order (`changesOrder` of core: applied, or review). */
export const changeKindOf = (update: OrderUpdate): ChangeKind => {
  switch (update._tag) {
    case 'OrderChanged':
      return 'changed'
    case 'ChangeUnreadable':
      return 'review_marked'
    case 'ReviewCleared':
      return 'review_cleared'
    case 'StatusReported':
      return 'status'
  }
}

/** The longest consumer name (`change_consumer.name`). */
export const MAX_CONSUMER_NAME_LENGTH = 64

/** The T-SQL of the change queue, on the hook's side. */
export const changeStatements = (schema: SchemaName) => {
  const change = qualified(schema, 'order_change')
  const consumer = qualified(schema, 'change_consumer')
  const changeKey = qualified(schema, 'order_change_key')
  return {
    /**
     * One change row of `order`, after the change, per registered consumer: one INSERT ... SELECT, sent in the same
     * request as the order's own writes, so it commits or rolls back with them (no round trip of its own). Every
     * operation that changes an order adds it under the key lock, so the rows of one key are in commit order.
     * The consumers are read WITH (REPEATABLEREAD): their rows stay share-locked until this transaction ends, so
     * `change-queue remove-consumer` (which deletes a consumer, then its rows) waits for a change in flight instead of
     * leaving its row behind for a consumer that is gone. Shared locks: hook transactions never wait for each other
     * here. With the key's first change, the key's row per consumer (order_change_key, which take_order_changes locks
     * to hold a key); under the key lock no other writer of the key races for it, and a consumer only U-locks it,
     * which this read (S) passes. Parameter names are the statement's own (ch_*), so it shares a request with any of
     * the order's writes.
     * For every writer of order changes, the erasure of personal data included (kind `erased`).
     */
    recordChange: (
      order: Pick<Order, 'originalOrderId' | 'number' | 'status'>,
      kind: ChangeKind,
      changedAt: Date,
    ): SqlStatement => ({
      text: `INSERT INTO ${change} (consumer_id, original_order_id, domino_number, change_kind, status, changed_at)
SELECT c.consumer_id, @ch_key, @ch_number, @ch_kind, @ch_status, @ch_at FROM ${consumer} AS c WITH (REPEATABLEREAD);
INSERT INTO ${changeKey} (consumer_id, original_order_id)
SELECT c.consumer_id, @ch_key FROM ${consumer} AS c WITH (REPEATABLEREAD)
WHERE NOT EXISTS (SELECT 1 FROM ${changeKey} AS k WHERE k.consumer_id = c.consumer_id AND k.original_order_id = @ch_key);`,
      params: [
        { name: 'ch_key', type: mssql.NVarChar(MAX_ORDER_ID_LENGTH), value: order.originalOrderId },
        { name: 'ch_number', type: mssql.NVarChar(32), value: order.number },
        { name: 'ch_kind', type: mssql.NVarChar(20), value: kind },
        { name: 'ch_status', type: mssql.NVarChar(20), value: order.status },
        { name: 'ch_at', type: mssql.DateTimeOffset(3), value: changedAt },
      ],
    }),

    /**
     * Each consumer's queue depth and its oldest change waiting (NULL when empty), for `stats`. READPAST: rows a
     * consumer has taken in a transaction still open, and changes of hook transactions not yet committed, are not
     * counted and not waited for (monitoring never waits for a consumer's transaction).
     */
    queueDepths: (): SqlStatement => ({
      text: `SELECT c.name, COUNT_BIG(q.change_id) AS depth, MIN(q.changed_at) AS oldest
FROM ${consumer} AS c LEFT JOIN ${change} AS q WITH (READPAST) ON q.consumer_id = c.consumer_id
GROUP BY c.consumer_id, c.name ORDER BY c.name;`,
      params: [],
    }),
  }
}

export type ChangeStatements = ReturnType<typeof changeStatements>
