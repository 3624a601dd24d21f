-- domino-sbermarket-hook, migration 0006: one journal entry per request, and locks only the hook can take.
-- See docs/domino-integration.md §5 and the package README.

-- The request id the hook gives a request when it arrives (a UUID). Its unique index makes it the key of the
-- request's one entry, whichever writer comes first: the order operation, the hook's entry of a request it answered
-- without the store (a 503 at the deadline), or a later amendment of what was answered. NULL for entries written
-- before this version and for those that are not requests (expired pending updates). A filtered unique index, so any
-- number of NULLs is allowed (a plain UNIQUE constraint would allow one).
ALTER TABLE [{{schema}}].[journal] ADD request_id UNIQUEIDENTIFIER NULL;
GO
CREATE UNIQUE NONCLUSTERED INDEX [UX_journal_request_id] ON [{{schema}}].[journal] (request_id)
  WHERE request_id IS NOT NULL;
GO

-- The database role of the hook. Its rights on the hook's schema are granted to the role (`grants` prints them), its
-- login's user is made a member, and sp_getapplock names it as @DbPrincipal: SQL Server then grants the per-order
-- key lock only to members of this role, dbo and db_owner, so no other database user can take (and hold) an order's
-- lock. `domino-sbermarket-hook grants` adds the hook's user to it.
IF DATABASE_PRINCIPAL_ID(N'{{schema}}_hook') IS NULL
  CREATE ROLE [{{schema}}_hook];
GO
