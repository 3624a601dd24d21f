import { expect } from 'chai'
import type { FoundJournalRecord } from '@domino-sm/core'
import { journalPage, withinBytes } from '@domino-sm/core/internals'

const at = new Date('2026-05-24T09:00:00.000Z')

describe('withinBytes', () => {
  const record = (id: number): FoundJournalRecord => ({
    id,
    requestId: null,
    receivedAt: at,
    eventType: null,
    originalOrderId: 'K',
    rawBody: null,
    outcome: 'created',
    httpStatus: 200,
    durationMs: 1,
    detail: null,
    hasBody: false,
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
