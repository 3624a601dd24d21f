import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  addressedTo,
  decodeHookBody,
  dominoNumberFromSequence,
  openOrder,
  orderUuidToFind,
  pendingKeysOf,
  type OrderCreated,
  type OrderEvent,
} from '@domino-sm/core'
import { createFacts, updateFacts } from '../../dist/journal/entry-fact-builders.js'
import { reachedByOrderUuid } from '../../dist/order/order-uuid-key.js'
import { decodeHookBodyByCodecs } from '../../dist/wire/decode-hook-body.js'
import { envelope, fullOrderPayload } from '@domino-sm/testkit'

/** Which order an event keyed by `orderUUID` alone reaches (docs/contract.md §4): the decisions of core. */

const UUID = 'metro-cc:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
const AT = new Date('2026-05-24T09:00:00Z')

const decoded = (body: string, decode = decodeHookBody): OrderEvent => {
  const result = decode(body)
  if (E.isLeft(result) || result.right._tag !== 'KnownEvent') throw new Error(`not an event: ${body}`)
  return result.right.event
}
const withoutKey = (payload: Record<string, unknown>): Record<string, unknown> => {
  const { originalOrderId: _dropped, ...rest } = payload
  return rest
}
const created = (payload: Record<string, unknown>): OrderCreated => {
  const event = decoded(envelope('order.created', payload).body)
  if (event._tag !== 'OrderCreated') throw new Error('expected order.created')
  return event
}

describe('an event keyed by orderUUID alone', () => {
  it('notes the orderUUID it was keyed by, on every route and event type, when originalOrderId is absent, null or ""', () => {
    for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
      for (const absent of [{}, { originalOrderId: null }, { originalOrderId: '' }]) {
        const bodies = [
          envelope('order.paid', { orderUUID: UUID, ...absent }).body,
          envelope('order.cancelled', { orderUUID: UUID, ...absent, cancellation: { slug: 'x' } }).body,
          envelope('order.created', { ...withoutKey(fullOrderPayload('x')), orderUUID: UUID, ...absent }).body,
          envelope('order.changed', { ...withoutKey(fullOrderPayload('x')), orderUUID: UUID, ...absent }).body,
          // Read for review: an order.changed with no positions.
          envelope('order.changed', { orderUUID: UUID, ...absent }).body,
        ]
        for (const body of bodies) {
          const event = decoded(body, decode)
          expect(event, body).to.include({ originalOrderId: UUID, orderUuidKey: UUID })
          expect(orderUuidToFind(event)).to.equal(UUID)
        }
      }
    }
  })

  it('is not noted when originalOrderId is the key, with or without orderUUID; without orderUUID nothing is looked for', () => {
    for (const payload of [
      { originalOrderId: 'H1' },
      { originalOrderId: 'H1', orderUUID: UUID },
      { originalOrderId: 42, orderUUID: UUID },
    ]) {
      const event = decoded(envelope('order.paid', payload).body)
      expect(event).not.to.have.property('orderUuidKey')
      expect(orderUuidToFind(event)).to.equal('orderUUID' in payload ? UUID : undefined)
    }
    for (const payload of [
      { originalOrderId: 'H1' },
      { originalOrderId: UUID, orderUUID: UUID },
      { originalOrderId: 'H1', orderUUID: 7 },
    ]) {
      const event = decoded(envelope('order.paid', payload).body)
      expect(orderUuidToFind(event), JSON.stringify(payload)).to.equal(
        typeof payload.orderUUID === 'number' ? '7' : undefined,
      )
    }
  })

  it('is addressed to the order found by its orderUUID: decided and journaled under that key, with a note', () => {
    const order = openOrder(
      created({ ...fullOrderPayload('H123'), orderUUID: UUID }),
      dominoNumberFromSequence(7),
      AT,
      [],
    ).order
    const paid = decoded(envelope('order.paid', { orderUUID: UUID }).body)
    if (paid._tag === 'OrderCreated') throw new Error('expected an update')
    const addressed = addressedTo(paid, order)
    expect(addressed).to.include({ originalOrderId: 'H123', orderUuidKey: UUID })
    expect(reachedByOrderUuid(paid)).to.equal(null)
    expect(reachedByOrderUuid(addressed)).to.equal(`reached by orderUUID ${UUID}`)
    expect(
      updateFacts('order.paid', addressed.originalOrderId, { outcome: 'applied', order }, addressed),
    ).to.deep.equal({
      eventType: 'order.paid',
      originalOrderId: 'H123',
      outcome: 'applied',
      detail: `reached by orderUUID ${UUID}`,
    })
    const again = created({ ...withoutKey(fullOrderPayload('x')), orderUUID: UUID })
    const duplicate = addressedTo(again, order)
    expect(
      createFacts('order.created', duplicate.originalOrderId, { _tag: 'AlreadyExists', order }, duplicate),
    ).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: 'H123',
      outcome: 'duplicate',
      detail: `reached by orderUUID ${UUID}`,
    })
    // An event of the order's own key is left as it is.
    expect(addressedTo(decoded(envelope('order.paid', { originalOrderId: 'H123' }).body), order)).to.not.have.property(
      'orderUuidKey',
    )
  })

  it('is pending under its orderUUID until a create with both keys applies it with those of its key, counted in the create entry', () => {
    const withBoth = created({ ...fullOrderPayload('H123'), orderUUID: UUID })
    expect(pendingKeysOf(withBoth)).to.deep.equal(['H123', UUID])
    expect(pendingKeysOf(created(fullOrderPayload('H123')))).to.deep.equal(['H123'])
    expect(pendingKeysOf(created({ ...withoutKey(fullOrderPayload('x')), orderUUID: UUID }))).to.deep.equal([UUID])

    const byUuid = decoded(envelope('order.paid', { orderUUID: UUID }).body)
    const byKey = decoded(envelope('order.received', { originalOrderId: 'H123' }).body)
    if (byUuid._tag === 'OrderCreated' || byKey._tag === 'OrderCreated') throw new Error('expected updates')
    const opening = openOrder(withBoth, dominoNumberFromSequence(8), AT, [
      { update: byUuid, receivedAt: AT },
      { update: byKey, receivedAt: AT },
    ])
    expect(opening.order.status).to.equal('handed_to_courier')
    expect(createFacts('order.created', 'H123', { _tag: 'Created', ...opening }).detail).to.equal(
      `applied 2 pending: applied, applied (1 kept under orderUUID ${UUID})`,
    )
  })
})

