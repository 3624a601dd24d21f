import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { JournalEntry, JournalRecord, OriginalOrderId } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, anOrderCreated } from '../domain-builders.js'
import { newRequestId } from '../receipts.js'
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
 * Each order operation journals its request in its own transaction (one atomic operation per request): the
 * entry is there exactly when the order change is, with the outcome, the status decided at commit and the body.
 */
export const journalWithOperationContract = (
  repository: RepositoryGetter,
  armJournalFailure: (eventType: string) => Promise<void>,
): void => {
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
      const { result, journal } = await createJournaled(
        repository(),
        anOrderCreated({ originalOrderId: key }),
        minute(1),
        due,
      )
      expect(result._tag).to.equal('Created')
      expect(journal.httpStatus).to.equal(503)
      expect(journal.detail).to.match(/after the deadline; answered 503/)
      expect(await onlyEntry(repository, key)).to.deep.include({
        outcome: 'created',
        httpStatus: 503,
        detail: journal.detail,
      })
      const late = await applyJournaled(repository(), aStatusReported('order.paid', key), minute(2), due)
      expect([late.result.outcome, late.journal.httpStatus]).to.deep.equal(['applied', 503])
      expect((await storedOrder(repository(), key)).status).to.equal('paid')
    })

    describe('one entry per request (the request id)', () => {
      const answered503 = (key: string, requestId: string, eventType = 'order.created'): JournalEntry => ({
        requestId,
        receivedAt: minute(1),
        eventType,
        originalOrderId: key,
        rawBody: '{"event_type":"order.created"}',
        outcome: 'failed',
        httpStatus: 503,
        durationMs: 5000,
        detail: 'answered 503 at the deadline of 5000 ms; the store then finished with failed',
      })

      it('an answer written after the commit keeps the committed facts with the status answered', async () => {
        const key = uniqueOrderId('A')
        const event = anOrderCreated({ originalOrderId: key })
        const requestId = newRequestId()
        const { journal } = await run(
          repository().createOrGet(
            event,
            receiptFor('order.created', createdBodyOf(event), minute(1), undefined, requestId),
          ),
        )
        const id = await run(repository().recordJournal(answered503(key, requestId)))
        expect(id, 'the same entry').to.equal(journal.id)
        const record = await onlyEntry(repository, key)
        expect(record).to.deep.include({
          requestId,
          outcome: 'created',
          httpStatus: 503,
          rawBody: createdBodyOf(event),
        })
        expect(record.detail).to.match(/^the store committed created after the hook had answered without it/)
        expect((await storedOrder(repository(), key)).number, 'the order stays').to.be.a('string')
      })

      it('a commit that lands after the answer was journaled writes that entry, not a second one', async () => {
        const key = uniqueOrderId('A')
        const event = anOrderCreated({ originalOrderId: key })
        const requestId = newRequestId()
        const id = await run(repository().recordJournal(answered503(key, requestId)))
        const { result, journal } = await run(
          repository().createOrGet(
            event,
            receiptFor('order.created', createdBodyOf(event), minute(1), undefined, requestId),
          ),
        )
        expect(result._tag).to.equal('Created')
        expect(journal.id, 'the same entry').to.equal(id)
        const record = await onlyEntry(repository, key)
        expect(record).to.deep.include({ id, requestId, outcome: 'created', httpStatus: 503 })
        expect(record.detail).to.match(/^the store committed created after the hook had answered without it/)
        const paid = aStatusReported('order.paid', key)
        const paidId = newRequestId()
        await run(repository().recordJournal(answered503(key, paidId, 'order.paid')))
        await run(
          repository().applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, minute(2), undefined, paidId)),
        )
        const records = await run(repository().listJournal(key))
        expect(records.map((r) => [r.requestId, r.outcome, r.httpStatus])).to.deep.equal([
          [requestId, 'created', 503],
          [paidId, 'applied', 503],
        ])
      })

      it('writing the same answer again (a retried write) changes nothing; a late settlement amends the one entry', async () => {
        const key = uniqueOrderId('A')
        const requestId = newRequestId()
        const first = await run(repository().recordJournal(answered503(key, requestId)))
        const again = await run(repository().recordJournal(answered503(key, requestId)))
        expect(again).to.equal(first)
        const event = anOrderCreated({ originalOrderId: key })
        const other = newRequestId()
        const { journal } = await run(
          repository().createOrGet(
            event,
            receiptFor('order.created', createdBodyOf(event), minute(2), undefined, other),
          ),
        )
        const amended = {
          ...answered503(key, other),
          outcome: 'created' as const,
          detail: 'the store committed created after the deadline; answered 503',
        }
        expect(await run(repository().recordJournal(amended))).to.equal(journal.id)
        const records = await run(repository().listJournal(key))
        expect(records.map((r) => [r.id, r.requestId, r.outcome, r.httpStatus, r.detail])).to.deep.equal([
          [first, requestId, 'failed', 503, answered503(key, requestId).detail],
          [journal.id, other, 'created', 503, amended.detail],
        ])
      })

      it('entries that are not requests (no request id) are each their own', async () => {
        const key = uniqueOrderId('A')
        const notARequest: JournalEntry = {
          ...answered503(key, 'x'),
          requestId: null,
          outcome: 'expired',
          httpStatus: 200,
          detail: 'expired',
        }
        const a = await run(repository().recordJournal(notARequest))
        const b = await run(repository().recordJournal(notARequest))
        expect(a).to.not.equal(b)
        expect((await run(repository().listJournal(key))).map((r) => r.requestId)).to.deep.equal([null, null])
      })
    })

    it('journals every one of 20 concurrent creates of one key: 1 created, 19 duplicate', async () => {
      const key = uniqueOrderId('A')
      const event = anOrderCreated({ originalOrderId: key })
      const results = await Promise.all(
        Array.from({ length: 20 }, () => createJournaled(repository(), event, minute(1))),
      )
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
        const failed = await repository().createOrGet(
          event,
          receiptFor(POISONED_EVENT_TYPE, createdBodyOf(event), minute(1)),
        )()
        expect(E.isLeft(failed), 'the create fails').to.equal(true)
        expect(O.isNone(await run(repository().findOrder(key as OriginalOrderId)))).to.equal(true)
        expect(await run(repository().listJournal(key))).to.deep.equal([])
        expect((await createAt(repository(), event, minute(2)))._tag, 'a later create makes it').to.equal('Created')
      })

      it('changes no order and keeps nothing pending', async () => {
        const key = uniqueOrderId('A')
        const paid = aStatusReported('order.paid', key)
        const unknownYet = await repository().applyUpdate(
          paid.update,
          receiptFor(POISONED_EVENT_TYPE, paid.rawBody, minute(1)),
        )()
        expect(E.isLeft(unknownYet), 'the pending write fails').to.equal(true)
        const created = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(2))
        expect(
          created._tag === 'Created' ? created.pendingApplied : 'not created',
          'nothing was kept pending',
        ).to.deep.equal([])
        const applied = await repository().applyUpdate(
          paid.update,
          receiptFor(POISONED_EVENT_TYPE, paid.rawBody, minute(3)),
        )()
        expect(E.isLeft(applied), 'the update fails').to.equal(true)
        expect((await storedOrder(repository(), key)).status).to.equal('new')
        expect((await run(repository().listJournal(key))).map((r) => r.outcome)).to.deep.equal(['created'])
      })
    })
  })
}
