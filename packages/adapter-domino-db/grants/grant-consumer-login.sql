-- domino-sbermarket-hook: the rights of a login of Domino's jobs that read the hook's orders (a consumer of the change
-- queue), and nothing more. Printed by `domino-sbermarket-hook grants --consumer LOGIN`; run by an administrator in the
-- Domino database AFTER `domino-sbermarket-hook migrate`. The login itself is a server object the DBA creates first:
--   CREATE LOGIN [{{consumer_user}}] WITH PASSWORD = N'...';
-- The consumer name the job passes to take_order_changes is registered apart: `domino-sbermarket-hook change-queue
-- add-consumer NAME` (a login may serve several consumers). See docs/domino-integration.md §1.
-- The rights go to the consumers' database role [{{schema}}_consumer] (created by migration 0007), and the user is made
-- its member.

IF DATABASE_PRINCIPAL_ID(N'{{consumer_user}}') IS NULL
  CREATE USER [{{consumer_user}}] FOR LOGIN [{{consumer_user}}] WITH DEFAULT_SCHEMA = [{{schema}}];
GO
ALTER ROLE [{{schema}}_consumer] ADD MEMBER [{{consumer_user}}];
GO

-- Takes (returns and deletes) the consumer's changes. No right on the queue table itself: the procedure and the
-- table have one owner, so SQL Server checks only EXECUTE (ownership chaining), and a consumer can neither read
-- another consumer's queue nor delete a change but by taking it.
GRANT EXECUTE ON OBJECT::[{{schema}}].[take_order_changes] TO [{{schema}}_consumer];
-- Reads the orders a change names: the header (needs_review included) and its lines. Nothing is written.
GRANT SELECT ON OBJECT::[{{schema}}].[order_header] TO [{{schema}}_consumer];
GRANT SELECT ON OBJECT::[{{schema}}].[order_line] TO [{{schema}}_consumer];
GO
