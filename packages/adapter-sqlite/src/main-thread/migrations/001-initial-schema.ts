import type { Migration } from './migration.js'

/**
 * The first schema: orders with their lines, the number counter, the updates pending for orders not yet created,
 * and the journal. STRICT tables so that a wrong type is an error, not a silently converted value.
 * Money is INTEGER kopecks, quantities INTEGER thousandths, times ISO 8601 UTC text with milliseconds.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
CREATE TABLE order_number_counter (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  last_value INTEGER NOT NULL CHECK (last_value >= 0)
) STRICT;
INSERT INTO order_number_counter (id, last_value) VALUES (1, 0);

CREATE TABLE orders (
  id                           INTEGER PRIMARY KEY,
  original_order_id            TEXT NOT NULL CHECK (length(original_order_id) BETWEEN 1 AND 64),
  number                       TEXT NOT NULL,
  status                       TEXT NOT NULL CHECK (status IN ('new', 'paid', 'handed_to_courier', 'delivered', 'cancelled')),
  store_id                     TEXT,
  shipment_method              TEXT,
  replacement_policy           TEXT,
  comment                      TEXT,
  customer_name                TEXT,
  customer_phone               TEXT,
  customer_email               TEXT,
  address_full                 TEXT,
  address_city                 TEXT,
  address_street               TEXT,
  address_building             TEXT,
  address_entrance             TEXT,
  address_floor                TEXT,
  address_apartment            TEXT,
  address_door_phone           TEXT,
  address_lat                  TEXT,
  address_lon                  TEXT,
  address_delivery_to_door     INTEGER CHECK (address_delivery_to_door IN (0, 1)),
  delivery_expected_from       TEXT,
  delivery_expected_to         TEXT,
  payment_methods_json         TEXT NOT NULL CHECK (json_valid(payment_methods_json)),
  total_price_kopecks          INTEGER,
  discount_total_price_kopecks INTEGER,
  cancellation_slug            TEXT,
  cancellation_description     TEXT,
  payload_json                 TEXT NOT NULL,
  created_at                   TEXT NOT NULL,
  updated_at                   TEXT NOT NULL,
  CONSTRAINT orders_original_order_id_key UNIQUE (original_order_id),
  CONSTRAINT orders_number_key UNIQUE (number)
) STRICT;

CREATE TABLE order_lines (
  order_id                      INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
  line_no                       INTEGER NOT NULL CHECK (line_no >= 1),
  sku                           TEXT NOT NULL,
  name                          TEXT,
  original_quantity_thousandths INTEGER,
  quantity_thousandths          INTEGER NOT NULL,
  price_kopecks                 INTEGER NOT NULL,
  discount_price_kopecks        INTEGER,
  total_price_kopecks           INTEGER,
  total_discount_price_kopecks  INTEGER,
  weight                        TEXT,
  replaced_by_sku               TEXT,
  PRIMARY KEY (order_id, line_no)
) STRICT;

-- AUTOINCREMENT: ids never reused, so id order is the order received even after deletions.
CREATE TABLE pending_updates (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  original_order_id TEXT NOT NULL,
  raw_body          TEXT NOT NULL,
  received_at       TEXT NOT NULL,
  stored_at         TEXT NOT NULL
) STRICT;
CREATE INDEX pending_updates_by_order ON pending_updates (original_order_id, id);

CREATE TABLE journal (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  received_at       TEXT NOT NULL,
  event_type        TEXT,
  original_order_id TEXT,
  raw_body          TEXT,
  outcome           TEXT NOT NULL
    CHECK (outcome IN ('created', 'duplicate', 'applied', 'stale', 'pending', 'ignored', 'rejected', 'failed')),
  http_status       INTEGER NOT NULL CHECK (http_status BETWEEN 100 AND 599),
  duration_ms       REAL NOT NULL,
  detail            TEXT,
  stored_at         TEXT NOT NULL
) STRICT;
CREATE INDEX journal_by_order ON journal (original_order_id, id);
`,
}
