import { expect } from 'chai'
import type mssql from 'mssql'
import { DeadlineExceeded, OperationBudget, withBudget } from '@domino-sm/adapter-domino-db/internals'

/** A stand-in for an mssql Request whose query settles only when cancelled (ECANCEL, as tedious reports it). */
const hangingRequest = (): { request: mssql.Request; cancelled: () => boolean } => {
  let cancelled = false
  let rejectQuery: (error: Error) => void = () => undefined
  const request = {
    query: () =>
      new Promise((_, reject) => {
        rejectQuery = reject
      }),
    cancel: () => {
      cancelled = true
      rejectQuery(Object.assign(new Error('Canceled.'), { code: 'ECANCEL' }))
    },
  } as unknown as mssql.Request
  return { request, cancelled: () => cancelled }
}

describe('operation budget', () => {
  it('answers DeadlineExceeded when the budget runs out and cancels the statement in flight', async () => {
    const { request, cancelled } = hangingRequest()
    let inner: unknown
    const started = Date.now()
    const outcome = await withBudget(50, (budget) =>
      budget.run(request, 'SELECT 1').catch((error: unknown) => {
        inner = error
        throw error
      }),
    ).catch((error: unknown) => error)
    expect(outcome).to.be.instanceOf(DeadlineExceeded)
    expect(Date.now() - started).to.be.lessThan(1000)
    expect(cancelled()).to.equal(true)
    await new Promise((resolve) => setImmediate(resolve))
    expect(inner, 'the cancelled statement reports the deadline, not ECANCEL').to.be.instanceOf(DeadlineExceeded)
  })

  it('starts no statement once the budget is spent', async () => {
    const budget = new OperationBudget(10)
    budget.expire()
    const { request } = hangingRequest()
    const error = await budget.run(request, 'SELECT 1').catch((e: unknown) => e)
    expect(error).to.be.instanceOf(DeadlineExceeded)
  })

  it('passes the result through when the work finishes in time', async () => {
    expect(await withBudget(1000, () => Promise.resolve(42))).to.equal(42)
  })

  it('passes a failure through unchanged when it is not the deadline', async () => {
    const failure = new Error('boom')
    expect(await withBudget(1000, () => Promise.reject(failure)).catch((e: unknown) => e)).to.equal(failure)
  })

  it('takes the lock wait from what remains of the budget, less a margin, never from the whole', async () => {
    const budget = new OperationBudget(3000)
    expect(budget.lockWaitMs()).to.be.within(2700, 2800)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(budget.remainingMs()).to.be.within(1800, 2050)
    expect(budget.lockWaitMs()).to.be.within(1600, 1850)
    budget.expire()
    expect(budget.remainingMs()).to.equal(0)
    expect(budget.lockWaitMs()).to.equal(1)
  })
})
