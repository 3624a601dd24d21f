import { expect } from 'chai'
import { journalEntry } from '@domino-sm/core'

const at = new Date('2026-05-24T09:00:00.000Z')

describe('journalEntry', () => {
  it('joins the facts of a request with how it was delivered', () => {
    const entry = journalEntry(
      { eventType: 'order.paid', originalOrderId: 'K', outcome: 'applied', detail: null },
      { requestId: 'r', rawBody: '{}', receivedAt: at, httpStatus: 200, durationMs: 4 },
    )
    expect(entry).to.deep.equal({
      requestId: 'r',
      eventType: 'order.paid',
      originalOrderId: 'K',
      outcome: 'applied',
      detail: null,
      rawBody: '{}',
      receivedAt: at,
      httpStatus: 200,
      durationMs: 4,
    })
  })
})
