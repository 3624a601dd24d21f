import { randomBytes } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { migrate, parseDominoDbSettings } from '@domino-sm/adapter-domino-db'
import { dropTestSchema } from '../../support/sql-server-schema.js'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'

/** A store the pool of instances runs on, and how to prepare and remove its data. */
export interface StoreUnderTest {
  /** For test titles: "one SQLite file", "one SQL Server schema". */
  readonly name: string
  /** Prepares a fresh store and answers the environment every instance gets for it. */
  readonly prepare: () => Promise<Readonly<Record<string, string>>>
  /** Removes what `prepare` made; safe after a failed prepare. */
  readonly cleanup: () => Promise<void>
  /**
   * Runs before anything is timed, against each instance directly (not through nginx): a store whose sessions are
   * slow the first time they run a statement gets each pooled session through every operation once.
   */
  readonly warmUp?: (instanceOrigins: readonly string[], token: string) => Promise<void>
}

const sqlite: StoreUnderTest = {
  name: 'one SQLite file',
  prepare: () => Promise.resolve({ STORE: 'sqlite' }),
  cleanup: () => Promise.resolve(),
}

/**
 * The SQL Server store on DOMINO_DB_TEST_URL: a fresh schema, migrated as the test login, that all instances share
 * (`STORE=domino-db`, `DOMINO_DB_URL`), each with a pool opened to its size at start.
 */
/** The pool size every instance gets on SQL Server (DOMINO_DB_POOL_MIN = DOMINO_DB_POOL_MAX). */
const SQL_SERVER_POOL = 10

/**
 * The T-SQL engine (tools/tsql-engine) answers the first statements of a new session in hundreds of ms (its README:
 * "warm a pool before timing anything"); SQL Server takes milliseconds. Twice the pool size of concurrent requests,
 * with fresh keys, per instance and per operation (a pending update, a create that applies it, a repeated create, a
 * status change), until every one is answered 200, so that every pooled session has run every statement.
 */
export const warmSessions = async (instanceOrigins: readonly string[], token: string): Promise<void> => {
  const post = (origin: string, body: string): Promise<number> =>
    fetch(`${origin}/sbermarket/orders/hook/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Client-Token': token },
      body,
    }).then(
      async (res) => {
        await res.arrayBuffer()
        return res.status
      },
      () => 0,
    )
  const steps = (key: string): readonly string[] => [
    statusBody('order.paid', key).body,
    orderCreatedBody({ originalOrderId: key }).body,
    orderCreatedBody({ originalOrderId: key }).body,
    statusBody('order.received', key).body,
  ]
  await Promise.all(
    instanceOrigins.map(async (origin) => {
      const keys = Array.from({ length: 2 * SQL_SERVER_POOL }, () => uniqueOrderId('WARM'))
      for (let step = 0; step < 4; step += 1) {
        let waiting = keys
        for (let round = 0; round < 5 && waiting.length > 0; round += 1) {
          const statuses = await Promise.all(waiting.map((key) => post(origin, steps(key)[step] ?? '')))
          waiting = waiting.filter((_, i) => statuses[i] !== 200)
        }
        if (waiting.length > 0)
          throw new Error(`warming ${origin}: ${waiting.length} requests of step ${step} never answered 200`)
      }
    }),
  )
}

const sqlServer = (url: string): StoreUnderTest => {
  const schema = `sm_test_${randomBytes(5).toString('hex')}`
  const parsed = parseDominoDbSettings({ DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema })
  if (E.isLeft(parsed)) throw new Error(`DOMINO_DB_TEST_URL: ${parsed.left.join('; ')}`)
  const settings = parsed.right
  return {
    name: 'one SQL Server schema',
    prepare: async () => {
      await migrate(settings)
      const poolSize = String(SQL_SERVER_POOL)
      return {
        STORE: 'domino-db',
        DOMINO_DB_URL: url,
        DOMINO_DB_SCHEMA: schema,
        DOMINO_DB_POOL_MAX: poolSize,
        DOMINO_DB_POOL_MIN: poolSize,
        DOMINO_DB_REQUEST_TIMEOUT_MS: '3500',
      }
    },
    warmUp: warmSessions,
    cleanup: () => dropTestSchema(settings),
  }
}

/** The stores the system tests run on: SQLite always, SQL Server too when DOMINO_DB_TEST_URL is set. */
export const storesUnderTest = (): readonly StoreUnderTest[] => {
  const url = process.env['DOMINO_DB_TEST_URL']
  return url === undefined || url.trim() === '' ? [sqlite] : [sqlite, sqlServer(url)]
}
