-- domino-sbermarket-hook, migration 0008: a journal entry names the entry it replays; an order says when its
-- customer's personal data was erased.
-- See docs/domino-integration.md and the README's "Support" section.

-- `journal replay` runs a journaled body again as a request of its own (its own request id and entry); replay_of is
-- the id of the entry it came from, NULL for requests as SberMarket sent them. No foreign key: journal rows are only
-- inserted, never deleted. The filtered index finds the replays of an entry without touching the other rows.
ALTER TABLE [{{schema}}].[journal] ADD replay_of BIGINT NULL;
GO
CREATE NONCLUSTERED INDEX [IX_journal_replay_of] ON [{{schema}}].[journal] (replay_of)
  WHERE replay_of IS NOT NULL;
GO

-- When the order's personal data was erased (`personal-data erase`, or the retention policy's erasure of orders delivered
-- or cancelled long ago, RETENTION_PERSONAL_DATA_DAYS, which erases each order once); NULL while it is kept. The
-- filtered index holds the orders not erased yet, by status and age: the retention policy's candidates.
ALTER TABLE [{{schema}}].[order_header] ADD personal_data_erased_at DATETIMEOFFSET(3) NULL;
GO
CREATE NONCLUSTERED INDEX [IX_order_header_not_erased] ON [{{schema}}].[order_header] (status, updated_at)
  INCLUDE (original_order_id)
  WHERE personal_data_erased_at IS NULL;
GO
