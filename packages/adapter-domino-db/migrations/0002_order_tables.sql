-- domino-sbermarket-hook, migration 0002: the «Заказ СМ» header, its lines and the numerator of Domino numbers.
-- Money is BIGINT kopecks (1 rouble = 100), quantities are BIGINT thousandths of a unit (2 pcs = 2000,
-- 0.455 kg = 455): exact integers, as the hook computes them. The computed DECIMAL columns show the same values in
-- roubles and units for Domino's readers; they are not stored.
-- Keys are compared exactly (binary collation): 'H123' and 'h123' are two orders, as SberMarket's ids are.

CREATE SEQUENCE [{{schema}}].[domino_number_seq]
  AS BIGINT
  START WITH 1
  INCREMENT BY 1
  MINVALUE 1
  NO CYCLE
  CACHE 50;
GO

CREATE TABLE [{{schema}}].[order_header] (
  id                            BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT [PK_order_header] PRIMARY KEY CLUSTERED,
  original_order_id             NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
  domino_number                 NVARCHAR(32) COLLATE Latin1_General_100_BIN2 NOT NULL,
  status                        NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL
    CONSTRAINT [CK_order_header_status] CHECK (status IN (N'new', N'paid', N'handed_to_courier', N'delivered', N'cancelled')),
  store_id                      NVARCHAR(100)  NULL,
  shipment_method               NVARCHAR(100)  NULL,
  replacement_policy            NVARCHAR(100)  NULL,
  comment                       NVARCHAR(MAX)  NULL,
  customer_name                 NVARCHAR(400)  NULL,
  customer_phone                NVARCHAR(100)  NULL,
  customer_email                NVARCHAR(320)  NULL,
  address_full                  NVARCHAR(1000) NULL,
  address_city                  NVARCHAR(200)  NULL,
  address_street                NVARCHAR(400)  NULL,
  address_building              NVARCHAR(100)  NULL,
  address_entrance              NVARCHAR(100)  NULL,
  address_floor                 NVARCHAR(100)  NULL,
  address_apartment             NVARCHAR(100)  NULL,
  address_door_phone            NVARCHAR(100)  NULL,
  address_lat                   NVARCHAR(50)   NULL,
  address_lon                   NVARCHAR(50)   NULL,
  address_delivery_to_door      BIT            NULL,
  -- ISO 8601 with offset, as SberMarket sent it.
  delivery_expected_from        NVARCHAR(64)   NULL,
  delivery_expected_to          NVARCHAR(64)   NULL,
  -- A JSON array of strings, e.g. ["card"]; never NULL (an empty array when none).
  payment_methods_json          NVARCHAR(MAX)  NOT NULL,
  total_price_kopecks           BIGINT         NULL CONSTRAINT [CK_order_header_total_price] CHECK (total_price_kopecks >= 0),
  discount_total_price_kopecks  BIGINT         NULL CONSTRAINT [CK_order_header_discount_total_price] CHECK (discount_total_price_kopecks >= 0),
  cancellation_slug             NVARCHAR(100)  NULL,
  cancellation_description      NVARCHAR(1000) NULL,
  -- The payload of the last order.created / order.changed exactly as sent (every field, known or not).
  payload_json                  NVARCHAR(MAX)  NOT NULL,
  created_at                    DATETIMEOFFSET(3) NOT NULL,
  updated_at                    DATETIMEOFFSET(3) NOT NULL,
  -- Changes on every insert and update of the row: Domino's jobs poll it for new and changed orders.
  row_version                   ROWVERSION     NOT NULL,
  total_price                   AS CONVERT(DECIMAL(19, 2), total_price_kopecks / 100.0),
  discount_total_price          AS CONVERT(DECIMAL(19, 2), discount_total_price_kopecks / 100.0)
);
GO

-- One order per key, enforced by the database even if several hook instances race (spec §4).
CREATE UNIQUE NONCLUSTERED INDEX [UX_order_header_original_order_id] ON [{{schema}}].[order_header] (original_order_id);
CREATE UNIQUE NONCLUSTERED INDEX [UX_order_header_domino_number] ON [{{schema}}].[order_header] (domino_number);
-- For Domino's readers: changes since a rowversion; orders by status and age.
CREATE NONCLUSTERED INDEX [IX_order_header_row_version] ON [{{schema}}].[order_header] (row_version);
CREATE NONCLUSTERED INDEX [IX_order_header_status_created_at] ON [{{schema}}].[order_header] (status, created_at);
GO

CREATE TABLE [{{schema}}].[order_line] (
  order_id                      BIGINT NOT NULL,
  -- 1, 2, 3... in the order of payload.positions.
  line_no                       INT NOT NULL CONSTRAINT [CK_order_line_line_no] CHECK (line_no >= 1),
  sku                           NVARCHAR(255)  NOT NULL,
  name                          NVARCHAR(1000) NULL,
  original_quantity_milli       BIGINT NULL CONSTRAINT [CK_order_line_original_quantity] CHECK (original_quantity_milli >= 0),
  quantity_milli                BIGINT NOT NULL CONSTRAINT [CK_order_line_quantity] CHECK (quantity_milli >= 0),
  price_kopecks                 BIGINT NOT NULL CONSTRAINT [CK_order_line_price] CHECK (price_kopecks >= 0),
  discount_price_kopecks        BIGINT NULL CONSTRAINT [CK_order_line_discount_price] CHECK (discount_price_kopecks >= 0),
  total_price_kopecks           BIGINT NULL CONSTRAINT [CK_order_line_total_price] CHECK (total_price_kopecks >= 0),
  total_discount_price_kopecks  BIGINT NULL CONSTRAINT [CK_order_line_total_discount_price] CHECK (total_discount_price_kopecks >= 0),
  -- Grams, as text exactly as sent.
  weight                        NVARCHAR(50)   NULL,
  replaced_by_sku               NVARCHAR(255)  NULL,
  quantity                      AS CONVERT(DECIMAL(19, 3), quantity_milli / 1000.0),
  original_quantity             AS CONVERT(DECIMAL(19, 3), original_quantity_milli / 1000.0),
  price                         AS CONVERT(DECIMAL(19, 2), price_kopecks / 100.0),
  discount_price                AS CONVERT(DECIMAL(19, 2), discount_price_kopecks / 100.0),
  total_price                   AS CONVERT(DECIMAL(19, 2), total_price_kopecks / 100.0),
  total_discount_price          AS CONVERT(DECIMAL(19, 2), total_discount_price_kopecks / 100.0),
  CONSTRAINT [PK_order_line] PRIMARY KEY CLUSTERED (order_id, line_no),
  -- Table-level form: the same constraint as the column-level one this file first had (see EQUIVALENT_CHECKSUMS).
  CONSTRAINT [FK_order_line_order_header] FOREIGN KEY (order_id) REFERENCES [{{schema}}].[order_header] (id)
);
GO
