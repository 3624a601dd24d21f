import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type mssql from 'mssql'
import { storeUnavailable, type Clock, type OrderRepository, type RepositoryError } from '@domino-sm/core'
import { openConnectionPool, REQUEST_BACKSTOP_MS, type DominoDbPool } from './driver/connection-pool.js'
import type { DominoDbSettings } from './settings/domino-db-settings.js'
import { loadMigrations } from './migrations/load-migrations.js'
import { checkSchemaReady } from './migrations/migration-plan.js'
import { readAppliedMigrations } from './migrations/schema-state.js'
import { MssqlOrderRepository } from './mssql-order-repository.js'
import { withBudget } from './driver/operation-budget.js'
import type { SchemaName } from './settings/schema-name.js'
import { NotConnected, repositoryErrorOf } from './driver/sql-error.js'
import { orderStatements } from './sql/order-statements.js'
import { inTransaction, outsideTransaction } from './driver/requests.js'
import { journalStatements } from './sql/journal-statements.js'
import { updateStatements, type StatusWrite } from './sql/update-statements.js'
import { warmCreate } from './operations/create-warm-up.js'

/** The Domino store as the composition root uses it. */
export interface DominoDbStore {
  readonly repository: OrderRepository
  /** Stops reconnecting and closes the connection pool; call once, at shutdown. */
  readonly close: () => Promise<void>
  /** Succeeds when the store is connected, its schema checked, and SQL Server answers now (`/readyz`). */
  readonly ping: () => TE.TaskEither<RepositoryError, void>
  /** Whether the store has reached its database (false while it waits for it). */
  readonly connected: () => boolean
}

/** What the store tells its owner while it waits for its database. */
export interface StoreEvents {
  /** A connection attempt failed; the store tries again after `retryInMs`. The message names no secret. */
  readonly onWaiting?: (message: string, retryInMs: number) => void
  /** The store reached its database, checked the schema and warmed its pool: from now on it answers. */
  readonly onConnected?: () => void
  /**
   * The database answered, but it cannot be used by this build (its schema is behind the migrations): waiting does
   * not help, a DBA must run `migrate`. The store stops trying; the owner should stop (as `serve` does at start).
   */
  readonly onFatal?: (error: Error) => void
}

/**
 * How the store is opened. `serve` keeps the defaults: it waits for its database and warms its whole pool before it
 * turns ready. A command of the command line (one operator, one operation) opens one connection and fails at once.
 */
export interface OpenOptions {
  /** Open and prove `max(1, poolMin)` sessions before the first operation (default true; see `warmConnections`). */
  readonly warmUp?: boolean
  /**
   * When SQL Server cannot be reached at first: return a store that answers 503 and keeps trying (true, the
   * default, for `serve`), or reject with the connection's message (false, for a command).
   */
  readonly waitForDatabase?: boolean
}

/** A key SberMarket never sends (a control character): reading it finds nothing and locks nothing anyone waits for. */
const PROOF_KEY = '\u0001domino-sm-start'
/** A request id no request has (the nil UUID): the proof's reads of the journal find nothing. */
const PROOF_REQUEST_ID = '00000000-0000-0000-0000-000000000000'

/**
 * The status write of the warm-up: an order that cannot exist (the proof key, the id -1), so the procedure's check
 * fails by design and it writes nothing (not the entry either, which is written only after the check).
 */
const proofStatusWrite = (lockWaitMs: number): StatusWrite => ({
  originalOrderId: PROOF_KEY,
  requestId: PROOF_REQUEST_ID,
  lockWaitMs,
  seen: { id: -1, version: Buffer.alloc(8) },
  changed: undefined,
  entry: {
    requestId: PROOF_REQUEST_ID,
    receivedAt: new Date(0),
    eventType: null,
    originalOrderId: PROOF_KEY,
    rawBody: null,
    outcome: 'failed',
    httpStatus: 503,
    durationMs: 0,
    detail: null,
  },
  storedAt: new Date(0),
  rewrites: undefined,
})

/** A start may take its time (a whole pool logs in at once); the webhooks' budget does not apply to it. */
const START_PROOF_MS = REQUEST_BACKSTOP_MS

/** How long the store waits between two attempts to reach its database: doubling from the first, up to the last. */
export const RECONNECT_DELAYS_MS: readonly number[] = [500, 1000, 2000, 4000, 5000]

/**
 * Reads an order in `count` transactions at once, so each holds a connection of its own: the pool then has `count`
 * sessions open, each proven to reach the schema with the hook's own statements and rights (the key lock, the order
 * tables), and a server that prepares a session on its first statements (the T-SQL test engine needs hundreds of
 * milliseconds per fresh session; SQL Server a TLS handshake and a login) does so before the first webhook, not
 * during a burst of them. Read-only; only mssql's public `Transaction` and `Request`.
 */
