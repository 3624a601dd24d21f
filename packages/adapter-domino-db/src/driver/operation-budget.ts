import type mssql from 'mssql'
import { DeadlineExceeded } from './sql-error.js'

/**
 * The time budget of one store operation (DOMINO_DB_REQUEST_TIMEOUT_MS), shared by all of its requests and by the
 * wait for a pooled connection: it starts before the connection is asked for, so a lock wait computed afterwards
 * (`lockWaitMs`) comes from what is really left. When it runs out, the request in flight is cancelled
 * (`Request.cancel()`: tedious sends an attention; with XACT_ABORT ON SQL Server rolls the transaction back, and the
 * adapter rolls back itself in any case), no further request starts, and the caller is answered at once, without
 * waiting for the driver: the clean-up finishes in the background. Measured on the monotonic clock
 * (`performance.now()`), so a step of the wall clock neither lengthens nor shortens it.
 */
export class OperationBudget {
  private expiredFlag = false
  private active: mssql.Request | undefined
  private readonly startedAt = performance.now()

  constructor(readonly totalMs: number) {}

  get expired(): boolean {
    return this.expiredFlag
  }

  /** Milliseconds left of the budget (0 when spent). */
  remainingMs(): number {
    return this.expiredFlag ? 0 : Math.max(0, this.totalMs - (performance.now() - this.startedAt))
  }

  /**
   * How long the next lock wait may last (SET LOCK_TIMEOUT, sp_getapplock's @LockTimeout): what remains of the
   * budget, less a margin for the error to come back and the answer to go out. Taken from what remains, not from
   * the whole budget, so that a second wait in the same operation cannot outlast it.
   */
  lockWaitMs(): number {
    const margin = Math.min(200, Math.floor(this.totalMs * 0.1))
    return Math.max(1, this.remainingMs() - margin)
  }

  /** Throws when the budget is spent, so that no request starts late. */
  check(): void {
    if (this.expiredFlag) throw new DeadlineExceeded(this.totalMs)
  }

  /**
   * Sends one parameterised request (`Request.query`: an RPC of sp_executesql with typed parameters) under the
   * budget: cancelled if the budget runs out while it is in flight.
   */
  async run<R>(request: mssql.Request, text: string): Promise<mssql.IResult<R>> {
    this.check()
    this.active = request
    try {
      return await request.query<R>(text)
    } catch (error) {
      throw this.expiredFlag ? new DeadlineExceeded(this.totalMs) : error
    } finally {
      this.active = undefined
    }
  }

  /** Marks the budget spent and cancels the request in flight, if any. */
  expire(): void {
    this.expiredFlag = true
    this.active?.cancel()
  }
}

/**
 * Runs `body` with a fresh budget of `totalMs`. Settles with `body`'s result, or rejects with `DeadlineExceeded`
 * when the budget runs out first; `body` then still runs to its end (rollback included), and its result is dropped.
 */
export const withBudget = <A>(totalMs: number, body: (budget: OperationBudget) => Promise<A>): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const budget = new OperationBudget(totalMs)
    const timer = setTimeout(() => {
      budget.expire()
      reject(new DeadlineExceeded(totalMs))
    }, totalMs)
    body(budget).then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error instanceof Error ? error : new Error('non-error rejection'))
      },
    )
  })
