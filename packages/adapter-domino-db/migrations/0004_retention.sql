-- domino-sbermarket-hook, migration 0004: the retention policy (personal data is not kept forever).
-- The journal's raw bodies are cleared after a while (the entries' facts stay); pending updates whose order never
-- came are deleted and journaled with the new outcome 'expired'.

ALTER TABLE [{{schema}}].[journal] DROP CONSTRAINT [CK_journal_outcome];
GO
ALTER TABLE [{{schema}}].[journal] ADD CONSTRAINT [CK_journal_outcome]
  CHECK (outcome IN (N'created', N'duplicate', N'applied', N'stale', N'pending', N'ignored', N'rejected', N'failed', N'expired'));
GO

-- Retention finds old pending updates by age.
CREATE NONCLUSTERED INDEX [IX_pending_update_received_at] ON [{{schema}}].[pending_update] (received_at);
GO

-- Retention finds the entries that still hold a body, oldest first, without rescanning the ever longer tail of
-- entries already cleared. A filtered index: like every filtered index, statements that write the journal need
-- ANSI_NULLS, ANSI_PADDING, ANSI_WARNINGS, ARITHABORT, CONCAT_NULL_YIELDS_NULL and QUOTED_IDENTIFIER ON and
-- NUMERIC_ROUNDABORT OFF (the driver's defaults; sqlcmd needs -I for QUOTED_IDENTIFIER).
CREATE NONCLUSTERED INDEX [IX_journal_body_received_at] ON [{{schema}}].[journal] (received_at) WHERE raw_body IS NOT NULL;
GO
