-- domino-sbermarket-hook: the rights of the hook's login, and nothing more.
-- Run by an administrator in the Domino database AFTER `domino-sbermarket-hook migrate`, for example:
--   sqlcmd -S host,1433 -d Domino -U admin -i grant-hook-login.sql   (after replacing the placeholders)
-- The schema (default sm) and the database user (default SberMarketOrdersHook) are filled in by `domino-sbermarket-hook grants`. The login itself is a
-- server object the DBA creates first:  CREATE LOGIN [SberMarketOrdersHook] WITH PASSWORD = N'...';
-- No DDL right is granted: the `serve` process can read and write these rows, never change the schema.

IF DATABASE_PRINCIPAL_ID(N'{{hook_user}}') IS NULL
  CREATE USER [{{hook_user}}] FOR LOGIN [{{hook_user}}] WITH DEFAULT_SCHEMA = [{{schema}}];
GO

-- createOrGet / applyUpdate / findOrder: read under the key lock, insert the order, rewrite it on order.changed and
-- status events. Never deleted.
GRANT SELECT, INSERT, UPDATE ON OBJECT::[{{schema}}].[order_header] TO [{{hook_user}}];
-- Lines are inserted with their order and replaced (deleted and inserted) on order.changed; never updated in place.
GRANT SELECT, INSERT, DELETE ON OBJECT::[{{schema}}].[order_line] TO [{{hook_user}}];
-- Pending updates are inserted for an unknown order, deleted when it is created, and deleted (expired) by retention.
GRANT SELECT, INSERT, DELETE ON OBJECT::[{{schema}}].[pending_update] TO [{{hook_user}}];
-- The journal: entries are inserted, never deleted. Only three columns are ever updated: what was answered
-- (amendJournalStatus: http_status and detail) and the body, which retention clears (raw_body = NULL).
GRANT SELECT, INSERT ON OBJECT::[{{schema}}].[journal] TO [{{hook_user}}];
GRANT UPDATE ([http_status], [detail], [raw_body]) ON OBJECT::[{{schema}}].[journal] TO [{{hook_user}}];
-- At start the hook checks that the schema is migrated far enough.
GRANT SELECT ON OBJECT::[{{schema}}].[schema_migration] TO [{{hook_user}}];
-- NEXT VALUE FOR needs UPDATE on the sequence (SQL Server has no USAGE permission).
GRANT UPDATE ON OBJECT::[{{schema}}].[domino_number_seq] TO [{{hook_user}}];
-- sp_getapplock / APPLOCK_MODE (the per-order key lock) need only membership in public: nothing to grant.
GO
