-- domino-sbermarket-hook, migration 0007: the handoff to Domino's jobs, a queue of order changes per consumer.
-- See docs/domino-integration.md §4. Every operation that changes an order writes one row per registered consumer in
-- the transaction of the change itself, so a change that committed is in every queue and one that rolled back is in
-- none, whatever order concurrent transactions commit in. A consumer takes (returns and deletes) its oldest rows with
-- take_order_changes inside its own transaction: its rollback gives them back.

-- The consumers: Domino's jobs that read changes, registered by an administrator (`handoff add-consumer NAME`).
-- The name is what a job passes to take_order_changes; the id is what its queue rows carry.
CREATE TABLE [{{schema}}].[change_consumer] (
  consumer_id  INT IDENTITY(1, 1) NOT NULL CONSTRAINT [PK_change_consumer] PRIMARY KEY CLUSTERED,
  name         NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
  added_at     DATETIMEOFFSET(3) NOT NULL CONSTRAINT [DF_change_consumer_added_at] DEFAULT (SYSDATETIMEOFFSET()),
  added_by     NVARCHAR(128) NOT NULL CONSTRAINT [DF_change_consumer_added_by] DEFAULT (SUSER_SNAME())
);
CREATE UNIQUE NONCLUSTERED INDEX [UX_change_consumer_name] ON [{{schema}}].[change_consumer] (name);
GO

-- One row per change of an order and consumer. Clustered by (consumer, change id): a consumer's queue is one
-- contiguous range read oldest first, and the hook's inserts land at its end. No foreign key to the consumer: the
-- hook's insert reads the consumer table under REPEATABLEREAD instead (see the hook's statement), and
-- `handoff remove-consumer` deletes the consumer and its rows in one transaction.
-- change_kind: created, changed (order.changed applied), status (a status applied), review_marked (a change the hook
-- could not read marked the order), review_cleared (support cleared the mark), erased (its personal data erased).
-- status: the order's status after the change.
CREATE TABLE [{{schema}}].[order_change] (
  consumer_id        INT NOT NULL,
  change_id          BIGINT IDENTITY(1, 1) NOT NULL,
  original_order_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
  domino_number      NVARCHAR(32) COLLATE Latin1_General_100_BIN2 NOT NULL,
  change_kind        NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL
    CONSTRAINT [CK_order_change_kind] CHECK (change_kind IN (N'created', N'changed', N'status', N'review_marked', N'review_cleared', N'erased')),
  status             NVARCHAR(20) COLLATE Latin1_General_100_BIN2 NOT NULL,
  changed_at         DATETIMEOFFSET(3) NOT NULL,
  CONSTRAINT [PK_order_change] PRIMARY KEY CLUSTERED (consumer_id, change_id)
);
-- take_order_changes checks, for each order key it is about to take, that no older row of the key is left behind:
-- a seek on this index touches only that key's rows, never a row of another key another session holds.
CREATE NONCLUSTERED INDEX [IX_order_change_key] ON [{{schema}}].[order_change] (consumer_id, original_order_id, change_id);
GO

-- One row per consumer and order key that ever had a change, written by the hook with the key's first change and
-- never deleted while the consumer exists (one small row per order and consumer; `handoff remove-consumer` deletes a
-- consumer's). take_order_changes locks it (UPDLOCK, READPAST) to hold the key: the
-- changes of one key are then taken by one session of a consumer at a time, so they arrive in order even when a
-- session rolls back. A row lock, skipped when another session holds it: taking changes never waits for another session.
CREATE TABLE [{{schema}}].[order_change_key] (
  consumer_id        INT NOT NULL,
  original_order_id  NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL,
  CONSTRAINT [PK_order_change_key] PRIMARY KEY CLUSTERED (consumer_id, original_order_id)
);
GO

-- The database role of the consumers' logins (`grants --consumer LOGIN` makes a user a member and grants the role
-- EXECUTE on take_order_changes and SELECT on the order tables).
IF DATABASE_PRINCIPAL_ID(N'{{schema}}_consumer') IS NULL
  CREATE ROLE [{{schema}}_consumer];
GO

