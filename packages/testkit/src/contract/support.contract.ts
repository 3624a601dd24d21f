import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  forecastReplay,
  replayEntry,
  type JournalEntry,
  type JournalRecord,
  type OrderRepository,
  type OriginalOrderId,
  type ReplayDeps,
} from '@domino-sm/core'
import { PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody } from '@domino-sm/core/internals'
import { aStatusReported, anOrderChanged, anOrderCreated, anOrderCreatedForReview } from '../domain-builders.js'
import { orderChangedBody, orderCreatedBody, statusBody } from '../payload-builders.js'
import { newRequestId, receiptFor } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { applyAt, createAt, minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'

/** What the customer of `fullOrderPayload` is: none of it may be readable after an erasure. */
export const PERSONAL_DATA_OF_FULL_ORDER: readonly string[] = [
  'Иван Петров',
  '+79031234567',
  'ivan@example.ru',
  'Тверская',
  '55.757',
  '37.615',
]

/** The entry the edge writes for a request the store could not take (store locked or down): `failed`, 503, with its body. */
export const failedEntry = (key: string, rawBody: string, eventType: string, at: Date): JournalEntry => ({
  requestId: newRequestId(),
  receivedAt: at,
  eventType,
  originalOrderId: key,
  rawBody,
  outcome: 'failed',
  httpStatus: 503,
  durationMs: 5000,
  detail: 'StoreTimeout',
})

const entriesOf = (repository: OrderRepository, key: string): Promise<readonly JournalRecord[]> =>
  run(repository.listJournal(key))

/**
 * The replay's deps on a store alone. The status a replay's own entry records is the edge's to choose
 * (adapter-http's `answeredStatus`); this suite checks what the store journals, so a result that is no success is
 * recorded here as the edge records a store failure, 503.
 */
const replayDeps = (repository: OrderRepository): ReplayDeps => ({
  orders: repository,
  now: () => new Date(),
  newRequestId,
  answeredStatus: (result) => (E.isRight(result) ? 200 : 503),
})

const recordOf = async (repository: OrderRepository, id: number): Promise<JournalRecord> => {
  const [found] = await run(repository.searchJournal({ ids: [id], limit: 1, withBodies: true }))
  if (found === undefined) throw new Error(`no journal entry ${id}`)
  return found
}

/**
 * What support does (README "Support"): the journal query that `journal list`, `journal replay` and the admin API
 * read; a replay of failed requests through the hook's use case, idempotent and journaled as a replay; the
 * erasure of a customer's personal data, which keeps the order's number, lines, statuses and the journal's facts.
 */
export const supportContract = (repository: RepositoryGetter): void => {
  describe('support: journal query', () => {
    it('selects by key, outcome and time, oldest first, without bodies unless asked, and pages by id', async () => {
      const key = uniqueOrderId('SQ')
      const body = orderCreatedBody({ originalOrderId: key }).body
      const ids: number[] = []
      for (const [i, outcome] of (['failed', 'rejected', 'failed', 'created'] as const).entries()) {
        ids.push(
          await run(repository().recordJournal({ ...failedEntry(key, body, 'order.created', minute(i)), outcome })),
        )
      }
      const failed = await run(
        repository().searchJournal({ originalOrderId: key, outcomes: ['failed'], limit: 10, withBodies: false }),
      )
      expect(failed.map((r) => r.id)).to.deep.equal([ids[0], ids[2]])
      expect(failed.every((r) => r.rawBody === null && r.hasBody)).to.equal(true)
      const withBodies = await run(
        repository().searchJournal({
          originalOrderId: key,
          outcomes: ['failed', 'rejected'],
          limit: 10,
          withBodies: true,
        }),
      )
      expect(withBodies.map((r) => r.rawBody)).to.deep.equal([body, body, body])
      const window = await run(
        repository().searchJournal({
          originalOrderId: key,
          since: minute(1),
          until: minute(3),
          limit: 10,
          withBodies: false,
        }),
      )
      expect(window.map((r) => r.id)).to.deep.equal([ids[1], ids[2]])
      const firstPage = await run(repository().searchJournal({ originalOrderId: key, limit: 3, withBodies: false }))
      expect(firstPage.map((r) => r.id)).to.deep.equal(ids.slice(0, 3))
      const next = await run(
        repository().searchJournal({
          originalOrderId: key,
          afterId: firstPage.at(-1)?.id ?? 0,
          limit: 3,
          withBodies: false,
        }),
      )
      expect(next.map((r) => r.id)).to.deep.equal(ids.slice(3))
      const byId = await run(
        repository().searchJournal({ ids: [ids[3] ?? 0, ids[1] ?? 0], limit: 10, withBodies: false }),
      )
      expect(byId.map((r) => r.id)).to.deep.equal([ids[1], ids[3]])
    })

    it('says whether a body is kept, and finds the entries of orders marked for review', async () => {
      const marked = uniqueOrderId('SQ')
      const clean = uniqueOrderId('SQ')
      await createAt(
        repository(),
        anOrderCreatedForReview({ originalOrderId: marked, positions: [{ id: 'A', quantity: 1, price: 'бесплатно' }] }),
        minute(0),
      )
      await createAt(repository(), anOrderCreated({ originalOrderId: clean }), minute(0))
      const id = await run(
        repository().recordJournal({ ...failedEntry(marked, '', 'order.paid', minute(1)), rawBody: null }),
      )
      const review = await run(
        repository().searchJournal({
          forReview: true,
          since: minute(0),
          until: minute(2),
          limit: 1000,
          withBodies: false,
        }),
      )
      const keys = new Set(review.map((r) => r.originalOrderId))
      expect(keys.has(marked)).to.equal(true)
      expect(keys.has(clean)).to.equal(false)
      expect(review.find((r) => r.id === id)?.hasBody).to.equal(false)
    })
  })

  describe('support: replay', () => {
    it('replays failed requests into an order, journaled as replays; a dry run changes nothing; a second replay creates nothing', async () => {
      const key = uniqueOrderId('RP')
      const created = orderCreatedBody({ originalOrderId: key }).body
      const paid = statusBody('order.paid', key).body
      const createdId = await run(repository().recordJournal(failedEntry(key, created, 'order.created', minute(0))))
      const paidId = await run(repository().recordJournal(failedEntry(key, paid, 'order.paid', minute(1))))
      const originals = [await recordOf(repository(), createdId), await recordOf(repository(), paidId)]

      const forecast = [
        await forecastReplay(replayDeps(repository()))(originals[0] as JournalRecord)(),
        await forecastReplay(replayDeps(repository()))(originals[1] as JournalRecord)(),
      ]
      expect(forecast.map((f) => (f._tag === 'WouldReplay' ? f.outcome : f._tag))).to.deep.equal(['created', 'pending'])
      expect((await entriesOf(repository(), key)).length).to.equal(2)
      expect(await run(repository().findOrder(key as OriginalOrderId))).to.have.property('_tag', 'None')

      const first = []
      for (const record of originals) first.push(await replayEntry(replayDeps(repository()))(record)())
      expect(first.map((r) => (r._tag === 'Replayed' ? r.outcome : r._tag))).to.deep.equal(['created', 'applied'])
      const order = await storedOrder(repository(), key)
      expect(order.status).to.equal('paid')
      expect(first[0]).to.have.property('number', order.number)

      const second = []
      for (const record of originals) second.push(await replayEntry(replayDeps(repository()))(record)())
      expect(second.map((r) => (r._tag === 'Replayed' ? r.outcome : r._tag))).to.deep.equal(['duplicate', 'duplicate'])
      expect(second[0]).to.have.property('number', order.number)
      expect((await storedOrder(repository(), key)).number).to.equal(order.number)

      const journal = await entriesOf(repository(), key)
      expect(journal.map((r) => [r.outcome, r.replayOf ?? null])).to.deep.equal([
        ['failed', null],
        ['failed', null],
        ['created', createdId],
        ['applied', paidId],
        ['duplicate', createdId],
        ['duplicate', paidId],
      ])
      expect(new Set(journal.map((r) => r.requestId)).size).to.equal(6)
      const replays = await run(
        repository().searchJournal({ originalOrderId: key, outcomes: ['created'], limit: 10, withBodies: true }),
      )
      expect(replays.map((r) => r.replayOf)).to.deep.equal([createdId])
    })

    it('lists as not replayable an entry whose body is not kept, and changes nothing for it', async () => {
      const key = uniqueOrderId('RP')
      const id = await run(
        repository().recordJournal({ ...failedEntry(key, '', 'order.created', minute(0)), rawBody: null }),
      )
      const result = await replayEntry(replayDeps(repository()))(await recordOf(repository(), id))()
      expect(result._tag).to.equal('NotReplayable')
      expect((await entriesOf(repository(), key)).length).to.equal(1)
    })
  })

  describe('support: erasure of personal data', () => {
    const erase = (key: string, at: Date) =>
      run(
        repository().erasePersonalData(
          key as OriginalOrderId,
          receiptFor(PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody(key, 'customer asked'), at),
        ),
      )

    const expectNoPersonalData = (text: string | null | undefined): void => {
      for (const value of PERSONAL_DATA_OF_FULL_ORDER) expect(text ?? '').not.to.contain(value)
    }

    it('erases the customer from the order, its payload and every journal body of the key, keeping number, lines, status and facts', async () => {
      const key = uniqueOrderId('ER')
      const other = uniqueOrderId('ER')
      await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
      await createAt(repository(), anOrderCreated({ originalOrderId: other }), minute(0))
      await applyAt(repository(), anOrderChanged({ originalOrderId: key, comment: 'ещё раз' }), minute(1))
      await run(
        repository().recordJournal(
          failedEntry(key, orderChangedBody({ originalOrderId: key }).body, 'order.changed', minute(2)),
        ),
      )
      const before = await storedOrder(repository(), key)
      const factsBefore = (await entriesOf(repository(), key)).map(({ rawBody: _body, ...facts }) => facts)

      const report = await erase(key, minute(3))
      expect(report).to.include({ orderFound: true, journalBodiesErased: 3, pendingBodiesErased: 0 })

      const after = await storedOrder(repository(), key)
      expect(after.content.customer).to.equal(undefined)
      expect(after.content.address).to.equal(undefined)
      expectNoPersonalData(after.payloadJson)
      expect(after.number).to.equal(before.number)
      expect(after.status).to.equal(before.status)
      expect(after.content.positions).to.deep.equal(before.content.positions)
      expect(after.content.comment).to.equal('ещё раз')
      const journal = await entriesOf(repository(), key)
      for (const record of journal) expectNoPersonalData(record.rawBody)
      expect(journal.slice(0, -1).map(({ rawBody: _body, ...facts }) => facts)).to.deep.equal(factsBefore)
      expect(journal.at(-1)).to.include({
        eventType: PERSONAL_DATA_ERASED_EVENT_TYPE,
        outcome: 'applied',
        id: report.journal.id,
      })
      expect(journal.at(-1)?.detail).to.equal('personal data erased: the order, 3 journal bodies, 0 pending updates')
      expect((await storedOrder(repository(), other)).content.customer?.name).to.equal('Иван Петров')

      const again = await erase(key, minute(4))
      expect(again).to.include({ orderFound: true, journalBodiesErased: 0, pendingBodiesErased: 0 })
    })

    it('erases, by the retention policy, orders delivered or cancelled before the cutoff, each once', async () => {
      // Retention works on the whole store: these orders live in 1961-1963, before any other test's.
      const day = (year: number, d: number): Date => new Date(Date.UTC(year, 0, d, 12, 0, 0, 250))
      const [delivered, open, cancelledLater] = [uniqueOrderId('ER'), uniqueOrderId('ER'), uniqueOrderId('ER')] as const
      for (const key of [delivered, open, cancelledLater])
        await createAt(repository(), anOrderCreated({ originalOrderId: key }), day(1961, 1))
      await applyAt(repository(), aStatusReported('order.delivered', delivered), day(1961, 2))
      await applyAt(repository(), aStatusReported('order.paid', open), day(1961, 2))
      await applyAt(repository(), aStatusReported('order.cancelled', cancelledLater), day(1963, 1))
      const policy = {
        clearBodiesReceivedBefore: day(1950, 1),
        expirePendingReceivedBefore: day(1950, 1),
        now: day(1964, 1),
        batchSize: 100,
        eraseClosedOrdersBefore: day(1962, 1),
      }
      expect(await run(repository().applyRetention(policy))).to.deep.equal({
        bodiesCleared: 0,
        pendingExpired: 0,
        ordersErased: 1,
      })
      const erased = await storedOrder(repository(), delivered)
      expect(erased.content.customer).to.equal(undefined)
      expect(erased.status).to.equal('delivered')
      expectNoPersonalData(erased.payloadJson)
      for (const record of await entriesOf(repository(), delivered)) expectNoPersonalData(record.rawBody)
      expect((await entriesOf(repository(), delivered)).at(-1)).to.include({
        eventType: PERSONAL_DATA_ERASED_EVENT_TYPE,
        outcome: 'applied',
      })
      expect((await storedOrder(repository(), open)).content.customer?.name).to.equal('Иван Петров')
      expect((await storedOrder(repository(), cancelledLater)).content.customer?.name).to.equal('Иван Петров')
      expect(await run(repository().applyRetention(policy))).to.deep.equal({
        bodiesCleared: 0,
        pendingExpired: 0,
        ordersErased: 0,
      })
    })

    it('erases the body of a pending update, so the order it later opens holds none of it', async () => {
      const key = uniqueOrderId('ER')
      expect((await applyAt(repository(), anOrderChanged({ originalOrderId: key }), minute(0))).outcome).to.equal(
        'pending',
      )
      const report = await erase(key, minute(1))
      expect(report).to.include({ orderFound: false, journalBodiesErased: 1, pendingBodiesErased: 1 })
      await createAt(repository(), anOrderCreated({ originalOrderId: key }, { minimal: true }), minute(2))
      const order = await storedOrder(repository(), key)
      expect(order.content.customer).to.equal(undefined)
      expectNoPersonalData(order.payloadJson)
    })
  })
}
