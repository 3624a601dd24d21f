import type mssql from 'mssql'
import { DeadlineExceeded } from './sql-error.js'

/**
 * The time budget of one store operation (DOMINO_DB_REQUEST_TIMEOUT_MS), shared by all of its statements. When it
 * runs out, the statement in flight is cancelled (tedious sends an attention; with XACT_ABORT ON SQL Server rolls
 * the transaction back), no further statement starts, and the caller is answered at once, without waiting for the
 * driver: the clean-up finishes in the background.
 */
export class OperationBudget {
  private expiredFlag = false
  private active: mssql.Request | undefined

  constructor(readonly totalMs: number) {}

  get expired(): boolean {
    return this.expiredFlag
  }

  /** Throws when the budget is spent, so that no statement starts late. */
  check(): void {
    if (this.expiredFlag) throw new DeadlineExceeded(this.totalMs)
  }

  /** Runs one request under the budget: cancelled if the budget runs out while it is in flight. */
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
