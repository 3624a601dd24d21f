import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { storeTimeout } from '@domino-sm/core'
import {
  FaultyOrderRepository,
  InMemoryOrderRepository,
  always,
  anOrderCreated,
  atRandom,
  createdReceipt,
  onNextCalls,
  uniqueOrderId,
} from '@domino-sm/testkit'
import type { OrderCreated, RequestReceipt } from '@domino-sm/core'

const receipt = (event: OrderCreated): RequestReceipt => createdReceipt(event, at)

const at = new Date('2026-05-24T09:00:00.000Z')

const pingOutcomes = async (repository: FaultyOrderRepository, times: number): Promise<boolean[]> => {
  const outcomes: boolean[] = []
  for (let i = 0; i < times; i += 1) outcomes.push(E.isRight(await repository.ping()()))
  return outcomes
}

describe('FaultyOrderRepository', () => {
  it('passes every operation through when it has no faults', async () => {
    const inner = new InMemoryOrderRepository()
    const faulty = new FaultyOrderRepository(inner)
    const event = anOrderCreated({ originalOrderId: uniqueOrderId() })
    const result = await faulty.createOrGet(event, receipt(event))()
    expect(E.isRight(result) && result.right.result._tag).to.equal('Created')
    expect(faulty.calls('createOrGet')).to.equal(1)
  })

  it('fails always with StoreUnavailable, without reaching the wrapped store', async () => {
    const inner = new InMemoryOrderRepository()
    const faulty = new FaultyOrderRepository(inner, { createOrGet: { fail: always } })
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const result = await faulty.createOrGet(event, receipt(event))()
    expect(E.isLeft(result) && result.left._tag).to.equal('StoreUnavailable')
    const found = await inner.findOrder(key as never)()
    expect(E.isRight(found) && found.right._tag).to.equal('None')
    expect(E.isRight(await faulty.ping()())).to.equal(true)
  })

  it('fails the next N calls only, and returns the configured error', async () => {
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository(), {
      ping: { fail: onNextCalls(2), error: storeTimeout('slow') },
    })
    const first = await faulty.ping()()
    expect(E.isLeft(first) && first.left).to.deep.equal(storeTimeout('slow'))
    expect([E.isRight(first), ...(await pingOutcomes(faulty, 3))]).to.deep.equal([false, false, true, true])
  })

  it('applies `all` to operations without faults of their own', async () => {
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository(), { all: { fail: always }, ping: {} })
    expect(E.isRight(await faulty.ping()())).to.equal(true)
    expect(E.isLeft(await faulty.listJournal('K')())).to.equal(true)
  })

  it('fails at random with the given probability, the same calls for the same seed', async () => {
    const make = (seed: number) =>
      new FaultyOrderRepository(new InMemoryOrderRepository(), { ping: { fail: atRandom(0.3) } }, { seed })
    const a = await pingOutcomes(make(42), 400)
    const b = await pingOutcomes(make(42), 400)
    const c = await pingOutcomes(make(7), 400)
    expect(a).to.deep.equal(b)
    expect(a).to.not.deep.equal(c)
    const failures = a.filter((ok) => !ok).length
    expect(failures).to.be.within(80, 160)
  })

  it('delays the answer with a timer, then runs the wrapped operation', async () => {
    const inner = new InMemoryOrderRepository()
    const faulty = new FaultyOrderRepository(inner, { createOrGet: { delayMs: 60 } })
    const key = uniqueOrderId()
    const started = Date.now()
    const event = anOrderCreated({ originalOrderId: key })
    const pending = faulty.createOrGet(event, receipt(event))()
    // The wrapped store has not been reached while the delay runs.
    const meanwhile = await inner.findOrder(key as never)()
    expect(E.isRight(meanwhile) && meanwhile.right._tag).to.equal('None')
    const result = await pending
    expect(Date.now() - started).to.be.at.least(55)
    expect(E.isRight(result) && result.right.result._tag).to.equal('Created')
  })

  it('changes faults at run time and counts Next calls from the change', async () => {
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository())
    expect(await pingOutcomes(faulty, 1)).to.deep.equal([true])
    faulty.setFaults({ ping: { fail: onNextCalls(1) } })
    expect(await pingOutcomes(faulty, 2)).to.deep.equal([false, true])
    faulty.setFaults({ ping: { fail: always } })
    expect(await pingOutcomes(faulty, 2)).to.deep.equal([false, false])
    faulty.heal()
    expect(await pingOutcomes(faulty, 1)).to.deep.equal([true])
    expect(faulty.calls('ping')).to.equal(6)
  })
})
