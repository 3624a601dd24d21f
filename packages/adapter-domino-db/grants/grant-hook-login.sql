-- domino-sbermarket-hook: the rights of the hook's login, and nothing more.
-- Run by an administrator in the Domino database AFTER `domino-sbermarket-hook migrate`, for example:
--   sqlcmd -S host,1433 -d Domino -U admin -i grant-hook-login.sql   (after replacing the placeholders)
-- The schema (default sm) and the database user (default SberMarketOrdersHook) are filled in by `domino-sbermarket-hook grants`. The login itself is a
-- server object the DBA creates first:  CREATE LOGIN [SberMarketOrdersHook] WITH PASSWORD = N'...';
-- No DDL right is granted: the `serve` process can read and write these rows, never change the schema.
-- The rights go to the hook's database role [{{schema}}_hook] (created by migration 0006), and the user is made its
-- member: the role is also the @DbPrincipal of the per-order key lock, so only its members (and dbo) can take it.

IF DATABASE_PRINCIPAL_ID(N'{{hook_user}}') IS NULL
  CREATE USER [{{hook_user}}] FOR LOGIN [{{hook_user}}] WITH DEFAULT_SCHEMA = [{{schema}}];
GO
ALTER ROLE [{{schema}}_hook] ADD MEMBER [{{hook_user}}];
GO

-- createOrGet / applyUpdate / findOrder: read under the key lock, insert the order, rewrite it on order.changed and
-- status events. Never deleted.
GRANT SELECT, INSERT, UPDATE ON OBJECT::[{{schema}}].[order_header] TO [{{schema}}_hook];
-- Lines are inserted with their order and replaced (deleted and inserted) on order.changed; never updated in place.
GRANT SELECT, INSERT, DELETE ON OBJECT::[{{schema}}].[order_line] TO [{{schema}}_hook];
-- Pending updates are inserted for an unknown order, deleted when it is created, and deleted (expired) by retention.
GRANT SELECT, INSERT, DELETE ON OBJECT::[{{schema}}].[pending_update] TO [{{schema}}_hook];
-- `personal-data erase` rewrites a pending update's body without the customer's data (nothing else of it changes).
GRANT UPDATE ([raw_body]) ON OBJECT::[{{schema}}].[pending_update] TO [{{schema}}_hook];
-- The journal: entries are inserted, never deleted. A request's one entry is rewritten when a second writer of the
-- same request id comes (the store's commit after the hook answered 503, or the reverse): its facts, what was
-- answered and the time taken. The body is also cleared by retention (raw_body = NULL). The id, the request id, when
-- it was received and when it was stored never change.
GRANT SELECT, INSERT ON OBJECT::[{{schema}}].[journal] TO [{{schema}}_hook];
GRANT UPDATE ([event_type], [original_order_id], [raw_body], [outcome], [http_status], [duration_ms], [detail]) ON OBJECT::[{{schema}}].[journal] TO [{{schema}}_hook];
-- The change queue (migration 0007): every operation that changes an order inserts one change row per consumer,
-- reading the consumer table; `stats` counts each queue. Changes are never updated or deleted by the hook (retention
-- included): only their consumer takes them, through take_order_changes.
GRANT SELECT, INSERT ON OBJECT::[{{schema}}].[order_change] TO [{{schema}}_hook];
GRANT SELECT ON OBJECT::[{{schema}}].[change_consumer] TO [{{schema}}_hook];
-- With the first change of a key, its row per consumer (what take_order_changes locks to hold a key); never deleted.
GRANT SELECT, INSERT ON OBJECT::[{{schema}}].[order_change_key] TO [{{schema}}_hook];
-- At start the hook checks that the schema is migrated far enough.
GRANT SELECT ON OBJECT::[{{schema}}].[schema_migration] TO [{{schema}}_hook];
-- NEXT VALUE FOR needs UPDATE on the sequence (SQL Server has no USAGE permission).
GRANT UPDATE ON OBJECT::[{{schema}}].[domino_number_seq] TO [{{schema}}_hook];
-- A repeated order.created in one call, and an update's read by key (migration 0011, which grants them too), a
-- status event's checked write (migration 0012, which grants it too), a create's first request (migration 0013,
-- which grants it too), and a status event's read of the order's state (migration 0015, which grants it too): the
-- procedures' reads and writes are those granted above.
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_duplicate_create] TO [{{schema}}_hook];
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_read_for_update] TO [{{schema}}_hook];
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_status_write] TO [{{schema}}_hook];
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_probe_create] TO [{{schema}}_hook];
GRANT EXECUTE ON OBJECT::[{{schema}}].[hook_read_state_for_update] TO [{{schema}}_hook];
-- sp_getapplock / APPLOCK_MODE (the per-order key lock) with @DbPrincipal = N'{{schema}}_hook': membership is the right.
GO
