import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { openConnectionPool, REQUEST_BACKSTOP_MS } from '../driver/connection-pool.js'
import type { DominoDbSettings } from '../settings/domino-db-settings.js'
import { withBudget } from '../driver/operation-budget.js'
import { readDate, readInteger, readText, type Row } from '../rows/column-values.js'
import { qualified, type SchemaName } from '../settings/schema-name.js'
import { MAX_CONSUMER_NAME_LENGTH } from '../sql/change-statements.js'
import { inTransaction, outsideTransaction } from '../driver/requests.js'
import type { SqlStatement } from '../sql/sql-statement.js'

declare const ConsumerNameBrand: unique symbol

/** The name of a consumer of the change queue: what a Domino job passes to take_order_changes. */
export type ConsumerName = string & { readonly [ConsumerNameBrand]: 'ConsumerName' }

const CONSUMER_NAME = new RegExp(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,${MAX_CONSUMER_NAME_LENGTH - 1}}$`)

/** A consumer name: ASCII letters, digits, `_ . -`, at most 64 characters (so that every tool shows it as typed). */
export const parseConsumerName = (text: string): E.Either<string, ConsumerName> =>
  CONSUMER_NAME.test(text)
    ? E.right(text as ConsumerName)
    : E.left(
        `a consumer name is 1 to ${MAX_CONSUMER_NAME_LENGTH} ASCII letters, digits, _ . - (not starting with . or -)`,
      )

/** A registered consumer and its queue. */
export interface ConsumerQueue {
  readonly name: string
  readonly addedAt: Date
  readonly addedBy: string
  /** Changes waiting to be taken (not counting those a consumer transaction still open has taken). */
  readonly depth: number
  /** The oldest change waiting; null when none waits. */
  readonly oldest: Date | null
}

/** What removing a consumer did. */
export type RemoveConsumerResult =
  { readonly _tag: 'NoSuchConsumer' } | { readonly _tag: 'Removed'; readonly changesDropped: number }

const nameParam = (name: ConsumerName) => ({
  name: 'consumer',
  type: mssql.NVarChar(MAX_CONSUMER_NAME_LENGTH),
  value: name,
})

/** The administrator's statements on the consumers (the hook's own role may only read the consumer table). */
export const consumerStatements = (schema: SchemaName) => {
  const consumer = qualified(schema, 'change_consumer')
  const change = qualified(schema, 'order_change')
  const changeKey = qualified(schema, 'order_change_key')
  return {
    /** Registers a consumer unless it is registered (the unique index on the name is the guard); selects whether it added. */
    add: (name: ConsumerName): SqlStatement => ({
      text: `DECLARE @added BIT = 0;
IF NOT EXISTS (SELECT 1 FROM ${consumer} WITH (UPDLOCK, HOLDLOCK) WHERE name = @consumer)
BEGIN
  INSERT INTO ${consumer} (name) VALUES (@consumer);
  SET @added = 1;
END;
SELECT @added AS added;`,
      params: [nameParam(name)],
    }),

    /**
     * Deletes a consumer, then its queue and its key rows, in the caller's transaction. The consumer row first: its X lock waits for
     * the hook transactions that read it (REPEATABLEREAD in `recordChange`) and holds off new ones, which then find no
     * such consumer; so no change row can be written for it after its rows are deleted.
     */
    remove: (name: ConsumerName): SqlStatement => ({
      text: `DECLARE @id INT = (SELECT consumer_id FROM ${consumer} WITH (UPDLOCK) WHERE name = @consumer);
DECLARE @dropped BIGINT = 0;
IF @id IS NOT NULL
BEGIN
  DELETE FROM ${consumer} WHERE consumer_id = @id;
  DELETE FROM ${change} WHERE consumer_id = @id;
  SET @dropped = @@ROWCOUNT;
  DELETE FROM ${changeKey} WHERE consumer_id = @id;
END;
SELECT @id AS consumer_id, @dropped AS dropped;`,
      params: [nameParam(name)],
    }),

    list: (): SqlStatement => ({
      text: `SELECT c.name, c.added_at, c.added_by, d.depth, d.oldest
FROM ${consumer} AS c
CROSS APPLY (SELECT COUNT_BIG(q.change_id) AS depth, MIN(q.changed_at) AS oldest FROM ${change} AS q WITH (READPAST) WHERE q.consumer_id = c.consumer_id) AS d
ORDER BY c.name;`,
      params: [],
    }),
  }
}

const queueOf = (row: Row): ConsumerQueue => ({
  name: readText(row, 'change_consumer', 'name'),
  addedAt: readDate(row, 'change_consumer', 'added_at'),
  addedBy: readText(row, 'change_consumer', 'added_by'),
  depth: readInteger(row, 'order_change', 'depth'),
  oldest: row['oldest'] === null || row['oldest'] === undefined ? null : readDate(row, 'order_change', 'oldest'),
})

/**
 * The consumers of one schema, on a pool of an administrator's login (`change-queue add-consumer`, `remove-consumer`,
 * `consumers`): parameterised requests through mssql's public API, each with the driver's backstop as budget.
 */
export const changeQueueConsumers = (pool: mssql.ConnectionPool, schema: SchemaName) => {
  const statements = consumerStatements(schema)
  return {
    /** Adds a consumer; its queue starts empty and receives every change committed from now on. */
    add: (name: ConsumerName): Promise<'added' | 'exists'> =>
      withBudget(REQUEST_BACKSTOP_MS, async (budget) => {
        const [rows] = await outsideTransaction(pool, budget, statements.add(name))
        const added = rows?.[0]?.['added']
        return added === true || added === 1 ? 'added' : 'exists'
      }),

    /** Removes a consumer and drops the changes it had not taken, in one transaction. */
    remove: (name: ConsumerName): Promise<RemoveConsumerResult> =>
      withBudget(REQUEST_BACKSTOP_MS, (budget) =>
        inTransaction(pool, budget, async (send): Promise<RemoveConsumerResult> => {
          const [rows] = await send(statements.remove(name))
          const row = rows?.[0] ?? {}
          if (row['consumer_id'] === null || row['consumer_id'] === undefined) return { _tag: 'NoSuchConsumer' }
          return { _tag: 'Removed', changesDropped: readInteger(row, 'order_change', 'dropped') }
        }),
      ),

    list: (): Promise<readonly ConsumerQueue[]> =>
      withBudget(REQUEST_BACKSTOP_MS, async (budget) => {
        const [rows] = await outsideTransaction(pool, budget, statements.list())
        return (rows ?? []).map(queueOf)
      }),
  }
}

export type ChangeQueueConsumers = ReturnType<typeof changeQueueConsumers>

/** Opens a one-connection pool of the settings' login (an administrator's), runs `work` on the schema's consumers, closes. */
export const withChangeQueueConsumers = async <A>(
  settings: DominoDbSettings,
  work: (consumers: ChangeQueueConsumers) => Promise<A>,
): Promise<A> => {
  const opened = await openConnectionPool(settings, 'migrate')
  try {
    return await work(changeQueueConsumers(opened.pool, settings.schema))
  } finally {
    await opened.close()
  }
}
