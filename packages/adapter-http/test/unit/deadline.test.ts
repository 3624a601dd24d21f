import { expect } from 'chai'
import { withinDeadline } from '../../dist/http/deadline.js'

describe('withinDeadline', () => {
  it('gives the value of work that finishes in time', async () => {
    expect(await withinDeadline(Promise.resolve(7), 1000)).to.deep.equal({ _tag: 'InTime', value: 7 })
  })

  it('says Late when the work outlasts the deadline, without cancelling it', async () => {
    let finished = false
    const work = new Promise<number>((resolve) =>
      setTimeout(() => {
        finished = true
        resolve(1)
      }, 60),
    )
    expect(await withinDeadline(work, 10)).to.deep.equal({ _tag: 'Late' })
    await work
    expect(finished).to.equal(true)
  })

  it('rejects with the error of work that fails in time, as a race would', async () => {
    const failure = new Error('store exploded')
    let caught: unknown
    await withinDeadline(Promise.reject(failure), 1000).catch((error: unknown) => {
      caught = error
    })
    expect(caught).to.equal(failure)
  })

  it('says Late once the deadline passed even when the work fails afterwards', async () => {
    const work = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('late failure')), 40))
    expect(await withinDeadline(work, 5)).to.deep.equal({ _tag: 'Late' })
    await work.catch(() => undefined)
  })
})
