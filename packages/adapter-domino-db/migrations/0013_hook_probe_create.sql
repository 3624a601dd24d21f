-- domino-sbermarket-hook, migration 0013: request 1 of a create as a stored procedure.
-- See docs/domino-integration.md §5 (a new order in two round trips) and the package README.
-- Request 1 of an order.created (src/sql/create-statements.ts, `probe`) was the call of hook_duplicate_create (0011)
-- followed by a text statement, `IF NOT EXISTS (...) EXEC sp_executesql N'<the new order's reads>'`: a T-SQL engine
-- that compiles every statement of a text on every call paid for that statement on every repeated order.created
-- (SberMarket's retry, whose whole cost is request 1). For a create keyed by its originalOrderId, with or without an
-- orderUUID whose pending updates it consumes (the common shapes), request 1 is now `EXEC` of this procedure, every
-- value a typed parameter, compiled once per session (SQL Server: once per server). A create that may reach its
-- order by orderUUID under another key still sends the text.
-- hook_probe_create does what the text did, in the same order, answering the same recordsets:
-- 1. the call of hook_duplicate_create with the same values: the duplicate path is that procedure's, one definition
--    (its recordsets: the order's header and lines and the entry's journal_id when it journaled a duplicate; always a
--    row `duplicate`);
-- 2. only when no order has the key (the call changed nothing), the reads of a new order in autocommit, locking
--    nothing: the pending updates of the key and of @pending_uuid (NULL: the key's alone; `IN (@k, NULL)` matches
--    what `= @k` matches), oldest first, with their key; the request's journal entry if the edge wrote one; and
--    `next_number`, a new number from the sequence unless an order of the key appeared meanwhile (a number drawn and
--    not used is lost: numbers may have gaps). @draw_number 0 reads the same and draws none (next_number NULL):
--    serve's warm-up compiles the procedure on each session with it, writing nothing and drawing nothing.
-- What it reads may change before the write (request 2), which checks it under the key lock.
-- The columns read are the adapter's (the pending read of `probe`, JOURNAL_SELECT_COLUMNS: test/unit/migrations.test.ts
-- compares them); a release that reads another column ships a migration that alters this procedure.
-- No EXECUTE AS: it runs as its caller, whose membership of the hook's role sp_getapplock (in hook_duplicate_create)
-- checks. The procedures and the tables have one owner, so SQL Server checks only EXECUTE on this one (ownership
-- chaining).
CREATE PROCEDURE [{{schema}}].[hook_probe_create]
  @original_order_id NVARCHAR(64),
  @lock_wait_ms INT,
  @entry_request_id UNIQUEIDENTIFIER,
  @entry_received_at DATETIMEOFFSET(3),
  @entry_event_type NVARCHAR(100),
  @entry_original_order_id NVARCHAR(64),
  @entry_raw_body NVARCHAR(MAX),
  @entry_outcome NVARCHAR(16),
  @entry_http_status SMALLINT,
  @entry_duration_ms INT,
  @entry_detail NVARCHAR(4000),
  @entry_stored_at DATETIMEOFFSET(3),
  @entry_replay_of BIGINT,
  @pending_uuid NVARCHAR(64),
  @draw_number BIT
AS
BEGIN
  SET NOCOUNT ON;
  -- As in hook_duplicate_create: any error ends the call (the hook's connections run with XACT_ABORT ON too).
  SET XACT_ABORT ON;
  EXEC [{{schema}}].[hook_duplicate_create] @original_order_id = @original_order_id, @lock_wait_ms = @lock_wait_ms, @entry_request_id = @entry_request_id, @entry_received_at = @entry_received_at, @entry_event_type = @entry_event_type, @entry_original_order_id = @entry_original_order_id, @entry_raw_body = @entry_raw_body, @entry_outcome = @entry_outcome, @entry_http_status = @entry_http_status, @entry_duration_ms = @entry_duration_ms, @entry_detail = @entry_detail, @entry_stored_at = @entry_stored_at, @entry_replay_of = @entry_replay_of;
  IF NOT EXISTS (SELECT 1 FROM [{{schema}}].[order_header] WHERE original_order_id = @original_order_id)
  BEGIN
    SELECT p.id, p.original_order_id, p.raw_body, p.received_at FROM [{{schema}}].[pending_update] AS p WHERE p.original_order_id IN (@original_order_id, @pending_uuid) ORDER BY p.id;
    SELECT id, request_id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms,
      detail, replay_of
    FROM [{{schema}}].[journal] WHERE request_id = @entry_request_id;
    DECLARE @next_number BIGINT = NULL;
    IF @draw_number = 1 AND NOT EXISTS (SELECT 1 FROM [{{schema}}].[order_header] WHERE original_order_id = @original_order_id)
      SELECT @next_number = NEXT VALUE FOR [{{schema}}].[domino_number_seq];
    SELECT @next_number AS next_number;
  END;
END;
GO

-- The hook's role may run it: EXECUTE on this procedure and nothing else new (its rights on the tables stay what
-- `grants` prints). Granted here, by the migration that creates it, so that a schema migrated for this release serves
-- it at once; `grants` prints the same line, for a role made anew.
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_probe_create] TO [{{schema}}_hook];
GO
