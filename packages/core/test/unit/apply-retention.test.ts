import { expect } from 'chai'
import { retentionPolicyAt } from '@domino-sm/core/internals'

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