-- Called by a consumer inside its own transaction: returns and deletes up to @max (1..1000) of its oldest changes,
-- ordered by change_id, and a rollback gives them back. Two sessions of one consumer never take one row, and the
-- changes of one order key reach the consumer in order whatever either of them commits or rolls back:
--   1. The candidates: TOP (@max) of the consumer's rows by change_id WITH (ROWLOCK, READPAST, UPDLOCK), SQL Server's
--      queue-table pattern: rows another session holds (U or X locked) are skipped, not waited for; the U locks
--      keep the candidates from being taken by another session until this transaction ends.
--   2. The keys: their order_change_key rows WITH (ROWLOCK, READPAST, UPDLOCK): a key another session of this
--      consumer holds is skipped, and its candidates are left for a later call. The U lock is held to the end of
--      this transaction, so no other session takes any change of a key this one holds.
--   3. Of a held key, a candidate with an older row of the key left out (one another session still has as a
--      candidate, or one given back by a rollback) is left for a later call too. The seek (FORCESEEK, on
--      IX_order_change_key) touches only the held key's rows, which no other session holds. Without 2 and 3, a
--      session that rolls back change 3 of a key after another session took and committed its change 7 would
--      deliver 7 before 3.
--   4. DELETE ... OUTPUT of the candidates kept, then those rows ordered by change_id.
-- It blocks nothing else: the hook's inserts add rows at the end of the range and only read the key rows (S, which
-- U allows); @max is capped at 1000 so that one call's row locks stay far from lock escalation (5000). Candidates
-- left out in 2 or 3 stay U locked until this transaction ends: other sessions skip them meanwhile, and take them
-- after it (a short delay, never a loss).
-- The T-SQL test engine (Babelfish) accepts ROWLOCK, READPAST, UPDLOCK and FORCESEEK and ignores them (measured: see
-- the package's consumer-queue test). There steps 1 and 2 skip and lock nothing, so a second session's candidates
-- include the rows a first session has taken, and its DELETE waits on them until the first commits (they are gone:
-- DELETE ... OUTPUT returns only rows it deleted) or rolls back (it takes them, in order). Exactly once and the order
-- per key hold there; what the hints add on SQL Server, that a second session takes the next rows at once instead of
-- waiting for the first one's transaction (and that two sessions cannot deadlock), is not exercised there. The engine
-- also checks the caller's own rights on the tables this procedure reads (no ownership chaining, and no EXECUTE AS),
-- so there a login with only EXECUTE is refused; on SQL Server the procedure and the tables have one owner, and
-- EXECUTE is the only right checked.
CREATE PROCEDURE [{{schema}}].[take_order_changes]
  @consumer NVARCHAR(64),
  @max INT
AS
BEGIN
  SET NOCOUNT ON;
  SET XACT_ABORT ON;
  IF @@TRANCOUNT = 0
    THROW 50021, N'domino-sm: call take_order_changes inside your own transaction (BEGIN TRANSACTION ... COMMIT), so that a failure gives the changes back', 1;
  IF @max IS NULL OR @max < 1 OR @max > 1000
    THROW 50022, N'domino-sm: @max must be between 1 and 1000', 1;
  DECLARE @consumer_id INT = (SELECT consumer_id FROM [{{schema}}].[change_consumer] WHERE name = @consumer);
  IF @consumer_id IS NULL
    THROW 50023, N'domino-sm: no such consumer (an administrator adds one with `handoff add-consumer NAME`)', 1;

  DECLARE @candidate TABLE (
    change_id BIGINT NOT NULL PRIMARY KEY,
    original_order_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL
  );
  INSERT INTO @candidate (change_id, original_order_id)
    SELECT TOP (@max) q.change_id, q.original_order_id
    FROM [{{schema}}].[order_change] AS q WITH (ROWLOCK, READPAST, UPDLOCK)
    WHERE q.consumer_id = @consumer_id
    ORDER BY q.change_id;

  DECLARE @held TABLE (original_order_id NVARCHAR(64) COLLATE Latin1_General_100_BIN2 NOT NULL PRIMARY KEY);
  INSERT INTO @held (original_order_id)
    SELECT k.original_order_id
    FROM [{{schema}}].[order_change_key] AS k WITH (ROWLOCK, READPAST, UPDLOCK)
    WHERE k.consumer_id = @consumer_id AND k.original_order_id IN (SELECT c.original_order_id FROM @candidate AS c);
  -- Two statements, in this order: the seek below may only run for keys this session holds.
  DELETE FROM @candidate WHERE original_order_id NOT IN (SELECT h.original_order_id FROM @held AS h);
  DELETE c FROM @candidate AS c
  WHERE EXISTS (
    SELECT 1 FROM [{{schema}}].[order_change] AS o WITH (FORCESEEK)
    WHERE o.consumer_id = @consumer_id AND o.original_order_id = c.original_order_id AND o.change_id < c.change_id
      AND NOT EXISTS (SELECT 1 FROM @candidate AS older WHERE older.change_id = o.change_id));

  DECLARE @taken TABLE (
    change_id BIGINT NOT NULL PRIMARY KEY,
    original_order_id NVARCHAR(64) NOT NULL,
    domino_number NVARCHAR(32) NOT NULL,
    change_kind NVARCHAR(20) NOT NULL,
    status NVARCHAR(20) NOT NULL,
    changed_at DATETIMEOFFSET(3) NOT NULL
  );
  DELETE q
    OUTPUT deleted.change_id, deleted.original_order_id, deleted.domino_number, deleted.change_kind, deleted.status, deleted.changed_at
    INTO @taken (change_id, original_order_id, domino_number, change_kind, status, changed_at)
  FROM [{{schema}}].[order_change] AS q WITH (ROWLOCK)
  WHERE q.consumer_id = @consumer_id AND q.change_id IN (SELECT c.change_id FROM @candidate AS c);

  SELECT t.change_id, t.original_order_id, t.domino_number, t.change_kind, t.status, t.changed_at
  FROM @taken AS t
  ORDER BY t.change_id;
END;
GO