const warmConnections = async (pool: mssql.ConnectionPool, schema: SchemaName, count: number): Promise<void> => {
  const read = orderStatements(schema).readOrder
  const updates = updateStatements(schema)
  const ofRequest = journalStatements(schema).ofRequest(PROOF_REQUEST_ID, false)
  try {
    await Promise.all(
      Array.from({ length: count }, () =>
        withBudget(START_PROOF_MS, (budget) =>
          inTransaction(pool, budget, (send) => send(read(PROOF_KEY, budget.lockWaitMs()))),
        ),
      ),
    )
    // An update's two requests, as a status event sends them, with a check that always fails (no order has the
    // proof key, none the id -1): the write takes the key lock, reads under it and rolls back. Nothing is written.
    // Then the status event's write as its procedure sends it (migration 0012), failing its check the same way: it
    // takes the key lock, reads under it and ends its transaction having written nothing.
    await Promise.all(
      Array.from({ length: count }, () =>
        withBudget(START_PROOF_MS, async (budget) => {
          await outsideTransaction(pool, budget, updates.readForUpdate(PROOF_KEY, {}, ofRequest))
          // A status event's read of the order's state (migration 0015).
          await outsideTransaction(pool, budget, updates.readStateForUpdate(PROOF_KEY, ofRequest))
          await outsideTransaction(
            pool,
            budget,
            updates.checkedWrite(
              PROOF_KEY,
              budget.lockWaitMs(),
              {},
              { order: { id: -1, version: Buffer.alloc(8) }, requestIdAbsent: false },
              ofRequest,
              { text: '', params: [] },
            ),
          )
          await outsideTransaction(pool, budget, updates.statusWrite(proofStatusWrite(budget.lockWaitMs())))
        }),
      ),
    )
    // A new order's two requests, with nothing written and no number drawn (`warmCreate`); its request 1 (the
    // procedure of migration 0013) is all that a repeated create sends.
    await Promise.all(
      Array.from({ length: count }, () =>
        withBudget(START_PROOF_MS, (budget) => warmCreate(pool, schema, budget, PROOF_KEY, PROOF_REQUEST_ID)),
      ),
    )
  } catch (error) {
    const failure = repositoryErrorOf('start', error)
    throw new Error(`the schema cannot be read at start: ${failure._tag}: ${failure.reason}`, { cause: error })
  }
}

/** A schema that this build cannot use: waiting for it does not help. */
class SchemaNotReady extends Error {
  override readonly name = 'SchemaNotReady'
}

/** Connects, checks the schema, and warms the pool (unless told not to); closes what it opened when any step fails. */
const connectOnce = async (settings: DominoDbSettings, warmUp: boolean): Promise<DominoDbPool> => {
  const opened = await openConnectionPool(settings, 'serve')
  try {
    const ready = checkSchemaReady(
      settings.schema,
      await loadMigrations(),
      await readAppliedMigrations(opened.pool, settings.schema),
    )
    if (E.isLeft(ready)) throw new SchemaNotReady(ready.left)
    if (warmUp) await warmConnections(opened.pool, settings.schema, Math.max(1, settings.poolMin))
    return opened
  } catch (error) {
    await opened.close().catch(() => undefined)
    throw error
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : 'unknown failure')

/**
 * Opens the store for `serve`. When SQL Server answers at once, the promise settles connected (or rejects, with the
 * message of the check, when the schema is behind the migrations: the hook must not run against a database it
 * cannot use). When SQL Server cannot be reached, the store is returned anyway, not connected: every operation
 * answers StoreUnavailable (503), `ping` fails (`/readyz` not ready; `serve` keeps its hook port closed until
 * `onConnected`), and it keeps trying in the background
 * (`RECONNECT_DELAYS_MS`) until it connects, checks the schema and warms the pool, and from then on answers. A host
 * that starts the hook before SQL Server is up therefore needs no restart loop. Runs no DDL (the hook's login has no
 * right to). A command of the command line passes `{ warmUp: false, waitForDatabase: false }` with a pool of one
 * (adapter-http's `open-store.ts`): it then rejects at once when SQL Server cannot be reached.
 */
export const openDominoDbStore = async (
  settings: DominoDbSettings,
  clock: Clock,
  events: StoreEvents = {},
  options: OpenOptions = {},
): Promise<DominoDbStore> => {
  const warmUp = options.warmUp ?? true
  let opened: DominoDbPool | undefined
  let closed = false
  let retry: NodeJS.Timeout | undefined
  let waiter: Promise<void> = Promise.resolve()

  const poolNow = (): mssql.ConnectionPool => {
    if (opened === undefined) throw new NotConnected()
    return opened.pool
  }
  const repository = new MssqlOrderRepository(
    poolNow,
    { schema: settings.schema, requestTimeoutMs: settings.requestTimeoutMs },
    clock,
  )

  const attempt = async (): Promise<void> => {
    const pool = await connectOnce(settings, warmUp)
    if (closed) {
      await pool.close()
      return
    }
    opened = pool
    events.onConnected?.()
  }

  const keepTrying = (tries: number): void => {
    const delay = RECONNECT_DELAYS_MS[Math.min(tries, RECONNECT_DELAYS_MS.length - 1)] ?? 5000
    retry = setTimeout(() => {
      retry = undefined
      waiter = attempt().catch((error: unknown) => {
        if (closed) return
        if (error instanceof SchemaNotReady) return events.onFatal?.(error)
        events.onWaiting?.(
          messageOf(error),
          RECONNECT_DELAYS_MS[Math.min(tries + 1, RECONNECT_DELAYS_MS.length - 1)] ?? 5000,
        )
        keepTrying(tries + 1)
      })
    }, delay)
  }

  try {
    await attempt()
  } catch (error) {
    if (error instanceof SchemaNotReady || options.waitForDatabase === false) throw error
    events.onWaiting?.(messageOf(error), RECONNECT_DELAYS_MS[0] ?? 500)
    keepTrying(0)
  }

  return {
    repository,
    connected: () => opened !== undefined,
    ping: () =>
      opened === undefined ? TE.left(storeUnavailable('ping: not connected to SQL Server yet')) : repository.ping(),
    close: async () => {
      closed = true
      if (retry !== undefined) clearTimeout(retry)
      await waiter.catch(() => undefined)
      await opened?.close()
    },
  }
}
