import { expect } from 'chai'
import { OUTCOMES, type JournalEntry } from '@domino-sm/core'
import { JOURNAL_COLUMNS, journalRecordFromRow, RowShapeError } from '@domino-sm/adapter-domino-db/internals'
import { storedRow } from './stored-row.js'

const entry = (fields: Partial<JournalEntry> = {}): JournalEntry => ({
  requestId: '6f1c0d2e-8b3a-4e5f-a1b2-c3d4e5f6a7b8',
  receivedAt: new Date('2026-05-24T09:15:42.987Z'),
  eventType: 'order.created',
  originalOrderId: 'H1234567890',
  rawBody: '{"event_type":"order.created","payload":{"customer":{"name":"Иван Петров"}}}',
  outcome: 'created',
  httpStatus: 200,
  durationMs: 12,
  detail: null,
  ...fields,
})

const roundTrip = (e: JournalEntry, id = '41'): unknown =>
  journalRecordFromRow(storedRow(JOURNAL_COLUMNS, { ...e, storedAt: new Date('2026-05-24T09:15:43.000Z') }, { id }))

describe('journal row mapping', () => {
  it('round-trips every field, with the store id as a number', () => {
    expect(roundTrip(entry())).to.deep.equal({ ...entry(), id: 41 })
  })

  it('round-trips null fields as null', () => {
    const e = entry({
      eventType: null,
      originalOrderId: null,
      rawBody: null,
      detail: null,
      outcome: 'rejected',
      httpStatus: 400,
    })
    expect(roundTrip(e)).to.deep.equal({ ...e, id: 41 })
  })

  it('round-trips every outcome', () => {
    for (const outcome of OUTCOMES) expect(roundTrip(entry({ outcome }))).to.deep.include({ outcome })
  })

  it('stores whole milliseconds and never a negative duration', () => {
    const durations = JOURNAL_COLUMNS.find((c) => c.column === 'duration_ms')
    expect(durations?.value({ ...entry({ durationMs: 12.6 }), storedAt: new Date() })).to.equal(13)
    expect(durations?.value({ ...entry({ durationMs: -1 }), storedAt: new Date() })).to.equal(0)
  })

  it('refuses an outcome the hook does not know', () => {
    const row = storedRow(JOURNAL_COLUMNS, { ...entry(), storedAt: new Date() }, { id: '1' })
    expect(() => journalRecordFromRow({ ...row, outcome: 'lost' })).to.throw(RowShapeError)
  })
})
