import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import type { DominoNumber, HookFailure, HookSuccess, EntryFacts } from '@domino-sm/core'
import { answerFor, isoWithOffset } from '@domino-sm/adapter-http'

const facts: EntryFacts = { eventType: 'order.created', originalOrderId: 'H1', outcome: 'created', detail: null }

describe('answerFor', () => {
  it('answers order.created with the Domino number', () => {
    const success: HookSuccess = {
      answer: { _tag: 'OrderNumber', number: '42' as DominoNumber, createdAt: new Date('2026-05-24T09:00:00.000Z') },
      facts,
    }
    expect(answerFor(E.right(success))).to.deep.equal({ status: 200, body: { status: 'created', number: '42' } })
  })

  it("adds expectedAssemblyTime when configured: the order's creation plus the minutes, in the configured offset", () => {
    const success: HookSuccess = {
      answer: { _tag: 'OrderNumber', number: '42' as DominoNumber, createdAt: new Date('2026-05-24T09:00:00.456Z') },
      facts,
    }
    expect(answerFor(E.right(success), { minutes: 45, utcOffset: '+03:00' })).to.deep.equal({
      status: 200,
      body: { status: 'created', number: '42', expectedAssemblyTime: '2026-05-24T12:45:00+03:00' },
    })
    expect(isoWithOffset(new Date('2026-05-24T01:30:00.000Z'), '-05:30')).to.equal('2026-05-23T20:00:00-05:30')
    expect(isoWithOffset(new Date('2026-05-24T01:30:00.000Z'), '+00:00')).to.equal('2026-05-24T01:30:00+00:00')
  })

  it('answers every other event with an empty 200', () => {
    expect(answerFor(E.right({ answer: { _tag: 'NoContent' }, facts }))).to.deep.equal({ status: 200 })
  })

  it('answers problems with 400 and their client-safe detail', () => {
    const failure: HookFailure = {
      _tag: 'Rejected',
      problem: { _tag: 'InvalidPayload', eventType: 'order.paid', detail: 'payload.originalOrderId: is required' },
      facts,
    }
    expect(answerFor(E.left(failure))).to.deep.equal({
      status: 400,
      body: { error: 'invalid_payload', detail: 'payload.originalOrderId: is required' },
    })
    expect(answerFor(E.left({ ...failure, problem: { _tag: 'MalformedJson', detail: 'd' } })).body).to.deep.equal({
      error: 'malformed_json',
      detail: 'd',
    })
    expect(answerFor(E.left({ ...failure, problem: { _tag: 'MalformedEnvelope', detail: 'e' } })).body).to.deep.equal({
      error: 'malformed_envelope',
      detail: 'e',
    })
  })

  it('answers store failures with 503 and never the store reason', () => {
    const failure: HookFailure = {
      _tag: 'StoreFailed',
      error: { _tag: 'StoreTimeout', reason: 'pool exhausted at db-01' },
      facts,
    }
    const answer = answerFor(E.left(failure))
    expect(answer.status).to.equal(503)
    expect(JSON.stringify(answer.body)).to.not.contain('db-01')
  })
})
