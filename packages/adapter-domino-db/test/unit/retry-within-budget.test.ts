import { expect } from 'chai'
import mssql from 'mssql'
import { MAX_ATTEMPTS, OperationBudget, retryWithinBudget } from '@domino-sm/adapter-domino-db/internals'

/** An error as mssql reports a SQL Server error: a RequestError with the server's number. */
const serverError = (number: number): Error => {
  const error = new mssql.RequestError(`server error ${number}`, 'EREQUEST')
  error.number = number
  return error
}

const failingThen = (errors: readonly Error[]): { attempt: () => Promise<string>; tries: () => number } => {
  let tries = 0
  return {
    attempt: () => {
      const error = errors[tries]
      tries += 1
      return error === undefined ? Promise.resolve('done') : Promise.reject(error)
    },
    tries: () => tries,
  }
}

describe('retryWithinBudget', () => {
  for (const [what, number] of [
    ['a deadlock victim (1205)', 1205],
    ['sp_getapplock answering -3 (50004)', 50004],
    ['a duplicate key (2627)', 2627],
  ] as const) {
    it(`tries again after ${what}`, async () => {
      const run = failingThen([serverError(number)])
      expect(await retryWithinBudget('op', new OperationBudget(10_000), run.attempt)).to.equal('done')
      expect(run.tries()).to.equal(2)
    })
  }

  it(`gives up after ${MAX_ATTEMPTS} tries`, async () => {
    const run = failingThen(Array.from({ length: MAX_ATTEMPTS + 1 }, () => serverError(1205)))
    const error = await retryWithinBudget('op', new OperationBudget(10_000), run.attempt).catch((e: unknown) => e)
    expect((error as { number?: number }).number).to.equal(1205)
    expect(run.tries()).to.equal(MAX_ATTEMPTS)
  })

  it('does not try again once the budget is spent, nor after other errors', async () => {
    const spent = new OperationBudget(10_000)
    spent.expire()
    const afterBudget = failingThen([serverError(1205)])
    await retryWithinBudget('op', spent, afterBudget.attempt).catch(() => undefined)
    expect(afterBudget.tries()).to.equal(1)
    const permanent = failingThen([serverError(547)])
    await retryWithinBudget('op', new OperationBudget(10_000), permanent.attempt).catch(() => undefined)
    expect(permanent.tries()).to.equal(1)
  })
})
