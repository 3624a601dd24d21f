import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseJournalFilters, type RawJournalFilters } from '@domino-sm/adapter-http'

const parse = (raw: Partial<RawJournalFilters>) => parseJournalFilters({ ids: [], outcomes: [], review: false, ...raw })

describe('journal filters (journal list, journal replay, GET /admin/journal)', () => {
  it('reads every filter into a query, outcomes from lists and repeats', () => {
    const parsed = parse({
      ids: ['3', '12'],
      order: ' H123 ',
      outcomes: ['failed,rejected', 'review'],
      since: '2026-05-24',
      until: '2026-05-24T12:00:00+03:00',
      review: true,
      after: '9',
      limit: '50',
    })
    expect(parsed).to.deep.equal(
      E.right({
        query: {
          ids: [3, 12],
          originalOrderId: 'H123',
          outcomes: ['failed', 'rejected', 'review'],
          since: new Date('2026-05-24T00:00:00.000Z'),
          until: new Date('2026-05-24T09:00:00.000Z'),
          forReview: true,
        },
        afterId: 9,
        limit: 50,
        selective: true,
      }),
    )
  })

  it('is not selective without a filter (a replay then refuses to run)', () => {
    expect(parse({ limit: '10' })).to.deep.equal(E.right({ query: {}, limit: 10, selective: false }))
  })

  it('names every bad value: an unknown outcome, a time without an offset, ids and limits that are not whole numbers', () => {
    const parsed = parse({
      ids: ['x'],
      outcomes: ['lost'],
      since: '2026-05-24T09:00',
      until: 'yesterday',
      limit: '5000',
      after: '-1',
    })
    expect(E.isLeft(parsed) && parsed.left).to.have.length(6)
  })

  it('refuses a date or time that does not exist, which Date would roll into another day; accepts the last real ones', () => {
    for (const time of ['2026-02-30', '2025-02-29T10:00+03:00', '2026-04-31', '2026-02-28T24:00Z', '2026-13-01']) {
      const parsed = parse({ since: time })
      expect(E.isLeft(parsed) && parsed.left.join(), time).to.contain('--since: expected an ISO 8601 date')
    }
    for (const time of ['2028-02-29', '2026-02-28T23:59:59Z', '2026-12-31T23:59+03:00'])
      expect(E.isRight(parse({ until: time })), time).to.equal(true)
  })
})
