import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { parseConsumerName } from '@domino-sm/adapter-domino-db'

/**
 * What the burst tests share (`create-burst.test.ts`, `status-burst.test.ts`): SberMarket's retries of one event
 * after a timeout arrive together, spread over the instances; `COPIES` of them at once, through pools of `POOL`.
 */
export const COPIES = 24
export const POOL = 10

/** A change-queue consumer's name, from a text the test knows is valid. */
export const consumerName = (text: string) => {
  const name = parseConsumerName(text)
  if (E.isLeft(name)) throw new Error(name.left)
  return name.right
}

/** The change rows of one key, per consumer name and kind. */
export const changeRows = async (admin: mssql.ConnectionPool, schema: string, key: string): Promise<string[]> => {
  const result = await admin
    .request()
    .input('key', mssql.NVarChar(64), key)
    .query<{ name: string; change_kind: string; status: string }>(
      `SELECT c.name, q.change_kind, q.status FROM [${schema}].[order_change] AS q
INNER JOIN [${schema}].[change_consumer] AS c ON c.consumer_id = q.consumer_id
WHERE q.original_order_id = @key ORDER BY c.name, q.change_id;`,
    )
  return result.recordset.map((row) => `${row.name} ${row.change_kind} ${row.status}`)
}
