import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig } from '@domino-sm/adapter-http'

describe('parseAppConfig: retention', () => {
  it('defaults to 90 days of bodies, 30 days of pending updates, hourly runs of 500 rows', () => {
    const parsed = parseAppConfig({})
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right.retention).to.deep.equal({
      journalBodyDays: 90,
      pendingDays: 30,
      batchSize: 500,
      intervalMs: 3_600_000,
    })
  })

  it('reads every RETENTION_ variable; 0 minutes turns the schedule off', () => {
    const parsed = parseAppConfig({
      RETENTION_JOURNAL_BODY_DAYS: '14',
      RETENTION_PENDING_DAYS: '2',
      RETENTION_INTERVAL_MINUTES: '0',
      RETENTION_BATCH_SIZE: '50',
    })
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right.retention).to.deep.equal({ journalBodyDays: 14, pendingDays: 2, batchSize: 50, intervalMs: 0 })
  })

  it('reports every bad retention value at once, with the variable named', () => {
    const parsed = parseAppConfig({
      RETENTION_JOURNAL_BODY_DAYS: '0',
      RETENTION_PENDING_DAYS: 'thirty',
      RETENTION_INTERVAL_MINUTES: '-5',
      RETENTION_BATCH_SIZE: '1.5',
      PORT: 'x',
    })
    expect(E.isLeft(parsed)).to.equal(true)
    const problems = E.isLeft(parsed) ? parsed.left : []
    expect(problems).to.have.length(5)
    for (const name of [
      'RETENTION_JOURNAL_BODY_DAYS',
      'RETENTION_PENDING_DAYS',
      'RETENTION_INTERVAL_MINUTES',
      'RETENTION_BATCH_SIZE',
      'PORT',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${name} must be a whole number`)),
        name,
      ).to.equal(true)
    }
  })
})
