import mssql from 'mssql'
import { MAX_ORDER_ID_LENGTH } from '@domino-sm/core'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { changeStatements } from './change-statements.js'
import { hookRole, keyLockResource } from './key-lock.js'
import type { SqlParam, SqlStatement } from './sql-statement.js'

/** At most this many pending rows are expired in one transaction, whatever the policy asks (parameters per call). */
export const MAX_PENDING_PER_BATCH = 500

/** A pending update the retention run may expire. */
export interface PendingCandidate {
  readonly id: number
  readonly originalOrderId: string
}

const cutoffParam = (cutoff: Date): SqlParam => ({ name: 'cutoff', type: mssql.DateTimeOffset(3), value: cutoff })
const batchParam = (size: number): SqlParam => ({ name: 'batch', type: mssql.Int(), value: size })

/** The T-SQL of the retention policy and of `stats`. */
export const retentionStatements = (schema: SchemaName) => {
  const journal = qualified(schema, 'journal')
  const pending = qualified(schema, 'pending_update')
  const header = qualified(schema, 'order_header')
  const line = qualified(schema, 'order_line')
  return {
    /**
     * Clears the bodies of up to `size` entries received before `cutoff` (one autocommit statement: its own
     * transaction). Served by the filtered index IX_journal_body_received_at, which holds only entries that still
     * have a body, so runs do not rescan the ever longer tail of cleared ones. Concurrent runs may pick the same rows;
     * an UPDATE re-checks `raw_body IS NOT NULL` on the row it locks, so each body is counted by one of them.
     */
    clearBodies: (cutoff: Date, size: number): SqlStatement => ({
      text: `UPDATE TOP (@batch) ${journal} SET raw_body = NULL WHERE received_at < @cutoff AND raw_body IS NOT NULL;
SELECT @@ROWCOUNT AS cleared;`,
      params: [batchParam(size), cutoffParam(cutoff)],
    }),

    /** Up to `size` pending updates received before `cutoff`, oldest first (served by IX_pending_update_received_at). */
    pendingCandidates: (cutoff: Date, size: number): SqlStatement => ({
      text: `SELECT TOP (@batch) id, original_order_id FROM ${pending} WHERE received_at < @cutoff ORDER BY received_at, id;`,
      params: [batchParam(size), cutoffParam(cutoff)],
    }),

    /**
     * Deletes the candidates whose key lock it gets at once (@LockTimeout = 0), and returns what it deleted. The key
     * lock keeps a create from consuming a pending update while it is expired; a key that is busy is left for the
     * next run. DELETE ... OUTPUT returns only rows this statement deleted, so of several concurrent runs, one
     * expires each row.
     */
    expirePending: (candidates: readonly PendingCandidate[], cutoff: Date): SqlStatement => {
      const keys = [...new Set(candidates.map((c) => c.originalOrderId))]
      const keyParams: SqlParam[] = keys.flatMap((key, i) => [
        { name: `k${i}`, type: mssql.NVarChar(MAX_ORDER_ID_LENGTH), value: key },
        { name: `r${i}`, type: mssql.NVarChar(255), value: keyLockResource(schema, key) },
      ])
      const idParams: SqlParam[] = candidates.map((c, i) => ({ name: `i${i}`, type: mssql.BigInt(), value: c.id }))
      // Scalar flags, not a table variable: the T-SQL test engine mis-resolves the schema of later statements on a
      // session that used a table variable with OUTPUT INTO (measured), and a flag per key is all that is needed.
      const locks = keys.map(
        (_, i) => `DECLARE @g${i} BIT = 0;
EXEC @lock = sp_getapplock @Resource = @r${i}, @LockMode = N'Exclusive', @LockOwner = N'Transaction', @LockTimeout = 0, @DbPrincipal = N'${hookRole(schema)}';
IF @lock >= 0 SET @g${i} = 1;`,
      )
      const granted = keys.map((_, i) => `(original_order_id = @k${i} AND @g${i} = 1)`).join(' OR ')
      return {
        // OUTPUT without INTO returns the deleted rows to the client; it fails (error 334) if a DBA adds a trigger to
        // pending_update, which the hook's grants do not allow its own login to do.
        text: `DECLARE @lock INT;
${locks.join('\n')}
DELETE FROM ${pending}
OUTPUT deleted.id, deleted.original_order_id, deleted.received_at
WHERE id IN (${idParams.map((p) => `@${p.name}`).join(', ')}) AND received_at < @cutoff
  AND (${granted});`,
        params: [...keyParams, ...idParams, cutoffParam(cutoff)],
      }
    },

    /**
     * Row counts and oldest times per table, then the entries that still hold a body, then the orders marked for
     * review (served by the filtered index IX_order_header_for_review, which holds only marked orders), then each
     * consumer's queue depth (retention never deletes a change: only its consumer takes it).
     */
    stats: (): SqlStatement => ({
      text: `SELECT N'order_header' AS table_name, COUNT_BIG(*) AS row_count, MIN(created_at) AS oldest FROM ${header}
UNION ALL SELECT N'order_line', COUNT_BIG(*), MIN(h.created_at) FROM ${line} AS l INNER JOIN ${header} AS h ON h.id = l.order_id
UNION ALL SELECT N'pending_update', COUNT_BIG(*), MIN(received_at) FROM ${pending}
UNION ALL SELECT N'journal', COUNT_BIG(*), MIN(received_at) FROM ${journal};
SELECT COUNT_BIG(*) AS bodies, MIN(received_at) AS oldest FROM ${journal} WHERE raw_body IS NOT NULL;
SELECT COUNT_BIG(*) AS marked, MIN(review_marked_at) AS oldest FROM ${header} WHERE review_marked_at IS NOT NULL;
${changeStatements(schema).queueDepths().text}`,
      params: [],
    }),
  }
}
