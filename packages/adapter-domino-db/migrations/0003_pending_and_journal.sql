-- domino-sbermarket-hook, migration 0003: updates waiting for their order, and the journal of every request.

-- An event that arrived before its order.created (instances race). Kept as the raw request body; applied, in id
-- order, and deleted in the transaction that creates the order.
CREATE TABLE [{{schema}}].[pending_update] (
  id                 BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT [PK_pending_update] PRIMARY KEY CLUSTERED,
  original_order_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
  raw_body           NVARCHAR(MAX)     NOT NULL,
  received_at        DATETIMEOFFSET(3) NOT NULL,
  stored_at          DATETIMEOFFSET(3) NOT NULL
);
CREATE NONCLUSTERED INDEX [IX_pending_update_original_order_id] ON [{{schema}}].[pending_update] (original_order_id, id);
GO

-- Every authenticated request, with what became of it (spec §4): what support reads, what makes a request replayable.
CREATE TABLE [{{schema}}].[journal] (
  id                 BIGINT IDENTITY(1, 1) NOT NULL CONSTRAINT [PK_journal] PRIMARY KEY CLUSTERED,
  received_at        DATETIMEOFFSET(3) NOT NULL,
  -- As sent (order.created, order.canceled, ...); NULL when the body had none.
  event_type         NVARCHAR(100)  NULL,
  original_order_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NULL,
  -- The body exactly as received; NULL when it was refused unread (wrong content type, too large).
  raw_body           NVARCHAR(MAX)  NULL,
  outcome            NVARCHAR(16) COLLATE Latin1_General_100_BIN2 NOT NULL
    CONSTRAINT [CK_journal_outcome] CHECK (outcome IN (N'created', N'duplicate', N'applied', N'stale', N'pending', N'ignored', N'rejected', N'failed')),
  http_status        SMALLINT       NOT NULL CONSTRAINT [CK_journal_http_status] CHECK (http_status BETWEEN 100 AND 599),
  duration_ms        INT            NOT NULL CONSTRAINT [CK_journal_duration_ms] CHECK (duration_ms >= 0),
  detail             NVARCHAR(4000) NULL,
  stored_at          DATETIMEOFFSET(3) NOT NULL
);
CREATE NONCLUSTERED INDEX [IX_journal_original_order_id] ON [{{schema}}].[journal] (original_order_id, id);
CREATE NONCLUSTERED INDEX [IX_journal_received_at] ON [{{schema}}].[journal] (received_at);
GO
