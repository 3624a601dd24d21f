import { expect } from 'chai'
import { entryOnAnswer, entryOnCommit, type JournalEntry } from '@domino-sm/core'

const base: JournalEntry = {
  requestId: '2f1c9a4e-8b7d-4c3a-9e21-5d6f7a8b9c0d',
  receivedAt: new Date('2026-12-02T10:00:00.000Z'),
  eventType: 'order.created',
  originalOrderId: 'H1',
  rawBody: '{}',
  outcome: 'created',
  httpStatus: 200,
  durationMs: 40,
  detail: null,
}
const answeredFailed: JournalEntry = {
  ...base,
  outcome: 'failed',
  httpStatus: 503,
  durationMs: 5000,
  detail: 'answered 503 at the deadline',
}

describe('one journal entry per request', () => {
  it('entryOnCommit: the committed facts, the status that was answered, and why', () => {
    const merged = entryOnCommit(base, answeredFailed)
    expect(merged).to.deep.include({ outcome: 'created', httpStatus: 503, durationMs: 40, rawBody: '{}' })
    expect(merged.detail).to.equal(
      'the store committed created after the hook had answered without it; the status is what was answered',
    )
    expect(entryOnCommit({ ...base, detail: 'applied 1 pending: applied' }, answeredFailed).detail).to.match(
      /answered \(applied 1 pending: applied\)$/,
    )
  })

  it('entryOnCommit keeps the committed detail when the statuses already agree (a commit after the deadline)', () => {
    const late = { ...base, httpStatus: 503, detail: 'the store committed created after the deadline; answered 503' }
    expect(entryOnCommit(late, answeredFailed)).to.deep.equal(late)
  })

  it('entryOnAnswer: a failed answer over a committed entry keeps the commit and takes the status', () => {
    const merged = entryOnAnswer(base, answeredFailed)
    expect(merged).to.deep.include({ outcome: 'created', httpStatus: 503 })
    expect(merged.detail).to.match(/^the store committed created after the hook had answered without it/)
  })

  it('entryOnAnswer: any other answer replaces the entry (a settlement, a retried write)', () => {
    const amended = { ...base, httpStatus: 503, detail: 'the store committed created after the deadline; answered 503' }
    expect(entryOnAnswer(base, amended)).to.deep.equal(amended)
    expect(entryOnAnswer(answeredFailed, answeredFailed)).to.deep.equal(answeredFailed)
  })
})
