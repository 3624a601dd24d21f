-- domino-sbermarket-hook, migration 0012: the checked write of a status event as a stored procedure.
-- See docs/domino-integration.md §5 (an update in two round trips) and the package README.
-- An update's second request (src/sql/update-statements.ts, `checkedWrite`) was a text whose statements the T-SQL
-- engine compiles on every call; for a status event keyed by its originalOrderId alone on an order that exists (the
-- common case) it is now `EXEC` of this procedure, every value a typed parameter, compiled once per session (SQL
-- Server: once per server). The other shapes (an event that may reach its order by orderUUID, order.changed, review
-- clears, pending writes) still send the text.
-- hook_status_write does what the text did: in its own transaction, the key lock Exclusive (the text of
-- src/sql/key-lock.ts: same resource, same @DbPrincipal, same error numbers 50004 and 50003); then the check that the
-- order of the key is still the one read (@seen_order_id) at the row_version read (@seen_version) and, when the
-- request's entry is to be inserted (@journal_row NULL), that the request still has none. On a mismatch: the order as
-- it is now (header with its row_version, lines), the request's entry, read under the lock, then the transaction
-- ends with nothing written and a last row `version_conflict`: the recordsets the text answered, so that the adapter
-- decides again on them. On a match: when the status applies (@order_changes = 1) the four status columns
-- (STATUS_COLUMNS) and one change row per registered consumer (what `recordChange` of src/sql/change-statements.ts
-- writes, kind `status`), then the request's one entry (inserted, or entry @journal_row rewritten: the columns
-- `rewriteEntry` rewrites), its id selected as `journal_id`, and COMMIT.
-- The transaction begins and ends inside the procedure: the conflict ends it with COMMIT, not ROLLBACK (nothing is
-- written before the check), so @@TRANCOUNT leaves as it came even inside a caller's transaction (no error 266).
-- XACT_ABORT ON (restored to the caller's setting when the procedure returns): any error (the lock refused, a
-- deadlock, a duplicate key) rolls the whole transaction back and ends the call.
-- The columns read and written are the adapter's (HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS, JOURNAL_SELECT_COLUMNS,
-- JOURNAL_COLUMNS, JOURNAL_REWRITE_COLUMNS, STATUS_COLUMNS: test/unit/migrations.test.ts compares them); a release that
-- reads or writes another column ships a migration that alters this procedure.
-- No EXECUTE AS: it runs as its caller, whose membership of the hook's role sp_getapplock checks. The procedure and
-- the tables have one owner, so SQL Server checks only EXECUTE on it (ownership chaining).
CREATE PROCEDURE [{{schema}}].[hook_status_write]
  @original_order_id NVARCHAR(64),
  @lock_wait_ms INT,
  @seen_order_id BIGINT,
  @seen_version VARBINARY(8),
  @order_changes BIT,
  @status NVARCHAR(20),
  @cancellation_slug NVARCHAR(100),
  @cancellation_description NVARCHAR(1000),
  @updated_at DATETIMEOFFSET(3),
  @change_number NVARCHAR(32),
  @change_at DATETIMEOFFSET(3),
  @journal_row BIGINT,
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
  @entry_replay_of BIGINT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;
  BEGIN TRANSACTION;
  DECLARE @lock_resource NVARCHAR(255) = N'domino-sm:order:{{schema}}:' + @original_order_id;
  DECLARE @lock INT;
  EXEC @lock = sp_getapplock @Resource = @lock_resource, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms, @DbPrincipal = N'{{schema}}_hook';
  IF @lock = -3
    THROW 50004, N'domino-sm: the order key lock was refused to a deadlock victim', 1;
  IF @lock < 0
    THROW 50003, N'domino-sm: the order key stayed locked by another operation longer than the budget allows', 1;
  IF NOT EXISTS (SELECT 1 FROM [{{schema}}].[order_header] WHERE original_order_id = @original_order_id AND id = @seen_order_id AND row_version = @seen_version)
    OR (@journal_row IS NULL AND EXISTS (SELECT 1 FROM [{{schema}}].[journal] WHERE request_id = @entry_request_id))
  BEGIN
    SELECT h.id, h.original_order_id, h.domino_number, h.status, h.store_id, h.shipment_method, h.replacement_policy,
      h.comment, h.customer_name, h.customer_phone, h.customer_email, h.address_full, h.address_city, h.address_street,
      h.address_building, h.address_entrance, h.address_floor, h.address_apartment, h.address_door_phone, h.address_lat,
      h.address_lon, h.address_delivery_to_door, h.delivery_expected_from, h.delivery_expected_to,
      h.payment_methods_json, h.total_price_kopecks, h.discount_total_price_kopecks, h.cancellation_slug,
      h.cancellation_description, h.payload_json, h.created_at, h.updated_at, h.review_reasons_json, h.review_marked_at,
      h.review_unapplied_change_json, h.order_uuid, h.row_version
    FROM [{{schema}}].[order_header] AS h WHERE h.original_order_id = @original_order_id;
    SELECT l.line_no, l.sku, l.name, l.original_quantity_milli, l.quantity_milli, l.price_kopecks,
      l.discount_price_kopecks, l.total_price_kopecks, l.total_discount_price_kopecks, l.weight, l.replaced_by_sku,
      l.marking_codes_json
    FROM [{{schema}}].[order_line] AS l INNER JOIN [{{schema}}].[order_header] AS h ON h.id = l.order_id
    WHERE h.original_order_id = @original_order_id ORDER BY l.line_no;
    SELECT id, request_id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms,
      detail, replay_of
    FROM [{{schema}}].[journal] WHERE request_id = @entry_request_id;
    COMMIT TRANSACTION;
    SELECT CAST(1 AS BIT) AS version_conflict;
    RETURN;
  END;
  IF @order_changes = 1
  BEGIN
    UPDATE [{{schema}}].[order_header] SET status = @status, cancellation_slug = @cancellation_slug,
      cancellation_description = @cancellation_description, updated_at = @updated_at
    WHERE id = @seen_order_id;
    INSERT INTO [{{schema}}].[order_change] (consumer_id, original_order_id, domino_number, change_kind, status, changed_at)
    SELECT c.consumer_id, @original_order_id, @change_number, N'status', @status, @change_at
    FROM [{{schema}}].[change_consumer] AS c WITH (REPEATABLEREAD);
    INSERT INTO [{{schema}}].[order_change_key] (consumer_id, original_order_id)
    SELECT c.consumer_id, @original_order_id FROM [{{schema}}].[change_consumer] AS c WITH (REPEATABLEREAD)
    WHERE NOT EXISTS (SELECT 1 FROM [{{schema}}].[order_change_key] AS k WHERE k.consumer_id = c.consumer_id AND k.original_order_id = @original_order_id);
  END;
  IF @journal_row IS NULL
  BEGIN
    INSERT INTO [{{schema}}].[journal] (request_id, received_at, event_type, original_order_id, raw_body, outcome,
      http_status, duration_ms, detail, stored_at, replay_of)
    VALUES (@entry_request_id, @entry_received_at, @entry_event_type, @entry_original_order_id, @entry_raw_body,
      @entry_outcome, @entry_http_status, @entry_duration_ms, @entry_detail, @entry_stored_at, @entry_replay_of);
    SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS journal_id;
  END
  ELSE
  BEGIN
    UPDATE [{{schema}}].[journal] SET event_type = @entry_event_type, original_order_id = @entry_original_order_id,
      raw_body = @entry_raw_body, outcome = @entry_outcome, http_status = @entry_http_status,
      duration_ms = @entry_duration_ms, detail = @entry_detail
    WHERE id = @journal_row;
    SELECT @journal_row AS journal_id;
  END;
  COMMIT TRANSACTION;
END;
GO

-- The hook's role may run it: EXECUTE on this procedure and nothing else new (its rights on the tables stay what
-- `grants` prints). Granted here, by the migration that creates it, so that a schema migrated for this release serves
-- it at once; `grants` prints the same line, for a role made anew.
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_status_write] TO [{{schema}}_hook];
GO
