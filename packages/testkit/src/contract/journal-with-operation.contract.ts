import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { JournalRecord, OriginalOrderId } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, anOrderCreated } from '../domain-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import {
  applyJournaled,
  createAt,
  createdBodyOf,
  createJournaled,
  eventTypeOf,
  minute,
  receiptFor,
  run,
  storedOrder,
  type RepositoryGetter,
} from './contract-support.js'

/** The event type whose journal inserts the harness makes fail (see `RepositoryHarness.failJournalInsertsOf`). */
export const POISONED_EVENT_TYPE = 'contract.journal-insert-fails'

const onlyEntry = async (repository: RepositoryGetter, key: string): Promise<JournalRecord> => {
  const records = await run(repository().listJournal(key))
  expect(records, `journal of ${key}`).to.have.length(1)
  const [record] = records
  if (record === undefined) throw new Error('unreachable')
  return record
}

/**
 * Each order operation journals its request in its own transaction (issue: one atomic operation per request): the
 * entry is there exactly when the order change is, with the outcome, the status decided at commit and the body.
 */
export const journalWithOperationContract = (repository: RepositoryGetter, armJournalFailure: (eventType: string) => Promise<void>): void => {
  describe('the journal entry committed with the operation', () => {
    it('journals a create as created, with the receipt, status 200 and the stamp of the entry', async () => {
      const key = uniqueOrderId('A')
      const event = anOrderCreated({ originalOrderId: key })
      const { journal } = await createJournaled(repository(), event, minute(1))
      const record = await onlyEntry(repository, key)
      expect(record).to.deep.include({
        id: journal.id,
        receivedAt: minute(1),
        eventType: 'order.created',
        originalOrderId: key,
        rawBody: createdBodyOf(event),
        outcome: 'created',
        httpStatus: 200,
        detail: null,
      })
      expect(record.durationMs).to.be.a('number').and.at.least(0)
      expect(journal).to.deep.equal({ id: record.id, httpStatus: 200, detail: null })
    })

    it('journals a repeated create as duplicate, and each update with its outcome', async () => {
      const key = uniqueOrderId('A')
      const paidEarly = aStatusReported('order.paid', key)
      const steps = [
        await applyJournaled(repository(), paidEarly, minute(1)),
        await createJournaled(repository(), anOrderCreated({ originalOrderId: key }), minute(2)),
        await createJournaled(repository(), anOrderCreated({ originalOrderId: key }), minute(3)),
        await applyJournaled(repository(), aStatusReported('order.paid', key), minute(4)),
        await applyJournaled(repository(), aStatusReported('order.received', key), minute(5)),
        await applyJournaled(repository(), aStatusReported('order.paid', key), minute(6)),
        await applyJournaled(repository(), anOrderChanged({ originalOrderId: key }), minute(7)),
      ]
      const records = await run(repository().listJournal(key))
      expect(records.map((r) => [r.outcome, r.httpStatus, r.detail])).to.deep.equal([
        ['pending', 200, null],
        ['created', 200, 'applied 1 pending: applied'],
        ['duplicate', 200, null],
        ['duplicate', 200, null],
        ['applied', 200, null],
        ['stale', 200, null],
        ['applied', 200, null],
      ])
      expect(records.map((r) => r.id)).to.deep.equal(steps.map((s) => s.journal.id))
      expect(records[0]?.rawBody).to.equal(paidEarly.rawBody)
      expect(records[0]?.eventType).to.equal(eventTypeOf(paidEarly))
    })

    it('journals an operation committed after its answer was due as answered 503, and still commits it', async () => {
      const key = uniqueOrderId('A')
      const due = new Date(Date.UTC(2000, 0, 1))
      const { result, journal } = await createJournaled(repository(), anOrderCreated({ originalOrderId: key }), minute(1), due)
      expect(result._tag).to.equal('Created')
      expect(journal.httpStatus).to.equal(503)
      expect(journal.detail).to.match(/after the deadline; answered 503/)
      expect(await onlyEntry(repository, key)).to.deep.include({ outcome: 'created', httpStatus: 503, detail: journal.detail })
      const late = await applyJournaled(repository(), aStatusReported('order.paid', key), minute(2), due)
      expect([late.result.outcome, late.journal.httpStatus]).to.deep.equal(['applied', 503])
      expect((await storedOrder(repository(), key)).status).to.equal('paid')
    })

    it('amends the status and detail of one entry, and only of that one', async () => {
      const key = uniqueOrderId('A')
      const first = await createJournaled(repository(), anOrderCreated({ originalOrderId: key }), minute(1))
      const second = await createJournaled(repository(), anOrderCreated({ originalOrderId: key }), minute(2))
      await run(repository().amendJournalStatus(first.journal.id, 503, 'answered 503 at the deadline'))
      const records = await run(repository().listJournal(key))
      expect(records.map((r) => [r.id, r.httpStatus, r.detail])).to.deep.equal([
        [first.journal.id, 503, 'answered 503 at the deadline'],
        [second.journal.id, 200, null],
      ])
    })

    it('journals every one of 20 concurrent creates of one key: 1 created, 19 duplicate', async () => {
      const key = uniqueOrderId('A')
      const event = anOrderCreated({ originalOrderId: key })
      const results = await Promise.all(Array.from({ length: 20 }, () => createJournaled(repository(), event, minute(1))))
      const records = await run(repository().listJournal(key))
      expect(records.filter((r) => r.outcome === 'created')).to.have.length(1)
      expect(records.filter((r) => r.outcome === 'duplicate')).to.have.length(19)
      expect(new Set(records.map((r) => r.id))).to.deep.equal(new Set(results.map((r) => r.journal.id)))
    })

    describe('when the journal entry cannot be written', () => {
      before(async () => {
        await armJournalFailure(POISONED_EVENT_TYPE)
      })

      it('creates no order and keeps no journal entry', async () => {
        const key = uniqueOrderId('A')
        const event = anOrderCreated({ originalOrderId: key })
        const failed = await repository().createOrGet(event, receiptFor(POISONED_EVENT_TYPE, createdBodyOf(event), minute(1)))()
        expect(E.isLeft(failed), 'the create fails').to.equal(true)
        expect(O.isNone(await run(repository().findOrder(key as OriginalOrderId)))).to.equal(true)
        expect(await run(repository().listJournal(key))).to.deep.equal([])
        expect((await createAt(repository(), event, minute(2)))._tag, 'a later create makes it').to.equal('Created')
      })

      it('changes no order and keeps nothing pending', async () => {
        const key = uniqueOrderId('A')
        const paid = aStatusReported('order.paid', key)
        const unknownYet = await repository().applyUpdate(paid.update, receiptFor(POISONED_EVENT_TYPE, paid.rawBody, minute(1)))()
        expect(E.isLeft(unknownYet), 'the pending write fails').to.equal(true)
        const created = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(2))
        expect(created._tag === 'Created' ? created.pendingApplied : 'not created', 'nothing was kept pending').to.deep.equal([])
        const applied = await repository().applyUpdate(paid.update, receiptFor(POISONED_EVENT_TYPE, paid.rawBody, minute(3)))()
        expect(E.isLeft(applied), 'the update fails').to.equal(true)
        expect((await storedOrder(repository(), key)).status).to.equal('new')
        expect((await run(repository().listJournal(key))).map((r) => r.outcome)).to.deep.equal(['created'])
      })
    })
  })
}
