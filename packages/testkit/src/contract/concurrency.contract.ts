import { expect } from 'chai'
import type { ApplyUpdateResult, CreateOrGetResult } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, anOrderCreated } from '../domain-builders.js'
import { aWirePosition } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, minute, storedOrder, type RepositoryGetter } from './contract-support.js'

const count = <A>(items: readonly A[], test: (item: A) => boolean): number => items.filter(test).length

/** What several instances of the hook do at once: the store alone keeps one order per key and loses nothing. */
export const concurrencyContract = (repository: RepositoryGetter, concurrentCreates: number): void => {
  describe('concurrency', () => {
    it(`creates one order from ${concurrentCreates} concurrent creates of one key`, async () => {
      const key = uniqueOrderId('R')
      const event = anOrderCreated({ originalOrderId: key })
      const results = await Promise.all(
        Array.from({ length: concurrentCreates }, () => createAt(repository(), event, minute(0))),
      )
      expect(count(results, (r) => r._tag === 'Created')).to.equal(1)
      expect(count(results, (r) => r._tag === 'AlreadyExists')).to.equal(concurrentCreates - 1)
      expect(new Set(results.map((r) => r.order.number)).size).to.equal(1)
      expect((await storedOrder(repository(), key)).number).to.equal(results[0]?.order.number)
    })

    it('gives concurrent creates of different keys different numbers', async () => {
      const events = Array.from({ length: 20 }, () =>
        anOrderCreated({ originalOrderId: uniqueOrderId('R') }, { minimal: true }),
      )
      const results = await Promise.all(events.map((event) => createAt(repository(), event, minute(0))))
      expect(count(results, (r) => r._tag === 'Created')).to.equal(20)
      expect(new Set(results.map((r) => r.order.number)).size).to.equal(20)
    })

    it('applies one of 20 concurrent identical status updates; the rest are duplicates', async () => {
      const key = uniqueOrderId('R')
      await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
      const paid = aStatusReported('order.paid', key)
      const results = await Promise.all(Array.from({ length: 20 }, () => applyAt(repository(), paid, minute(1))))
      expect(count(results, (r) => r.outcome === 'applied')).to.equal(1)
      expect(count(results, (r) => r.outcome === 'duplicate')).to.equal(19)
      expect((await storedOrder(repository(), key)).status).to.equal('paid')
    })

    it('loses no update that races the create of its order', async () => {
      for (let round = 0; round < 5; round += 1) {
        const key = uniqueOrderId('R')
        const created = anOrderCreated({ originalOrderId: key })
        const change = anOrderChanged(
          { originalOrderId: key, positions: [aWirePosition({ id: `RACE${round}` })] },
          { minimal: true },
        )
        const updates = [aStatusReported('order.paid', key), change, aStatusReported('order.received', key)]
        // Started in a different order each round, so that every interleaving a store can produce gets a chance.
        const starters: (() => Promise<CreateOrGetResult | ApplyUpdateResult>)[] = [
          () => createAt(repository(), created, minute(0)),
          ...updates.map((update, index) => () => applyAt(repository(), update, minute(index + 1))),
          () => createAt(repository(), created, minute(0)),
        ]
        const rotated = [...starters.slice(round % starters.length), ...starters.slice(0, round % starters.length)]
        const results = await Promise.all(rotated.map((start) => start()))
        const createResults = results.filter((r): r is CreateOrGetResult => '_tag' in r)
        const updateResults = results.filter((r): r is ApplyUpdateResult => 'outcome' in r)
        expect(updateResults, `round ${round}`).to.have.length(3)
        expect(
          count(createResults, (r) => r._tag === 'Created'),
          `round ${round}`,
        ).to.equal(1)
        const winner = createResults.find((r) => r._tag === 'Created')
        const pendingApplied = winner?._tag === 'Created' ? winner.pendingApplied : []
        // Every update was applied to the order, or kept pending and then applied by the create: none in between.
        expect(pendingApplied.length, `round ${round}`).to.equal(count(updateResults, (r) => r.outcome === 'pending'))
        const stored = await storedOrder(repository(), key)
        expect(stored.status, `round ${round}`).to.equal('handed_to_courier')
        expect(stored.content, `round ${round}`).to.deep.equal(change.update.content)
      }
    })

    it('loses no cancel that races the create of its order', async () => {
      const key = uniqueOrderId('R')
      const [result, cancel] = await Promise.all([
        createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0)),
        applyAt(repository(), aStatusReported('order.cancelled', key), minute(1)),
      ])
      expect(result._tag).to.equal('Created')
      expect(['applied', 'pending']).to.include(cancel.outcome)
      expect((await storedOrder(repository(), key)).status).to.equal('cancelled')
    })
  })
}
