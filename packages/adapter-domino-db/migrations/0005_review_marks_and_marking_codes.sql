-- domino-sbermarket-hook, migration 0005: orders the hook could not read whole are created FOR REVIEW, and lines keep
-- their marking codes («Честный знак»). See docs/contract.md §2-§4 and docs/domino-integration.md §1.

-- The review mark: why a person must look at the order (the reasons, a JSON array of strings), since when, and the
-- payload of an order.changed that could not be read and was therefore not applied. All NULL when unmarked.
-- One column per ALTER TABLE: the same in SQL Server as one ADD with a list, and the form every T-SQL engine takes.
ALTER TABLE [{{schema}}].[order_header] ADD review_reasons_json NVARCHAR(MAX) NULL;
ALTER TABLE [{{schema}}].[order_header] ADD review_marked_at DATETIMEOFFSET(3) NULL;
ALTER TABLE [{{schema}}].[order_header] ADD review_unapplied_change_json NVARCHAR(MAX) NULL;
GO

-- What Domino's jobs test to hold a marked order back: WHERE needs_review = 0.
ALTER TABLE [{{schema}}].[order_header] ADD needs_review AS CAST(CASE WHEN review_marked_at IS NULL THEN 0 ELSE 1 END AS BIT);
GO

-- The marked orders, oldest first, for support and for monitoring, without scanning the unmarked ones. A filtered
-- index: statements that write order_header need the SET options migration 0004 lists (the driver's defaults).
CREATE NONCLUSTERED INDEX [IX_order_header_for_review] ON [{{schema}}].[order_header] (review_marked_at)
  INCLUDE (original_order_id, domino_number, status)
  WHERE review_marked_at IS NOT NULL;
GO

-- The marking codes of a line, exactly as sent, as a JSON array of strings; NULL when the line has none.
ALTER TABLE [{{schema}}].[order_line] ADD marking_codes_json NVARCHAR(MAX) NULL;
GO

-- The journal's outcome 'review': an order.changed that could not be read; nothing applied, the order marked.
ALTER TABLE [{{schema}}].[journal] DROP CONSTRAINT [CK_journal_outcome];
GO
ALTER TABLE [{{schema}}].[journal] ADD CONSTRAINT [CK_journal_outcome]
  CHECK (outcome IN (N'created', N'duplicate', N'applied', N'stale', N'pending', N'review', N'ignored', N'rejected', N'failed', N'expired'));
GO
