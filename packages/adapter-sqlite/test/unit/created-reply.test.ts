import { expect } from 'chai'
import { serialize, deserialize } from 'node:v8'
import { openOrder, type CreateOrGetResult, type DominoNumber, type Journaled } from '@domino-sm/core'
import { replyToCreate, resultOfCreate } from '@domino-sm/adapter-sqlite/internals'
import { aStatusReported, anOrderChanged, anOrderCreated, uniqueOrderId } from '@domino-sm/testkit'

const at = new Date('2026-05-24T09:00:00.000Z')
const stamp = { id: 7, httpStatus: 200, detail: null }

/** The reply as the main thread gets it: a structured clone, as `postMessage` makes it. */
const acrossThreads = <A>(value: A): A => deserialize(serialize(value)) as A

/** What the store thread computes for a create: core's opening of `event` (in its own clone of the event). */
const created = (
  event: ReturnType<typeof anOrderCreated>,
  pending: Parameters<typeof openOrder>[3] = [],
): Journaled<CreateOrGetResult> => {
  const opening = openOrder(event, '42' as DominoNumber, at, pending)
  return { result: { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }, journal: stamp }
}

describe('the reply to createOrGet across the store thread', () => {
  it('leaves out the content and payload of an order created as sent, and the main thread puts its own back', () => {
    const event = anOrderCreated({ originalOrderId: uniqueOrderId() })
    const inWorker = acrossThreads(event)
    const full = created(inWorker)
    const reply = acrossThreads(replyToCreate(inWorker, full))
    expect(reply).to.have.property('contentAsSent', true)
    expect(reply.result).to.not.have.nested.property('order.content')
    expect(reply.result).to.not.have.nested.property('order.payloadJson')
    const result = resultOfCreate(event, reply)
    expect(result).to.deep.equal(acrossThreads(full))
    if (result.result._tag !== 'Created') throw new Error('not created')
    expect(result.result.order.content).to.equal(event.content)
  })

  it('sends the whole order when a pending change replaced its content', () => {
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const change = anOrderChanged({
      originalOrderId: key,
      positions: [{ id: '4600000000001', quantity: 9, price: '1' }],
    })
    const inWorker = acrossThreads(event)
    const full = created(inWorker, [{ update: change.update, receivedAt: at }])
    const reply = acrossThreads(replyToCreate(inWorker, full))
    expect(reply).to.not.have.property('contentAsSent')
    const result = resultOfCreate(event, reply)
    expect(result).to.deep.equal(acrossThreads(full))
    if (result.result._tag !== 'Created') throw new Error('not created')
    expect(result.result.order.content.positions[0]?.quantity).to.equal(9000)
  })

  it('leaves out the content when a pending status event applied (it changes the status, not the content)', () => {
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const paid = aStatusReported('order.paid', key)
    const inWorker = acrossThreads(event)
    const full = created(inWorker, [{ update: paid.update, receivedAt: at }])
    const reply = acrossThreads(replyToCreate(inWorker, full))
    expect(reply).to.have.property('contentAsSent', true)
    const result = resultOfCreate(event, reply)
    expect(result).to.deep.equal(acrossThreads(full))
    if (result.result._tag !== 'Created') throw new Error('not created')
    expect(result.result.order.status).to.equal('paid')
  })

  it('sends an order that already existed whole', () => {
    const event = anOrderCreated({ originalOrderId: uniqueOrderId() })
    const existing = created(acrossThreads(event)).result.order
    const full: Journaled<CreateOrGetResult> = { result: { _tag: 'AlreadyExists', order: existing }, journal: stamp }
    const reply = replyToCreate(acrossThreads(event), full)
    expect(reply).to.equal(full)
    expect(resultOfCreate(event, reply)).to.equal(full)
  })
})
