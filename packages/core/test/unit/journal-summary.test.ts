import { expect } from 'chai'
import { summariseEntries, type JournalEntry } from '@domino-sm/core'
import { isRequestEntry } from '@domino-sm/core/internals'
import { journalSummaryOf } from '../../dist/journal/journal-summary.js'

const at = (ms: number): Date => new Date(Date.UTC(2026, 11, 7, 10) + ms)

const entry = (ms: number, facts: Partial<JournalEntry> = {}): JournalEntry => ({
  requestId: '2f1c9a4e-8b7d-4c3a-9e21-5d6f7a8b9c0d',
  receivedAt: at(ms),
  eventType: 'order.paid',
  originalOrderId: 'H1',
  rawBody: null,
  outcome: 'applied',
  httpStatus: 200,
  durationMs: 10,
  detail: null,
  ...facts,
})

describe('the journal summary (core reference)', () => {
  it('isRequestEntry: a request id, and an event type that does not start with support. as written', () => {
    expect(isRequestEntry({ requestId: 'r', eventType: 'order.created' })).to.equal(true)
    expect(isRequestEntry({ requestId: 'r', eventType: null })).to.equal(true)
    expect(isRequestEntry({ requestId: 'r', eventType: 'Support.review-cleared' })).to.equal(true)
    expect(isRequestEntry({ requestId: 'r', eventType: 'support' })).to.equal(true)
    expect(isRequestEntry({ requestId: 'r', eventType: 'support.review-cleared' })).to.equal(false)
    expect(isRequestEntry({ requestId: 'r', eventType: 'support.' })).to.equal(false)
    expect(isRequestEntry({ requestId: null, eventType: 'order.created' })).to.equal(false)
  })

  it('counts the requests of [since, until) by outcome (OUTCOMES order) and status (ascending), and those at or above the threshold', () => {
    const entries = [
      entry(-1, { httpStatus: 599 }),
      entry(0, { outcome: 'failed', httpStatus: 503, durationMs: 4000 }),
      entry(1, { outcome: 'created', durationMs: 3999 }),
      entry(2, { outcome: 'rejected', httpStatus: 408, durationMs: 30000 }),
      entry(3, { eventType: 'support.review-cleared' }),
      entry(4, { requestId: null, outcome: 'expired' }),
      entry(1000, { httpStatus: 201 }),
    ]
    expect(summariseEntries({ since: at(0), until: at(1000), durationAtLeastMs: 4000 }, entries)).to.deep.equal({
      requests: 3,
      byOutcome: [
        { outcome: 'created', count: 1 },
        { outcome: 'rejected', count: 1 },
        { outcome: 'failed', count: 1 },
      ],
      byStatus: [
        { httpStatus: 200, count: 1 },
        { httpStatus: 408, count: 1 },
        { httpStatus: 503, count: 1 },
      ],
      atOrAbove: 2,
    })
    expect(summariseEntries({ since: at(0), until: at(0), durationAtLeastMs: 0 }, entries)).to.deep.equal({
      requests: 0,
      byOutcome: [],
      byStatus: [],
      atOrAbove: 0,
    })
  })

  it('journalSummaryOf puts groups from any order into the canonical one and drops zero counts', () => {
    const summary = journalSummaryOf(
      3,
      [
        { outcome: 'failed', count: 1 },
        { outcome: 'stale', count: 0 },
        { outcome: 'created', count: 2 },
      ],
      [
        { httpStatus: 503, count: 1 },
        { httpStatus: 200, count: 2 },
      ],
      1,
    )
    expect(summary.byOutcome.map((c) => c.outcome)).to.deep.equal(['created', 'failed'])
    expect(summary.byStatus.map((c) => c.httpStatus)).to.deep.equal([200, 503])
  })
})
