-- domino-sbermarket-hook, migration 0010: the journal's requests of a time range counted from one index.
-- The support console's Today page counts the last 24 hours by outcome and status answered, and those that took
-- near the deadline (the store port's summariseJournal). IX_journal_received_at (migration 0003) finds the range but
-- holds no other column, so each entry of the range would be read from the clustered table; this index carries
-- every column the count reads, and the count touches nothing else. Additive: IX_journal_received_at stays, as
-- nothing here drops what an earlier version may use.
-- The marked orders, oldest mark first, need nothing new: IX_order_header_for_review (migration 0005) holds them in
-- that order (review_marked_at, then the clustered id).
CREATE NONCLUSTERED INDEX [IX_journal_received_at_counts] ON [{{schema}}].[journal] (received_at)
  INCLUDE (outcome, http_status, duration_ms, request_id, event_type);
GO
