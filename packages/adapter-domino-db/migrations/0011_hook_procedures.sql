-- domino-sbermarket-hook, migration 0011: two of the hook's fixed-shape requests as stored procedures.
-- See docs/domino-integration.md §1 (the objects and the grants) and the package README (upgrading).
-- SberMarket's retries of one order.created (a duplicate) are answered in one request: until this version its text was
-- sent on every call as a parameterised sp_executesql batch; now that request is `EXEC` of this procedure, with the
-- same values as typed parameters. A procedure's statements are compiled once per server (or, on a T-SQL engine that
-- keeps no plan of an sp_executesql text, once per session) instead of on every call.
-- hook_duplicate_create: what it does is what the text did (src/sql/order-statements.ts, `duplicateInOneRequest`): when the order of the key
-- exists and the request has no journal entry yet, in its own transaction: the key lock Shared (the text of
-- src/sql/key-lock.ts: same resource, same @DbPrincipal, same error numbers 50004 and 50003), the order's header and
-- lines, the duplicate's journal entry and its id; otherwise nothing. Always last a row with `duplicate` (1 or 0).
-- The recordsets' columns are the adapter's (HEADER_SELECT_COLUMNS, LINE_SELECT_COLUMNS, JOURNAL_COLUMNS: a unit test
-- compares them); a release that reads another column ships a migration that alters this procedure.
-- No EXECUTE AS: it runs as its caller, whose membership of the hook's role sp_getapplock checks. The procedure and
-- the tables have one owner, so SQL Server checks only EXECUTE on it (ownership chaining).
CREATE PROCEDURE [{{schema}}].[hook_duplicate_create]
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
  @entry_replay_of BIGINT
AS
BEGIN
  SET NOCOUNT ON;
  -- Any error (the lock refused, a deadlock, a duplicate key on the entry) rolls back and ends the call, as it did in
  -- the text (the hook's connections run with XACT_ABORT ON; set here too, for any other caller).
  SET XACT_ABORT ON;
  DECLARE @duplicate BIT = 0;
  BEGIN TRANSACTION;
  IF EXISTS (SELECT 1 FROM [{{schema}}].[order_header] WHERE original_order_id = @original_order_id)
    AND NOT EXISTS (SELECT 1 FROM [{{schema}}].[journal] WHERE request_id = @entry_request_id)
  BEGIN
    SET @duplicate = 1;
    DECLARE @lock_resource NVARCHAR(255) = N'domino-sm:order:{{schema}}:' + @original_order_id;
    DECLARE @lock INT;
    EXEC @lock = sp_getapplock @Resource = @lock_resource, @LockMode = N'Shared', @LockOwner = N'Transaction', @LockTimeout = @lock_wait_ms, @DbPrincipal = N'{{schema}}_hook';
    IF @lock = -3
      THROW 50004, N'domino-sm: the order key lock was refused to a deadlock victim', 1;
    IF @lock < 0
      THROW 50003, N'domino-sm: the order key stayed locked by another operation longer than the budget allows', 1;
    SELECT h.id, h.original_order_id, h.domino_number, h.status, h.store_id, h.shipment_method, h.replacement_policy,
      h.comment, h.customer_name, h.customer_phone, h.customer_email, h.address_full, h.address_city, h.address_street,
      h.address_building, h.address_entrance, h.address_floor, h.address_apartment, h.address_door_phone, h.address_lat,
      h.address_lon, h.address_delivery_to_door, h.delivery_expected_from, h.delivery_expected_to,
      h.payment_methods_json, h.total_price_kopecks, h.discount_total_price_kopecks, h.cancellation_slug,
      h.cancellation_description, h.payload_json, h.created_at, h.updated_at, h.review_reasons_json, h.review_marked_at,
      h.review_unapplied_change_json, h.order_uuid
    FROM [{{schema}}].[order_header] AS h WHERE h.original_order_id = @original_order_id;
    SELECT l.line_no, l.sku, l.name, l.original_quantity_milli, l.quantity_milli, l.price_kopecks,
      l.discount_price_kopecks, l.total_price_kopecks, l.total_discount_price_kopecks, l.weight, l.replaced_by_sku,
      l.marking_codes_json
    FROM [{{schema}}].[order_line] AS l INNER JOIN [{{schema}}].[order_header] AS h ON h.id = l.order_id
    WHERE h.original_order_id = @original_order_id ORDER BY l.line_no;
    INSERT INTO [{{schema}}].[journal] (request_id, received_at, event_type, original_order_id, raw_body, outcome,
      http_status, duration_ms, detail, stored_at, replay_of)
    VALUES (@entry_request_id, @entry_received_at, @entry_event_type, @entry_original_order_id, @entry_raw_body,
      @entry_outcome, @entry_http_status, @entry_duration_ms, @entry_detail, @entry_stored_at, @entry_replay_of);
    SELECT CAST(SCOPE_IDENTITY() AS BIGINT) AS journal_id;
  END;
  COMMIT TRANSACTION;
  SELECT @duplicate AS duplicate;
END;
GO

-- An update's read (status events, order.changed, review clears) of an event keyed by its originalOrderId alone (the
-- common case; an event that may reach its order by orderUUID still sends its text): what the text of
-- src/sql/update-statements.ts (`readForUpdate`) read, in autocommit and locking nothing: the order's header with its
-- row_version, its lines, then the request's journal entry if the edge wrote one. What it reads may change before the
-- update's write, which checks it under the key lock.
CREATE PROCEDURE [{{schema}}].[hook_read_for_update]
  @original_order_id NVARCHAR(64),
  @request_id UNIQUEIDENTIFIER
AS
BEGIN
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

-- The hook's role may run them: EXECUTE on these two procedures and nothing else new (its rights on the tables stay
-- what `grants` prints). Granted here, by the migration that creates them, so that a schema migrated for this release
-- serves them at once; `grants` prints the same lines, for a role made anew.
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_duplicate_create] TO [{{schema}}_hook];
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_read_for_update] TO [{{schema}}_hook];
GO
