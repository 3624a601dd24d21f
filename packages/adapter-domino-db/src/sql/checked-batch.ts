/**
 * What the checked batches share (`update-statements.ts`'s `checkedWrite`, `create-statements.ts`'s `checkedCreate`;
 * docs/domino-integration.md §5): one request that begins a transaction, takes the key lock, checks that what an
 * unlocked read saw is still so, and either writes and commits or answers what is there now, rolls back and ends with
 * a marker row. The repository reads the marker (`VERSION_CONFLICT_COLUMN`) to decide again on those rows.
 */

/** The column of the last row a checked batch answers when what its read saw had changed (it rolled back). */
export const VERSION_CONFLICT_COLUMN = 'version_conflict'

/**
 * The adapter's own fixed text (never a value) as an `N'...'` literal, its quotes doubled: the text of a nested
 * `sp_executesql`, which the T-SQL engine compiles only when that branch runs.
 */
export const fixedTextLiteral = (text: string): string => `N'${text.replaceAll("'", "''")}'`

/**
 * The end of a checked batch: when `changed` holds, `conflictReads` (the rows as they are now, read under the lock),
 * ROLLBACK and the `VERSION_CONFLICT_COLUMN` row; otherwise `writes` and COMMIT. The transaction ends in either
 * branch, inside the request (no error 266).
 */
export const conflictOrWrite = (changed: string, conflictReads: string, writes: string): string =>
  `IF ${changed}
BEGIN
${conflictReads}
ROLLBACK TRANSACTION;
SELECT CAST(1 AS BIT) AS ${VERSION_CONFLICT_COLUMN};
RETURN;
END;
${writes}
COMMIT TRANSACTION;`
