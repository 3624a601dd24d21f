import { expect } from 'chai'
import { eventKindOf } from '@domino-sm/core'
import { EVENT_TYPE_KEYS } from '../../dist/wire/event-type.js'

describe('eventKindOf', () => {
  it('knows every event type of the spec and the guessed aliases', () => {
    expect(eventKindOf('order.created')).to.equal('created')
    expect(eventKindOf('order.changed')).to.equal('changed')
    expect(eventKindOf('order.updated')).to.equal('changed')
    expect(eventKindOf('order.paid')).to.deep.equal({ status: 'paid' })
    expect(eventKindOf('order.received')).to.deep.equal({ status: 'handed_to_courier' })
    expect(eventKindOf('order.delivered')).to.deep.equal({ status: 'delivered' })
    expect(eventKindOf('order.cancelled')).to.deep.equal({ status: 'cancelled' })
    expect(eventKindOf('order.canceled')).to.deep.equal({ status: 'cancelled' })
  })

  it('ignores case and surrounding blanks', () => {
    expect(eventKindOf(' Order.Paid\n')).to.deep.equal({ status: 'paid' })
  })

  it('knows nothing else, including names inherited from Object', () => {
    for (const type of ['order.assembled', 'order', '', 'toString', '__proto__', 'constructor', 'order.created.v2']) {
      expect(eventKindOf(type), type).to.equal(undefined)
    }
  })

  it('reads event_type first, then event-type', () => {
    expect(EVENT_TYPE_KEYS.slice(0, 2)).to.deep.equal(['event_type', 'event-type'])
  })
})
