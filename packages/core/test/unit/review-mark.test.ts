import { expect } from 'chai'
import {
  applyUpdate,
  changesOrder,
  dominoNumberFromSequence,
  openOrder,
  type ChangeUnreadable,
  type Order,
  type OriginalOrderId,
} from '@domino-sm/core'
import { createFacts, updateFacts } from '../../dist/journal/entry-fact-builders.js'
import { anOrderChanged, anOrderCreated } from '@domino-sm/testkit'

const created = new Date('2026-05-24T09:00:00.000Z')
const later = new Date('2026-05-24T09:30:00.000Z')
const number = dominoNumberFromSequence(3)
const key = 'H1' as OriginalOrderId

const unreadableChange = (reasons: string[]): ChangeUnreadable => ({
  _tag: 'ChangeUnreadable',
  originalOrderId: key,
  reasons,
  payloadJson: '{"originalOrderId":"H1"}',
})

const markedOrder = (): Order =>
  openOrder({ ...anOrderCreated({ originalOrderId: 'H1' }), unread: ['no positions were sent'] }, number, created, [])
    .order

describe('the review mark', () => {
  it('openOrder marks an order created with unread reasons, at its arrival', () => {
    const order = markedOrder()
    expect(order.review).to.deep.equal({ reasons: ['no positions were sent'], markedAt: created })
    expect(openOrder(anOrderCreated({ originalOrderId: 'H1' }), number, created, []).order).not.to.have.property(
      'review',
    )
    const facts = createFacts('order.created', 'H1', { _tag: 'Created', order, pendingApplied: [] })
    expect(facts.detail).to.equal('for review: no positions were sent')
  })

  it('an unreadable change marks the order (outcome review), keeps its content, extends the reasons and keeps the change', () => {
    const before = markedOrder()
    const decision = applyUpdate(before, unreadableChange(['position 1: the price is missing']), later)
    expect(decision.outcome).to.equal('review')
    expect(changesOrder(decision.outcome)).to.equal(true)
    expect(decision.order.content).to.deep.equal(before.content)
    expect(decision.order.review).to.deep.equal({
      reasons: ['no positions were sent', 'position 1: the price is missing'],
      markedAt: later,
      unappliedChangeJson: '{"originalOrderId":"H1"}',
    })
    const facts = updateFacts(
      'order.updated',
      'H1',
      { outcome: decision.outcome, order: decision.order },
      unreadableChange(['x']),
      before,
    )
    expect(facts.detail).to.equal('for review: x; the change was not applied')
  })

  it('an unreadable change after a final status is stale and changes nothing', () => {
    const cancelled: Order = { ...markedOrder(), status: 'cancelled' }
    expect(applyUpdate(cancelled, unreadableChange(['x']), later)).to.deep.equal({ outcome: 'stale', order: cancelled })
  })

  it('a clean order.changed clears the mark, and the journal says so', () => {
    const before = markedOrder()
    const decision = applyUpdate(before, anOrderChanged({ originalOrderId: 'H1' }).update, later)
    expect(decision.outcome).to.equal('applied')
    expect(decision.order).not.to.have.property('review')
    const facts = updateFacts(
      'order.changed',
      'H1',
      { outcome: 'applied', order: decision.order },
      anOrderChanged({ originalOrderId: 'H1' }).update,
      before,
    )
    expect(facts.detail).to.equal('review mark cleared: the change read cleanly')
  })

  it('support clears a mark (applied), and on an unmarked order it is a duplicate', () => {
    const before = markedOrder()
    const cleared = applyUpdate(
      before,
      { _tag: 'ReviewCleared', originalOrderId: key, note: 'checked with SberMarket' },
      later,
    )
    expect(cleared.outcome).to.equal('applied')
    expect(cleared.order).not.to.have.property('review')
    const update = { _tag: 'ReviewCleared', originalOrderId: key, note: 'checked with SberMarket' } as const
    expect(
      updateFacts('support.review-cleared', 'H1', { outcome: 'applied', order: cleared.order }, update, before).detail,
    ).to.equal('review mark cleared by support: checked with SberMarket')
    expect(applyUpdate(cleared.order, update, later).outcome).to.equal('duplicate')
  })

  it('status events still apply to a marked order and keep its mark', () => {
    const decision = applyUpdate(markedOrder(), { _tag: 'StatusReported', originalOrderId: key, status: 'paid' }, later)
    expect(decision.outcome).to.equal('applied')
    expect(decision.order.status).to.equal('paid')
    expect(decision.order.review?.reasons).to.deep.equal(['no positions were sent'])
  })
})
