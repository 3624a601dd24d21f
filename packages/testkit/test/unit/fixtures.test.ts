import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type HookMessage } from '@domino-sm/core'
import { FIXTURE_NAMES, fixtureBody, loadFixture, type FixtureName } from '@domino-sm/testkit'

const decoded = (name: FixtureName, key?: string): HookMessage => {
  const result = decodeHookBody(key === undefined ? fixtureBody(name) : fixtureBody(name, { originalOrderId: key }))
  if (E.isLeft(result)) throw new Error(`${name}: ${result.left.detail}`)
  return result.right
}

/** What each fixture is meant to be: the event tag and, for status events, the status. */
const MEANT: Record<FixtureName, string> = {
  'order-created': 'OrderCreated',
  'order-created-event-dash': 'OrderCreated',
  'order-changed': 'OrderChanged',
  'order-updated-alias': 'OrderChanged',
  'order-paid': 'StatusReported:paid',
  'order-received': 'StatusReported:handed_to_courier',
  'order-delivered': 'StatusReported:delivered',
  'order-cancelled': 'StatusReported:cancelled',
  'order-canceled-alias': 'StatusReported:cancelled',
  'unknown-event': 'UnknownEvent',
}

describe('fixtures', () => {
  for (const name of FIXTURE_NAMES) {
    it(`${name} decodes as ${MEANT[name]}`, () => {
      const message = decoded(name)
      const kind =
        message._tag === 'UnknownEvent'
          ? 'UnknownEvent'
          : message.event._tag === 'StatusReported'
            ? `StatusReported:${message.event.status}`
            : message.event._tag
      expect(kind).to.equal(MEANT[name])
    })
  }

  it('order-created is a real-shaped order: kopecks, a weighed line, Cyrillic, unknown fields kept', () => {
    const message = decoded('order-created')
    if (message._tag !== 'KnownEvent' || message.event._tag !== 'OrderCreated') throw new Error('not a create')
    const { content, payloadJson } = message.event
    expect(content.positions.map((line) => [line.price, line.quantity])).to.deep.equal([
      [12990, 2000],
      [18999, 455],
      [6500, 1000],
    ])
    expect(content.customer?.name).to.match(/[А-Яа-я]/)
    expect(content.total).to.deep.equal({ totalPrice: 41125, discountTotalPrice: 39125 })
    expect(JSON.parse(payloadJson)).to.have.property('flowType', 'collect_and_deliver')
  })

  it('order-cancelled carries its reason', () => {
    const message = decoded('order-cancelled')
    expect(
      message._tag === 'KnownEvent' && message.event._tag === 'StatusReported' && message.event.cancellation,
    ).to.deep.equal({
      slug: 'client_refused',
      description: 'Клиент отказался от заказа',
    })
  })

  it('fixtureBody replaces the order key, loadFixture gives a fresh copy each time', () => {
    const message = decoded('order-paid', 'H-OTHER-1')
    expect(message._tag === 'KnownEvent' && message.event.originalOrderId).to.equal('H-OTHER-1')
    const first = loadFixture('order-created')
    ;(first.payload as Record<string, unknown>)['originalOrderId'] = 'CHANGED'
    expect(loadFixture('order-created').payload['originalOrderId']).to.equal('H52417390815')
  })

  it('fixtureBody merges payload overrides', () => {
    const body = JSON.parse(fixtureBody('order-paid', { payload: { extra: 1 } })) as {
      payload: Record<string, unknown>
    }
    expect(body.payload).to.include({ originalOrderId: 'H52417390815', extra: 1 })
  })
})
