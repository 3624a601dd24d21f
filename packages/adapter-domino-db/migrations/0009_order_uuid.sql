-- domino-sbermarket-hook, migration 0009: the order's orderUUID, the newer Kuper API's identifier of an order
-- ("retailer-slug:<uuid>"). See docs/contract.md §3-§4 and docs/domino-integration.md §1.

-- Kept as sent, NULL when SberMarket did not send one. When a payload has no originalOrderId, orderUUID is the order's
-- key, and original_order_id holds the same text. 64 characters, as original_order_id: "retailer-slug:" and the
-- 36-character UUID fit for slugs of up to 27 characters. Additive: existing rows read NULL.
ALTER TABLE [{{schema}}].[order_header] ADD order_uuid NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL;
GO

-- Support and Domino's jobs find an order by its orderUUID without scanning. Not unique: an identifier SberMarket
-- sends is kept, never a reason to refuse an order. A filtered index: statements that write order_header need the
-- SET options migration 0004 lists (the driver's defaults).
CREATE NONCLUSTERED INDEX [IX_order_header_order_uuid] ON [{{schema}}].[order_header] (order_uuid)
  INCLUDE (original_order_id)
  WHERE order_uuid IS NOT NULL;
GO
