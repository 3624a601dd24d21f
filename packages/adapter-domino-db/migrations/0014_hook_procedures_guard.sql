-- domino-sbermarket-hook, migration 0014: the connection guard as the first statement of the procedures the hook calls
-- as a whole request, so that such a request is the procedure's call alone.
-- See docs/domino-integration.md §5 (Clean connections) and the package README.
-- Every request the hook sends began with the guard of src/driver/requests.ts (`connectionGuard`: error 50001 when
-- @@TRANCOUNT is not what the request expects or XACT_ABORT is off), so that a pooled connection left with a
-- transaction open (a commit whose reply was lost, a cancel the server did not follow) or without XACT_ABORT is refused
-- (and, under XACT_ABORT, rolled back) before the request's statements run in it. A T-SQL engine that compiles every
-- statement of an sp_executesql text on every call paid for that statement on every call of a procedure
-- (BENCHMARKS.md). This release sends the calls of hook_read_for_update (an update's read), hook_status_write (a status
-- event's write) and hook_probe_create (request 1 of a create) without it: each procedure now opens with the same
-- statement, the same error number and message, checking @@TRANCOUNT 0 (the hook calls them only outside a
-- transaction). It is their first statement because inside a procedure @@OPTIONS shows the caller's SET options until
-- the procedure changes one (SET inside a procedure lasts until it returns): the SET NOCOUNT and SET XACT_ABORT that
-- follow come after the check. THROW under XACT_ABORT ON rolls back the open transaction, the caller's included, and
-- ends the batch (no error 266 then): what the text guard did. With XACT_ABORT OFF it ends the batch without a
-- rollback, as the text guard did too.
-- Each procedure is otherwise what it was (0011, 0012, 0013: test/unit/migrations.test.ts compares them). ALTER, not
-- DROP and CREATE: SQL Server keeps the procedure's permissions (the EXECUTE granted to the hook's role by 0011-0013)
-- and its object, so an instance of the previous release serving during the migration never meets a missing procedure
-- or a lost grant; it still sends its text guard before each call, which passes, then this one, which passes too.
-- hook_duplicate_create (0011) keeps no guard: the hook never sends its call alone. It is called by hook_probe_create
-- (whose guard ran first), inside request 2's own transaction (a new order whose copy won the race: @@TRANCOUNT 1
-- there, which a guard of 0 would refuse), and in the text of a create that may reach its order by orderUUID (whose
-- text guard runs first). A parameter saying which count to expect would change its signature for no caller.
ALTER PROCEDURE [{{schema}}].[hook_read_for_update]
  @original_order_id NVARCHAR(64),
  @request_id UNIQUEIDENTIFIER
AS
BEGIN
  IF @@TRANCOUNT <> 0 OR (@@OPTIONS & 16384) = 0
    THROW 50001, N'domino-sm: the pooled connection is not in the state this request expects', 1;
  SET NOCOUNT ON;
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
  FROM [{{schema}}].[journal] WHERE request_id = @request_id;
END;
GO

ALTER PROCEDURE [{{schema}}].[hook_status_write]
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
  IF @@TRANCOUNT <> 0 OR (@@OPTIONS & 16384) = 0
    THROW 50001, N'domino-sm: the pooled connection is not in the state this request expects', 1;
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

ALTER PROCEDURE [{{schema}}].[hook_probe_create]
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
  IF @@TRANCOUNT <> 0 OR (@@OPTIONS & 16384) = 0
    THROW 50001, N'domino-sm: the pooled connection is not in the state this request expects', 1;
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
