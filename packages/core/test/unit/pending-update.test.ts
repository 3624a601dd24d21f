import { expect } from 'chai'
import * as O from 'fp-ts/lib/Option.js'
import { pendingUpdateFromBody } from '@domino-sm/core'
import { aStatusReported, anOrderChanged, fixtureBody, orderCreatedBody, statusBody } from '@domino-sm/testkit'

const at = new Date('2026-05-24T09:00:00.000Z')

describe('pendingUpdateFromBody', () => {
  it('decodes a status body back into its update, with the time it was received', () => {
    const paid = aStatusReported('order.cancelled', 'H1', { cancellation: { slug: 's', description: 'Причина' } })
    expect(pendingUpdateFromBody(paid.rawBody, at)).to.deep.equal(O.some({ update: paid.update, receivedAt: at }))
  })

  it('decodes a change body back into its update', () => {
    const change = anOrderChanged({ originalOrderId: 'H1' })
    expect(pendingUpdateFromBody(change.rawBody, at)).to.deep.equal(O.some({ update: change.update, receivedAt: at }))
    expect(O.isSome(pendingUpdateFromBody(fixtureBody('order-updated-alias'), at))).to.equal(true)
  })

  it('gives none for bodies that are not updates: creates, unknown events, rejects, not JSON', () => {
    for (const body of [
      orderCreatedBody({ originalOrderId: 'H1' }).body,
      fixtureBody('unknown-event'),
      statusBody('order.paid', '').body,
      'not json',
    ]) {
      expect(O.isNone(pendingUpdateFromBody(body, at)), body.slice(0, 40)).to.equal(true)
    }
  })
})
