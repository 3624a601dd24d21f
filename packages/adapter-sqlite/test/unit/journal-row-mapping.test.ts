import { expect } from 'chai'
import type { JournalEntry } from '@domino-sm/core'
import { journalEntryToRow, journalRecordFromRow, RowMappingError } from '@domino-sm/adapter-sqlite/internals'

const entry = (overrides: Partial<JournalEntry> = {}): JournalEntry => ({
  requestId: '8c4f2a51-6f0e-4c55-9d52-2f7a0e1b3c4d',
  receivedAt: new Date('2026-05-24T09:00:00.001Z'),
  eventType: 'order.paid',
  originalOrderId: 'H1',
  rawBody: '{"event_type":"order.paid","payload":{"originalOrderId":"H1"}}',
  outcome: 'pending',
  httpStatus: 200,
  durationMs: 3.25,
  detail: null,
  ...overrides,
})

describe('journal row mapping', () => {
  it('gives back an entry with its id and its body (a row of journal_body), fractional duration included', () => {
    const original = entry()
    expect(journalEntryToRow(original)).not.to.have.property('raw_body')
    expect(journalRecordFromRow({ ...journalEntryToRow(original), id: 7, raw_body: original.rawBody })).to.deep.equal({
      ...original,
      id: 7,
    })
  })

  it('keeps the nulls of a request refused unread', () => {
    const original = entry({
      eventType: null,
      originalOrderId: null,
      rawBody: null,
      outcome: 'rejected',
      httpStatus: 413,
      detail: 'too large',
    })
    expect(journalRecordFromRow({ ...journalEntryToRow(original), id: 1, raw_body: null })).to.deep.equal({
      ...original,
      id: 1,
    })
  })

  it('refuses an outcome the domain does not know', () => {
    expect(() =>
      journalRecordFromRow({ ...journalEntryToRow(entry()), id: 1, raw_body: null, outcome: 'lost' }),
    ).to.throw(RowMappingError, 'journal.outcome')
  })
})
