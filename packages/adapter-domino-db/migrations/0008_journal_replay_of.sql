-- domino-sbermarket-hook, migration 0008: a journal entry names the entry it replays.
-- See docs/domino-integration.md and the README's "Support" section.

-- `journal replay` runs a journaled body again as a request of its own (its own request id and entry); replay_of is
-- the id of the entry it came from, NULL for requests as SberMarket sent them. No foreign key: journal rows are only
-- inserted, never deleted. The filtered index finds the replays of an entry without touching the other rows.
ALTER TABLE [{{schema}}].[journal] ADD replay_of BIGINT NULL;
GO
CREATE NONCLUSTERED INDEX [IX_journal_replay_of] ON [{{schema}}].[journal] (replay_of)
  WHERE replay_of IS NOT NULL;
GO
