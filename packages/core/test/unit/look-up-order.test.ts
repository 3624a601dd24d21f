import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import {
  journalEntry,
  lookUpOrder,
  MAX_JOURNAL_PAGE,
  orderHistoryPage,
  type JournalQuery,
  type OriginalOrderId,
} from '@domino-sm/core'
import {
  InMemoryOrderRepository,
  anOrderCreated,
  createdReceipt,
  newRequestId,
  uniqueOrderId,
} from '@domino-sm/testkit'

const at = new Date('2026-05-24T09:00:00.000Z')

describe('lookUpOrder and orderHistoryPage', () => {
  it("answer support's questions from the store", async () => {
    const orders = new InMemoryOrderRepository()
    const key = uniqueOrderId('L')
    const event = anOrderCreated({ originalOrderId: key })
    await orders.createOrGet(event, createdReceipt(event, at))()
    const entry = journalEntry(
      { eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail: 'x' },
      { requestId: newRequestId(), rawBody: '{}', receivedAt: at, httpStatus: 400, durationMs: 1 },
    )
    await orders.recordJournal(entry)()
    const found = await lookUpOrder({ orders })(key as OriginalOrderId)()
    expect(E.isRight(found) && O.isSome(found.right) && found.right.value.originalOrderId).to.equal(key)
    const history = await orderHistoryPage({ orders })(key, { limit: 10 })()
    if (E.isLeft(history)) throw new Error('history unreadable')
    expect(history.right.entries.map((record) => record.outcome)).to.deep.equal(['created', 'rejected'])
    expect(history.right.entries.map((record) => [record.rawBody, record.hasBody])).to.deep.equal([
      [null, true],
      [null, true],
    ])
    expect(history.right.next).to.equal(null)
  })

  it('pages the history with a cursor, oldest first, and holds a page to MAX_JOURNAL_PAGE', async () => {
    const orders = new InMemoryOrderRepository()
    const key = uniqueOrderId('L')
    for (let i = 0; i < 5; i += 1) {
      await orders.recordJournal(
        journalEntry(
          { eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail: String(i) },
          { requestId: newRequestId(), rawBody: '{}', receivedAt: at, httpStatus: 400, durationMs: 1 },
        ),
      )()
    }
    const pages: string[][] = []
    let afterId: number | undefined
    for (;;) {
      const page = await orderHistoryPage({ orders })(key, {
        limit: 2,
        ...(afterId === undefined ? {} : { afterId }),
      })()
      if (E.isLeft(page)) throw new Error('history unreadable')
      pages.push(page.right.entries.map((record) => record.detail ?? ''))
      if (page.right.next === null) break
      afterId = page.right.next
    }
    expect(pages).to.deep.equal([['0', '1'], ['2', '3'], ['4']])
    const asked: number[] = []
    const spy = {
      ...orders,
      searchJournal: (query: JournalQuery) => (asked.push(query.limit), orders.searchJournal(query)),
    }
    await orderHistoryPage({ orders: spy })(key, { limit: 1_000_000 })()
    expect(asked).to.deep.equal([MAX_JOURNAL_PAGE])
  })
})
