import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseJournalFilters, type RawJournalFilters } from '@domino-sm/adapter-http'

const parse = (raw: Partial<RawJournalFilters>) => parseJournalFilters({ ids: [], outcomes: [], review: false, ...raw })

describe('journal filters (journal list, journal replay, GET /admin/journal)', () => {
  it('reads every filter into a query, outcomes from lists and repeats', () => {
    const parsed = parse({ ids: ['3', '12'], order: ' H123 ', outcomes: ['failed,rejected', 'review'], since: '2026-05-24', until: '2026-05-24T12:00:00+03:00', review: true, after: '9', limit: '50' })
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
    const parsed = parse({ ids: ['x'], outcomes: ['lost'], since: '2026-05-24T09:00', until: 'yesterday', limit: '5000', after: '-1' })
    expect(E.isLeft(parsed) && parsed.left).to.have.length(6)
  })
})