describe('an event with an orderUUID beside its originalOrderId', () => {
  it('notes it (orderUuidBeside) on every route and event type, and looks for it when no order has its key', () => {
    for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
      const bodies = [
        envelope('order.paid', { originalOrderId: 'H123', orderUUID: UUID }).body,
        envelope('order.cancelled', { originalOrderId: 'H123', orderUUID: UUID, cancellation: { slug: 'x' } }).body,
        envelope('order.created', { ...fullOrderPayload('H123'), orderUUID: UUID }).body,
        envelope('order.changed', { ...fullOrderPayload('H123'), orderUUID: UUID }).body,
        // Read for review: an order.changed with no positions.
        envelope('order.changed', { originalOrderId: 'H123', orderUUID: UUID }).body,
      ]
      for (const body of bodies) {
        const event = decoded(body, decode)
        expect(event, body).to.include({ originalOrderId: 'H123', orderUuidBeside: UUID })
        expect(event, body).not.to.have.property('orderUuidKey')
        expect(orderUuidToFind(event)).to.equal(UUID)
      }
    }
  })

  it('notes nothing for an unreadable orderUUID beside the key, nor for one equal to it', () => {
    for (const payload of [
      { originalOrderId: 'H123', orderUUID: { x: 1 } },
      { originalOrderId: 'H123', orderUUID: 'a'.repeat(65) },
      { originalOrderId: UUID, orderUUID: UUID },
    ]) {
      const event = decoded(envelope('order.paid', payload).body)
      expect(event, JSON.stringify(payload)).not.to.have.property('orderUuidBeside')
      expect(orderUuidToFind(event)).to.equal(undefined)
    }
  })

  it('is addressed to the order created under that orderUUID alone: journaled under its key, the note naming the key it was sent with', () => {
    const order = openOrder(
      created({ ...withoutKey(fullOrderPayload('x')), orderUUID: UUID }),
      dominoNumberFromSequence(9),
      AT,
      [],
    ).order
    expect(order).to.include({ originalOrderId: UUID })
    const again = created({ ...fullOrderPayload('H123'), orderUUID: UUID })
    expect(reachedByOrderUuid(again)).to.equal(null)
    const duplicate = addressedTo(again, order)
    expect(duplicate).to.include({ originalOrderId: UUID, addressedFrom: 'H123', orderUuidBeside: UUID })
    const note = `reached by orderUUID ${UUID} (sent as originalOrderId H123)`
    expect(
      createFacts('order.created', duplicate.originalOrderId, { _tag: 'AlreadyExists', order }, duplicate),
    ).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: UUID,
      outcome: 'duplicate',
      detail: note,
    })
    const paid = decoded(envelope('order.paid', { originalOrderId: 'H123', orderUUID: UUID }).body)
    if (paid._tag === 'OrderCreated') throw new Error('expected an update')
    const addressed = addressedTo(paid, order)
    expect(
      updateFacts('order.paid', addressed.originalOrderId, { outcome: 'applied', order }, addressed).detail,
    ).to.equal(note)
    // Found under its own key, it is left as it is and noted nothing.
    const own = openOrder(
      created({ ...fullOrderPayload('H123'), orderUUID: UUID }),
      dominoNumberFromSequence(10),
      AT,
      [],
    ).order
    expect(addressedTo(paid, own)).to.equal(paid)
    expect(reachedByOrderUuid(addressedTo(paid, own))).to.equal(null)
  })
})
