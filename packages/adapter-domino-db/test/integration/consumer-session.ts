import mssql from 'mssql'

/** One change as take_order_changes returns it. */
export interface TakenChange {
  readonly changeId: number
  readonly originalOrderId: string
  readonly dominoNumber: string
  readonly changeKind: string
  readonly status: string
  readonly changedAt: Date
}

interface TakenRow {
  change_id: string | number
  original_order_id: string
  domino_number: string
  change_kind: string
  status: string
  changed_at: Date
}

/**
 * A consumer's call, as docs/domino-integration.md §1 shows it: EXEC take_order_changes inside the caller's own
 * transaction, parameterised. BIGINT arrives as text from the driver.
 */
export const takeChanges = async (
  transaction: mssql.Transaction,
  schema: string,
  consumer: string,
  max: number,
): Promise<TakenChange[]> => {
  const result = await new mssql.Request(transaction)
    .input('consumer', mssql.NVarChar(64), consumer)
    .input('max', mssql.Int(), max)
    .query<TakenRow>(`EXEC [${schema}].[take_order_changes] @consumer = @consumer, @max = @max;`)
  return result.recordset.map((row) => ({
    changeId: Number(row.change_id),
    originalOrderId: row.original_order_id,
    dominoNumber: row.domino_number,
    changeKind: row.change_kind,
    status: row.status,
    changedAt: row.changed_at,
  }))
}

/** Begins a transaction on `pool` (one pooled connection: one session of the consumer), runs `work`, and ends it as `work` says. */
export const inConsumerTransaction = async <A>(
  pool: mssql.ConnectionPool,
  work: (transaction: mssql.Transaction) => Promise<{ readonly value: A; readonly commit: boolean }>,
): Promise<A> => {
  const transaction = new mssql.Transaction(pool)
  await transaction.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
  try {
    const { value, commit } = await work(transaction)
    if (commit) await transaction.commit()
    // After a server-side abort (XACT_ABORT) mssql answers EABORT here: nothing is left to roll back.
    else await transaction.rollback().catch(() => undefined)
    return value
  } catch (error) {
    await transaction.rollback().catch(() => undefined)
    throw error
  }
}

/** The rows still queued for `consumer`, read by an administrator. */
export const queuedRows = async (admin: mssql.ConnectionPool, schema: string, consumer: string): Promise<number> => {
  const result = await admin
    .request()
    .input('consumer', mssql.NVarChar(64), consumer)
    .query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM [${schema}].[order_change] AS q INNER JOIN [${schema}].[change_consumer] AS c ON c.consumer_id = q.consumer_id WHERE c.name = @consumer;`,
    )
  return result.recordset[0]?.n ?? Number.NaN
}
