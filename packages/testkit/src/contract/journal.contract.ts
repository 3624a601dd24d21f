import { expect } from 'chai'
import { OUTCOMES, type JournalEntry } from '@domino-sm/core'
import { orderCreatedBody } from '../payload-builders.js'
import { newRequestId } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { minute, run, type RepositoryGetter } from './contract-support.js'

const entryFor = (key: string | null, fields: Partial<JournalEntry> = {}): JournalEntry => ({
  requestId: newRequestId(),
  receivedAt: minute(0),
  eventType: 'order.created',
  originalOrderId: key,
  rawBody: key === null ? '{}' : orderCreatedBody({ originalOrderId: key }).body,
  outcome: 'created',
  httpStatus: 200,
  durationMs: 12,
  detail: null,
  ...fields,
})

/** The journal: every field round-trips, `listJournal` gives one key's entries oldest first; and `ping`. */
export const journalContract = (repository: RepositoryGetter): void => {
  describe('journal and ping', () => {
    it('round-trips every field of an entry, Cyrillic body and dates to the millisecond', async () => {
      const key = uniqueOrderId('J')
      const entry = entryFor(key, {
        receivedAt: new Date('2026-05-24T09:15:42.987Z'),
        detail: 'applied 1 pending: applied',
        durationMs: 3,
      })
      const id = await run(repository().recordJournal(entry))
      const records = await run(repository().listJournal(key))
      expect(records).to.have.length(1)
      const [record] = records
      expect(record?.id).to.be.a('number').and.equal(id)
      expect(record).to.deep.equal({ ...entry, id: record?.id })
      expect(record?.rawBody).to.contain('Иван Петров')
    })

    it('round-trips null fields', async () => {
      const key = uniqueOrderId('J')
      const entry = entryFor(key, {
        eventType: null,
        rawBody: null,
        detail: null,
        outcome: 'rejected',
        httpStatus: 400,
      })
      await run(repository().recordJournal(entry))
      const [record] = await run(repository().listJournal(key))
      expect(record).to.deep.equal({ ...entry, id: record?.id })
    })

    it('round-trips a large body (~200 KB) exactly', async () => {
      const key = uniqueOrderId('J')
      const filler = 'Большой заказ: «молоко», 129.90 ₽; '.repeat(6000)
      const rawBody = JSON.stringify({ event_type: 'order.changed', payload: { originalOrderId: key, note: filler } })
      expect(rawBody.length).to.be.greaterThan(200_000)
      await run(repository().recordJournal(entryFor(key, { rawBody, eventType: 'order.changed', outcome: 'pending' })))
      const [record] = await run(repository().listJournal(key))
      expect(record?.rawBody).to.equal(rawBody)
    })

    it('round-trips every outcome', async () => {
      const key = uniqueOrderId('J')
      for (const [index, outcome] of OUTCOMES.entries()) {
        await run(repository().recordJournal(entryFor(key, { outcome, receivedAt: minute(index) })))
      }
      const records = await run(repository().listJournal(key))
      expect(records.map((record) => record.outcome)).to.deep.equal(OUTCOMES)
    })

    it('lists only the entries of one key, oldest first', async () => {
      const key = uniqueOrderId('J')
      const other = uniqueOrderId('J')
      const plan: [string | null, string][] = [
        [key, 'a'],
        [other, 'x'],
        [key, 'b'],
        [null, 'n'],
        [key, 'c'],
      ]
      for (const [index, [k, detail]] of plan.entries()) {
        await run(repository().recordJournal(entryFor(k, { detail, receivedAt: minute(index) })))
      }
      const records = await run(repository().listJournal(key))
      expect(records.map((record) => record.detail)).to.deep.equal(['a', 'b', 'c'])
      const ids = records.map((record) => record.id)
      expect([...ids].sort((a, b) => a - b)).to.deep.equal(ids)
      expect(new Set(ids).size).to.equal(3)
      expect((await run(repository().listJournal(other))).map((record) => record.detail)).to.deep.equal(['x'])
      expect(await run(repository().listJournal(uniqueOrderId('J')))).to.deep.equal([])
    })

    it('answers ping', async () => {
      await run(repository().ping())
    })
  })
}
