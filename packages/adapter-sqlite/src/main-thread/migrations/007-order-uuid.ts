import type { Migration } from './migration.js'

/**
 * The order's `orderUUID` (the newer Kuper API's identifier, `"retailer-slug:<uuid>"`; docs/contract.md §3), kept as
 * sent, NULL when none was sent. When a payload has no `originalOrderId`, `orderUUID` is the key and
 * `original_order_id` holds the same text. 64 characters at most, as the key. The partial index finds an order by it;
 * not unique: an identifier SberMarket sends is never a reason to refuse an order.
 */
export const orderUuid: Migration = {
  version: 7,
  name: 'orders keep their orderUUID',
  sql: `
ALTER TABLE orders ADD COLUMN order_uuid TEXT CHECK (order_uuid IS NULL OR length(order_uuid) BETWEEN 1 AND 64);
CREATE INDEX orders_by_order_uuid ON orders (order_uuid) WHERE order_uuid IS NOT NULL;
`,
}
