import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { MAX_ORDER_ID_LENGTH, decodeHookBody } from '@domino-sm/core'
import {
  aStatusReported,
  anOrderChanged,
  anOrderCreated,
  decodeEvent,
  orderChangedBody,
  orderCreatedBody,
  statusBody,
  uniqueOrderId,
} from '@domino-sm/testkit'

describe('payload builders', () => {
  it('builds an order.created envelope whose body is its JSON', () => {
    const built = orderCreatedBody({ originalOrderId: 'K1', comment: 'Тест' })
    expect(JSON.parse(built.body)).to.deep.equal(built.json)
    expect(built.json).to.include({ event_type: 'order.created' })
    expect((built.json['payload'] as Record<string, unknown>)['comment']).to.equal('Тест')
  })

  it('removes fields given as undefined and starts minimal when asked', () => {
    const full = orderChangedBody({ originalOrderId: 'K1', customer: undefined }).json['payload'] as Record<
      string,
      unknown
    >
    expect(full).to.not.have.property('customer')
    expect(full).to.have.property('address')
    const minimal = orderCreatedBody({ originalOrderId: 'K1' }, { minimal: true }).json['payload']
    expect(minimal).to.have.all.keys('originalOrderId', 'positions')
  })

  it('uses the event type key and type asked for', () => {
    const built = orderCreatedBody(
      { originalOrderId: 'K1' },
      { eventTypeKey: 'event-type', eventType: 'ORDER.CREATED' },
    )
    expect(built.json).to.include({ 'event-type': 'ORDER.CREATED' }).and.not.have.property('event_type')
  })

  it('builds status bodies with extra payload fields', () => {
    const built = statusBody('order.cancelled', 'K2', { cancellation: { slug: 's' } })
    expect(built.json['payload']).to.deep.equal({ originalOrderId: 'K2', cancellation: { slug: 's' } })
    expect(E.isRight(decodeHookBody(built.body))).to.equal(true)
  })
})

describe('domain builders', () => {
  it('anOrderCreated is what core decodes from the built body', () => {
    const event = anOrderCreated({ originalOrderId: 'K3' })
    expect(event).to.deep.equal(decodeEvent(orderCreatedBody({ originalOrderId: 'K3' }).body))
    expect(event._tag).to.equal('OrderCreated')
    expect(event.content.positions[1]?.quantity).to.equal(455)
  })

  it('update builders return the update with the body it decodes from', () => {
    const change = anOrderChanged({ originalOrderId: 'K4' })
    expect(change.update).to.deep.equal(decodeEvent(change.rawBody))
    const paid = aStatusReported('order.received', 'K4')
    expect(paid.update).to.deep.equal({ _tag: 'StatusReported', originalOrderId: 'K4', status: 'handed_to_courier' })
  })

  it('throws on bodies that are not the event asked for', () => {
    expect(() => aStatusReported('order.created', 'K5')).to.throw(/decodes as|does not decode/)
    expect(() => decodeEvent('{')).to.throw(/does not decode/)
    expect(() => aStatusReported('order.nonsense', 'K5')).to.throw(/unknown event/)
  })
})

describe('uniqueOrderId', () => {
  it('never repeats and fits the key length', () => {
    const ids = Array.from({ length: 1000 }, () => uniqueOrderId('P'))
    expect(new Set(ids).size).to.equal(ids.length)
    expect(ids.every((id) => id.startsWith('P-'))).to.equal(true)
  })

  it('shortens a long prefix to stay within the key length', () => {
    const id = uniqueOrderId('X'.repeat(200))
    expect(id.length).to.be.at.most(MAX_ORDER_ID_LENGTH)
    expect(E.isRight(decodeHookBody(statusBody('order.paid', id).body))).to.equal(true)
  })
})
