-- domino-sbermarket-hook, migration 0015: a status event's read of the order's state alone, as a stored procedure.
-- See docs/domino-integration.md §5 (an update in two round trips) and the package README.
-- Request 1 of a status event keyed by its originalOrderId alone was the call of hook_read_for_update (0011), which
-- answers the whole order: its ~35 header columns, payload_json (the payload as sent, 1-2 KB) and the JSON columns
-- among them, and its lines. Core decides a status event on the order's state alone (`decideStatus`: the status; its
-- journal entry reads the review mark, its change row the key, number and status), so this procedure reads only that:
-- the header's state columns (HEADER_STATE_COLUMNS of src/rows/order-state-mapping.ts: test/unit/migrations.test.ts
-- compares them) with the row_version the write checks (hook_status_write, 0012: on a conflict that procedure answers
-- the whole order, from which the adapter takes the state again), then the request's journal entry if the edge wrote
-- one (JOURNAL_SELECT_COLUMNS: the entry is rewritten from it). No lines. In autocommit, locking nothing: what it
-- reads may change before the write, which checks it under the key lock.
-- Every other update (an event that may reach its order by orderUUID, order.changed, review clears) still reads the
-- whole order (hook_read_for_update, or its text).
-- Its first statement is the connection guard of src/driver/requests.ts (error 50001, the same message; @@TRANCOUNT 0:
-- the hook calls it only outside a transaction), before SET NOCOUNT (inside a procedure @@OPTIONS shows the caller's
-- SET options until the procedure changes one), as migration 0014 gives the hook's other procedures, so that its call
-- may be sent without the text guard.
-- No EXECUTE AS: it runs as its caller. The procedure and the tables have one owner, so SQL Server checks only
-- EXECUTE on it (ownership chaining).
CREATE PROCEDURE [{{schema}}].[hook_read_state_for_update]
  @original_order_id NVARCHAR(64),
  @request_id UNIQUEIDENTIFIER
AS
BEGIN
  IF @@TRANCOUNT <> 0 OR (@@OPTIONS & 16384) = 0
    THROW 50001, N'domino-sm: the pooled connection is not in the state this request expects', 1;
  SET NOCOUNT ON;
  SELECT h.id, h.original_order_id, h.domino_number, h.status, h.cancellation_slug, h.cancellation_description,
    h.created_at, h.updated_at, h.review_reasons_json, h.review_marked_at, h.review_unapplied_change_json,
    h.row_version
  FROM [{{schema}}].[order_header] AS h WHERE h.original_order_id = @original_order_id;
  SELECT id, request_id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms,
    detail, replay_of
  FROM [{{schema}}].[journal] WHERE request_id = @request_id;
END;
GO

-- The hook's role may run it: EXECUTE on this procedure and nothing else new (its rights on the tables stay what
-- `grants` prints). Granted here, by the migration that creates it, so that a schema migrated for this release serves
-- it at once; `grants` prints the same line, for a role made anew.
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_read_state_for_update] TO [{{schema}}_hook];
GO
