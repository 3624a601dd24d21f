import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { journalEntry, lookUpOrder, orderHistory, type OriginalOrderId, retentionPolicyAt } from '@domino-sm/core'
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

describe('lookUpOrder and orderHistory', () => {
  it('answer support\'s questions from the store', async () => {
    const orders = new InMemoryOrderRepository()
    const key = uniqueOrderId('L')
    const event = anOrderCreated({ originalOrderId: key })
    await orders.createOrGet(event, createdReceipt(event, at))()
    const entry = journalEntry({ eventType: 'order.paid', originalOrderId: key, outcome: 'rejected', detail: 'x' }, { requestId: newRequestId(), rawBody: '{}', receivedAt: at, httpStatus: 400, durationMs: 1 })
    await orders.recordJournal(entry)()
    const found = await lookUpOrder({ orders })(key as OriginalOrderId)()
    expect(E.isRight(found) && O.isSome(found.right) && found.right.value.originalOrderId).to.equal(key)
    const history = await orderHistory({ orders })(key)()
    expect(E.isRight(history) && history.right.map((record) => record.outcome)).to.deep.equal(['created', 'rejected'])
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
