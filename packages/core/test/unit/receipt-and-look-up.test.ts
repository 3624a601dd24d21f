import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import {
  journalEntry,
  lookUpOrder,
  MAX_JOURNAL_PAGE,
  orderHistoryPage,
  type FoundJournalRecord,
  type JournalQuery,
  type OriginalOrderId,
} from '@domino-sm/core'
import { journalPage, withinBytes, retentionPolicyAt } from '@domino-sm/core/internals'
import { InMemoryOrderRepository, anOrderCreated, createdReceipt, newRequestId, uniqueOrderId } from '@domino-sm/testkit'

const at = new Date('2026-05-24T09:00:00.000Z')

describe('journalEntry', () => {
  it('joins the facts of a request with how it was delivered', () => {
    const entry = journalEntry(
      { eventType: 'order.paid', originalOrderId: 'K', outcome: 'applied', detail: null },
      { requestId: 'r', rawBody: '{}', receivedAt: at, httpStatus: 200, durationMs: 4 },
    )
    expect(entry).to.deep.equal({ requestId: 'r', eventType: 'order.paid', originalOrderId: 'K', outcome: 'applied', detail: null, rawBody: '{}', receivedAt: at, httpStatus: 200, durationMs: 4 })
  })
})

describe('lookUpOrder and orderHistoryPage', () => {
  it('answer support\'s questions from the store', async () => {
    const orders = new InMemoryOrderRepository()
    const key = uniqueOrderId('L')
    const event = anOrderCreated({ originalOrderId: key })
    await orders.createOrGet(event, createdReceipt(event, at))()
    const entry = journalEntry({ eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail: 'x' }, { requestId: newRequestId(), rawBody: '{}', receivedAt: at, httpStatus: 400, durationMs: 1 })
    await orders.recordJournal(entry)()
    const found = await lookUpOrder({ orders })(key as OriginalOrderId)()
    expect(E.isRight(found) && O.isSome(found.right) && found.right.value.originalOrderId).to.equal(key)
    const history = await orderHistoryPage({ orders })(key, { limit: 10 })()
    if (E.isLeft(history)) throw new Error('history unreadable')
    expect(history.right.entries.map((record) => record.outcome)).to.deep.equal(['created', 'rejected'])
    expect(history.right.entries.map((record) => [record.rawBody, record.hasBody])).to.deep.equal([[null, true], [null, true]])
    expect(history.right.next).to.equal(null)
  })

  it('pages the history with a cursor, oldest first, and holds a page to MAX_JOURNAL_PAGE', async () => {
    const orders = new InMemoryOrderRepository()
    const key = uniqueOrderId('L')
    for (let i = 0; i < 5; i += 1) {
      await orders.recordJournal(journalEntry({ eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail: String(i) }, { requestId: newRequestId(), rawBody: '{}', receivedAt: at, httpStatus: 400, durationMs: 1 }))()
    }
    const pages: string[][] = []
    let afterId: number | undefined
    for (;;) {
      const page = await orderHistoryPage({ orders })(key, { limit: 2, ...(afterId === undefined ? {} : { afterId }) })()
      if (E.isLeft(page)) throw new Error('history unreadable')
      pages.push(page.right.entries.map((record) => record.detail ?? ''))
      if (page.right.next === null) break
      afterId = page.right.next
    }
    expect(pages).to.deep.equal([['0', '1'], ['2', '3'], ['4']])
    const asked: number[] = []
    const spy = { ...orders, searchJournal: (query: JournalQuery) => (asked.push(query.limit), orders.searchJournal(query)) }
    await orderHistoryPage({ orders: spy })(key, { limit: 1_000_000 })()
    expect(asked).to.deep.equal([MAX_JOURNAL_PAGE])
  })
})

describe('withinBytes', () => {
  const record = (id: number): FoundJournalRecord => ({
    id, requestId: null, receivedAt: at, eventType: null, originalOrderId: 'K', rawBody: null, outcome: 'created', httpStatus: 200, durationMs: 1, detail: null, hasBody: false,
  })
  const page = journalPage([record(1), record(2), record(3)], 3)

  it('keeps the longest prefix within the bytes, with the cursor after it', () => {
    expect(withinBytes(page, () => 10, 25)).to.deep.equal({ entries: [record(1), record(2)], next: 2 })
    expect(withinBytes(page, () => 10, 30)).to.deep.equal(page)
    expect(page.next).to.equal(3)
  })

  it('keeps a first entry larger than the bound alone, so that paging always moves on', () => {
    expect(withinBytes(page, () => 100, 25)).to.deep.equal({ entries: [record(1)], next: 1 })
  })

  it('gives no cursor for a page that is not full', () => {
    expect(journalPage([record(1)], 2).next).to.equal(null)
    expect(journalPage([], 2).next).to.equal(null)
  })
})

describe('retentionPolicyAt', () => {
  it('puts each cutoff the configured days before now', () => {
    const now = new Date('2026-11-29T03:00:00.000Z')
    expect(retentionPolicyAt(now, { journalBodyDays: 90, pendingDays: 30, batchSize: 7 })).to.deep.equal({
      clearBodiesReceivedBefore: new Date('2026-08-31T03:00:00.000Z'),
      expirePendingReceivedBefore: new Date('2026-10-30T03:00:00.000Z'),
      now,
      batchSize: 7,
    })
  })
})
