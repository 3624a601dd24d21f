import { expect } from 'chai'
import type { JournalRecord } from '@domino-sm/core'
import { replayabilityOf } from '../../dist/use-cases/replay-journal.js'

const record = (fields: Partial<JournalRecord>): JournalRecord => ({
  id: 7,
  requestId: '00000000-0000-4000-8000-000000000007',
  receivedAt: new Date(0),
  eventType: 'order.created',
  originalOrderId: 'H1',
  rawBody: '{"event_type":"order.created","payload":{"originalOrderId":"H1"}}',
  outcome: 'failed',
  httpStatus: 503,
  durationMs: 5000,
  detail: 'StoreTimeout',
  ...fields,
})

const why = (fields: Partial<JournalRecord>): string => {
  const verdict = replayabilityOf(record(fields))
  return verdict._tag === 'NotReplayable' ? verdict.why : 'replayable'
}

describe('which journal entries can be replayed', () => {
  it('replays a request whose body is kept, whatever became of it', () => {
    expect(why({})).to.equal('replayable')
    expect(why({ outcome: 'rejected', httpStatus: 400, detail: 'payload.positions: expected an array' })).to.equal(
      'replayable',
    )
  })

  it('says why not for the rest: refused unread, cleared or erased, not UTF-8, no request, a support action', () => {
    expect(why({ rawBody: null, outcome: 'rejected', httpStatus: 415 })).to.equal(
      'refused unread (answered 415): its body was never kept',
    )
    expect(why({ rawBody: null, outcome: 'rejected', httpStatus: 413 })).to.contain('refused unread (answered 413)')
    expect(
      why({
        rawBody: null,
        outcome: 'rejected',
        httpStatus: 400,
        detail: 'the body could not be read: the connection ended before it did',
      }),
    ).to.contain('refused unread')
    expect(why({ rawBody: null })).to.contain('cleared by the retention policy')
    expect(
      why({
        outcome: 'rejected',
        httpStatus: 400,
        rawBody: 'AAEC',
        detail: 'the body is not valid UTF-8; the journal keeps its 3 bytes in base64',
      }),
    ).to.contain('base64')
    expect(why({ requestId: null, outcome: 'expired', rawBody: null })).to.contain('not a request')
    expect(why({ eventType: 'support.review-cleared' })).to.contain('support action')
  })
})
