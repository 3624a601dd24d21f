import { expect } from 'chai'
import {
  applyUpdate,
  decideStatus,
  dominoNumberFromSequence,
  openOrder,
  orderStateOf,
  type Order,
  type PendingUpdate,
} from '@domino-sm/core'
import { aStatusReported, aWirePosition, anOrderChanged, anOrderCreated } from '@domino-sm/testkit'

const created = new Date('2026-05-24T09:00:00.000Z')
const later = new Date('2026-05-24T09:30:00.000Z')
const number = dominoNumberFromSequence(17)

const newOrder = (): Order => openOrder(anOrderCreated({ originalOrderId: 'H1' }), number, created, []).order
const orderIn = (status: Order['status']): Order => ({ ...newOrder(), status })

describe('openOrder', () => {
  it("builds a new order from order.created with the store's number and time", () => {
    const event = anOrderCreated({ originalOrderId: 'H1' })
    const opening = openOrder(event, number, created, [])
    expect(opening).to.deep.equal({
      order: {
        originalOrderId: 'H1',
        number: '17',
        status: 'new',
        content: event.content,
        payloadJson: event.payloadJson,
        createdAt: created,
        updatedAt: created,
      },
      pendingApplied: [],
    })
  })

  it('applies pending updates in the order given and reports each outcome', () => {
    const change = anOrderChanged({ originalOrderId: 'H1', positions: [aWirePosition({ id: 'NEW' })] }).update
    const pending: PendingUpdate[] = [
      { update: aStatusReported('order.received', 'H1').update, receivedAt: created },
      { update: aStatusReported('order.paid', 'H1').update, receivedAt: created },
      { update: change, receivedAt: created },
      { update: aStatusReported('order.received', 'H1').update, receivedAt: created },
    ]
    const opening = openOrder(anOrderCreated({ originalOrderId: 'H1' }), number, later, pending)
    expect(opening.pendingApplied.map((p) => p.outcome)).to.deep.equal(['applied', 'stale', 'applied', 'duplicate'])
    expect(opening.pendingApplied.map((p) => p.update)).to.deep.equal(pending.map((p) => p.update))
    expect(opening.order.status).to.equal('handed_to_courier')
    expect(opening.order.content).to.deep.equal(change.content)
    expect(opening.order.payloadJson).to.equal(change.payloadJson)
    expect(opening.order.updatedAt).to.deep.equal(later)
  })

  it('creates an order cancelled by a cancel that overtook it', () => {
    const cancel = aStatusReported('order.cancelled', 'H1', { cancellation: { slug: 'fraud' } }).update
    const opening = openOrder(anOrderCreated({ originalOrderId: 'H1' }), number, created, [
      { update: cancel, receivedAt: created },
    ])
    expect(opening.order.status).to.equal('cancelled')
    expect(opening.order.cancellation).to.deep.equal({ slug: 'fraud' })
  })
})

describe('applyUpdate', () => {
  it('replaces content and payload on order.changed, keeping identity, status and creation time', () => {
    const order = orderIn('paid')
    const change = anOrderChanged({
      originalOrderId: 'H1',
      comment: 'Новый',
      positions: [aWirePosition({ id: 'X' }), aWirePosition({ id: 'Y' })],
    }).update
    const decision = applyUpdate(order, change, later)
    expect(decision).to.deep.equal({
      outcome: 'applied',
      order: { ...order, content: change.content, payloadJson: change.payloadJson, updatedAt: later },
    })
  })

  for (const status of ['delivered', 'cancelled'] as const) {
    it(`answers order.changed on a ${status} order with stale and the order unchanged`, () => {
      const order = orderIn(status)
      const decision = applyUpdate(order, anOrderChanged({ originalOrderId: 'H1' }).update, later)
      expect(decision.outcome).to.equal('stale')
      expect(decision.order).to.equal(order)
    })
  }

  it('advances the status and the update time', () => {
    const decision = applyUpdate(newOrder(), aStatusReported('order.paid', 'H1').update, later)
    expect(decision.outcome).to.equal('applied')
    expect(decision.order).to.deep.equal({ ...newOrder(), status: 'paid', updatedAt: later })
    expect(decision.order).to.not.have.property('cancellation')
  })

  it('keeps a cancellation reason when it cancels, and adds none when there is none', () => {
    const withReason = applyUpdate(
      orderIn('paid'),
      aStatusReported('order.cancelled', 'H1', { cancellationReason: 'Нет товара' }).update,
      later,
    )
    expect(withReason.order.cancellation).to.deep.equal({ description: 'Нет товара' })
    const without = applyUpdate(orderIn('paid'), aStatusReported('order.cancelled', 'H1').update, later)
    expect(without.order.status).to.equal('cancelled')
    expect(without.order).to.not.have.property('cancellation')
  })

  it('returns the same order, untouched, for duplicates and stale updates', () => {
    const paid = orderIn('paid')
    const duplicate = applyUpdate(paid, aStatusReported('order.paid', 'H1').update, later)
    const stale = applyUpdate(orderIn('delivered'), aStatusReported('order.cancelled', 'H1').update, later)
    expect(duplicate.outcome).to.equal('duplicate')
    expect(duplicate.order).to.equal(paid)
    expect(stale.outcome).to.equal('stale')
    expect(stale.order.status).to.equal('delivered')
  })

  it('does not mutate the order it is given', () => {
    const order = newOrder()
    const copy = structuredClone(order)
    applyUpdate(order, aStatusReported('order.delivered', 'H1').update, later)
    applyUpdate(order, anOrderChanged({ originalOrderId: 'H1' }).update, later)
    expect(order).to.deep.equal(copy)
  })
})

describe('decideStatus: a status event on the order state alone', () => {
  const STATUSES = ['new', 'paid', 'handed_to_courier', 'delivered', 'cancelled'] as const
  const EVENTS = ['order.paid', 'order.received', 'order.delivered', 'order.cancelled'] as const
  const marked: Order = { ...newOrder(), review: { reasons: ['нет цены'], markedAt: created } }

  for (const status of STATUSES) {
    for (const eventType of EVENTS) {
      it(`decides ${eventType} on an order in ${status} as applyUpdate does, on the state alone`, () => {
        const order = { ...marked, status }
        const update = aStatusReported(eventType, 'H1', { cancellationReason: 'Нет товара' }).update
        const whole = applyUpdate(order, update, later)
        const onState = decideStatus(orderStateOf(order), update, later)
        expect(onState.outcome).to.equal(whole.outcome)
        expect(onState.order).to.deep.equal(orderStateOf(whole.order))
        // On a whole order it keeps the content and the payload: the rule is one, whatever it is given.
        expect(decideStatus(order, update, later)).to.deep.equal(whole)
      })
    }
  }

  it('takes of an order exactly its state: no content, no payload, absent fields absent', () => {
    const state = orderStateOf(marked)
    expect(state).to.deep.equal({
      originalOrderId: 'H1',
      number: '17',
      status: 'new',
      review: { reasons: ['нет цены'], markedAt: created },
      createdAt: created,
      updatedAt: created,
    })
    expect(orderStateOf(newOrder())).to.not.have.property('review')
    expect(orderStateOf(newOrder())).to.not.have.property('cancellation')
  })
})
