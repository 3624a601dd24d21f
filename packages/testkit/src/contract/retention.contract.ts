import { expect } from 'chai'
import type { JournalEntry, RetentionPolicy } from '@domino-sm/core'
import { aStatusReported, anOrderCreated } from '../domain-builders.js'
import { newRequestId } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, run, type RepositoryGetter } from './contract-support.js'

// Retention works on the whole store, so its tests use times long before any other test's (2001), and each test
// its own year window, so that they count exactly what they made.
const at = (year: number, day: number): Date => new Date(Date.UTC(year, 0, day, 12, 0, 0, 250))

const policy = (bodiesBefore: Date, pendingBefore: Date, batchSize = 100): RetentionPolicy => ({
  clearBodiesReceivedBefore: bodiesBefore,
  expirePendingReceivedBefore: pendingBefore,
  now: new Date(Date.UTC(2026, 10, 29, 3, 0, 0)),
  batchSize,
})

const entry = (key: string, receivedAt: Date, rawBody: string | null): JournalEntry => ({
  requestId: newRequestId(),
  receivedAt,
  eventType: 'order.paid',
  originalOrderId: key,
  rawBody,
  outcome: 'rejected',
  httpStatus: 400,
  durationMs: 2,
  detail: 'kept facts',
})

/** The retention policy (`applyRetention`) and `stats`: bodies cleared with facts kept, pending updates expired once. */
export const retentionContract = (repository: RepositoryGetter): void => {
  describe('retention', () => {
    it('clears the raw body of entries received before the cutoff, in batches, and keeps every fact', async () => {
      const key = uniqueOrderId('T')
      const old = [1, 2, 3, 4, 5].map((day) => entry(key, at(1990, day), `{"n":${day},"name":"Иван Петров"}`))
      const recent = entry(key, at(1990, 20), '{"name":"Мария"}')
      for (const e of [...old, recent]) await run(repository().recordJournal(e))
      const report = await run(repository().applyRetention(policy(at(1990, 10), at(1970, 1), 2)))
      expect(report).to.deep.equal({ bodiesCleared: 5, pendingExpired: 0 })
      const records = await run(repository().listJournal(key))
      expect(records.map((r) => r.rawBody)).to.deep.equal([null, null, null, null, null, '{"name":"Мария"}'])
      records.slice(0, 5).forEach((record, index) => {
        const { rawBody: _cleared, ...facts } = old[index] ?? recent
        expect(record).to.deep.include(facts)
      })
      expect(await run(repository().applyRetention(policy(at(1990, 10), at(1970, 1), 2)))).to.deep.equal({
        bodiesCleared: 0,
        pendingExpired: 0,
      })
    })

    it('expires pending updates received before the cutoff, journals each once as expired, keeps newer ones', async () => {
      const gone = uniqueOrderId('T')
      const kept = uniqueOrderId('T')
      await applyAt(repository(), aStatusReported('order.paid', gone), at(1991, 1))
      await applyAt(repository(), aStatusReported('order.received', gone), at(1991, 2))
      await applyAt(repository(), aStatusReported('order.paid', kept), at(1991, 20))
      const report = await run(repository().applyRetention(policy(at(1970, 1), at(1991, 10), 1)))
      expect(report).to.deep.equal({ bodiesCleared: 0, pendingExpired: 2 })
      const expired = (await run(repository().listJournal(gone))).filter((r) => r.outcome === 'expired')
      expect(expired).to.have.length(2)
      for (const record of expired) {
        expect(record).to.deep.include({ originalOrderId: gone, rawBody: null, eventType: null, httpStatus: 200 })
        expect(record.detail).to.match(/1991-01-0[12]T12:00:00\.250Z was removed unapplied/)
      }
      const lateCreate = await createAt(repository(), anOrderCreated({ originalOrderId: gone }), at(1991, 21))
      expect(lateCreate._tag === 'Created' ? lateCreate.pendingApplied : 'not created').to.deep.equal([])
      const keptCreate = await createAt(repository(), anOrderCreated({ originalOrderId: kept }), at(1991, 21))
      expect(
        keptCreate._tag === 'Created' ? keptCreate.pendingApplied.map((p) => p.outcome) : 'not created',
      ).to.deep.equal(['applied'])
    })

    it('expires each pending update exactly once when 4 runs race', async () => {
      const keys = Array.from({ length: 10 }, () => uniqueOrderId('T'))
      for (const [index, key] of keys.entries())
        await applyAt(repository(), aStatusReported('order.paid', key), at(1992, index + 1))
      const reports = await Promise.all(
        Array.from({ length: 4 }, () => run(repository().applyRetention(policy(at(1970, 1), at(1992, 20), 3)))),
      )
      expect(reports.reduce((sum, r) => sum + r.pendingExpired, 0)).to.equal(10)
      for (const key of keys) {
        const outcomes = (await run(repository().listJournal(key))).map((r) => r.outcome)
        expect(outcomes, key).to.deep.equal(['pending', 'expired'])
      }
    })

    it('counts rows and bodies in stats', async () => {
      const before = await run(repository().stats())
      expect(before.tables.length).to.be.at.least(4)
      const key = uniqueOrderId('T')
      await run(repository().recordJournal(entry(key, at(1993, 1), '{"body":1}')))
      await run(repository().recordJournal(entry(key, at(1993, 2), null)))
      const after = await run(repository().stats())
      const rows = (s: typeof before): number => s.tables.reduce((sum, t) => sum + t.rows, 0)
      expect(rows(after) - rows(before)).to.equal(2)
      expect(after.journalBodies - before.journalBodies).to.equal(1)
      expect(after.oldestJournalBody?.getTime()).to.be.at.most(at(1993, 1).getTime())
      for (const table of after.tables) expect(table.rows, table.table).to.be.at.least(0)
    })
  })
}
