import mssql from 'mssql'
import type { OperationBudget } from '../operation-budget.js'
import { ROLLBACK_IF_OPEN } from './batch-text.js'

/** The driver connection (a tedious Connection) as far as the adapter touches it. */
interface DriverConnection {
  readonly closed?: boolean
  close(): void
}

/** The part of mssql's ConnectionPool that lends raw connections (public in mssql 12, untyped in @types/mssql). */
interface LendingPool {
  acquire(requester: object): Promise<DriverConnection>
  release(connection: DriverConnection): void
  readonly config: mssql.config
  readonly connected: boolean
}

/**
 * One pooled connection held for the whole of an operation, so that its batches (the transaction's first and last)
 * run on it, without `mssql.Transaction`, whose begin and commit are round trips of their own. mssql's `Request`
 * asks its parent for a connection (`acquire`) and gives it back (`release`); this parent always answers with the
 * pinned one. mssql is pinned to an exact version, and the integration suite runs every operation through this.
 */
export class PinnedConnection {
  private returned = false

  private constructor(private readonly pool: LendingPool, private readonly connection: DriverConnection) {}

  /** Borrows a connection; if the budget ran out meanwhile, gives it straight back and fails. */
  static async borrow(pool: mssql.ConnectionPool, budget: OperationBudget): Promise<PinnedConnection> {
    budget.check()
    const lending = pool as unknown as LendingPool
    const connection = await lending.acquire(pool)
    const pinned = new PinnedConnection(lending, connection)
    if (budget.expired) {
      pinned.release()
      budget.check()
    }
    return pinned
  }

  /** A request that runs on the pinned connection; `timeoutMs` overrides the driver's request timeout. */
  request(timeoutMs?: number): mssql.Request {
    // The parent's `parent` is the pool, so that mssql's diagnostics find the pool id.
    const parent = {
      parent: this.pool,
      config: this.pool.config,
      connected: this.pool.connected && this.connection.closed !== true,
      acquire: (_request: unknown, callback: (error: Error | null, connection?: DriverConnection, config?: mssql.config) => void) => {
        setImmediate(callback, null, this.connection, this.pool.config)
      },
      release: () => undefined,
    }
    // mssql 12 takes `{ requestTimeout }` as the second argument of Request (not in @types/mssql).
    const Request = mssql.Request as unknown as new (parent: unknown, overrides?: { requestTimeout: number }) => mssql.Request
    return timeoutMs === undefined ? new Request(parent) : new Request(parent, { requestTimeout: timeoutMs })
  }

  /** Gives the connection back to the pool. */
  release(): void {
    if (this.returned) return
    this.returned = true
    this.pool.release(this.connection)
  }

  /**
   * After a failure that may have left a transaction open (an error, a cancel, a deadline between two batches):
   * rolls it back, then gives the connection back. If that cannot be confirmed, the connection is closed first,
   * which ends its session on the server (rolling back and releasing every lock); the pool's validation then
   * drops it instead of lending it again.
   */
  async releaseClean(): Promise<void> {
    try {
      const result = await this.request().batch<{ open_transactions: number }>(ROLLBACK_IF_OPEN)
      if (result.recordset[0]?.open_transactions !== 0) this.connection.close()
    } catch {
      this.connection.close()
    }
    this.release()
  }
}
