import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import {
  receiveHookRequest,
  type HookFailure,
  type HookSuccess,
  type OriginalOrderId,
  type UnreadablePolicy,
} from '@domino-sm/core'
import { FOR_REVIEW } from '@domino-sm/core/internals'
import {
  FaultyOrderRepository,
  FixedClock,
  InMemoryOrderRepository,
  always,
  anOrderCreated,
  createdReceipt,
  fixtureBody,
  orderCreatedBody,
  statusBody,
  uniqueOrderId,
  newRequestId,
} from '@domino-sm/testkit'

const receivedAt = new Date('2026-05-24T09:00:00.000Z')

const DEADLINE_MS = 4000

/** The use case on the in-memory store, whose commit clock the test moves. */
const setup = (unreadable: UnreadablePolicy = 'review') => {
  const clock = new FixedClock(receivedAt)
  const store = new InMemoryOrderRepository(clock)
  const faulty = new FaultyOrderRepository(store)
  const receive = receiveHookRequest({ orders: faulty, unreadable })
  const send = async (rawBody: string): Promise<E.Either<HookFailure, HookSuccess>> =>
    receive({
      requestId: newRequestId(),
      rawBody,
      receivedAt,
      answerBy: new Date(receivedAt.getTime() + DEADLINE_MS),
    })()
  const ok = async (rawBody: string): Promise<HookSuccess> => {
    const result = await send(rawBody)
    if (E.isLeft(result)) throw new Error(`failed: ${result.left._tag}`)
    return result.right
  }
  const failed = async (rawBody: string): Promise<HookFailure> => {
    const result = await send(rawBody)
    if (E.isRight(result)) throw new Error(`succeeded: ${result.right.facts.outcome}`)
    return result.left
  }
  /** The success without the journal stamp, for comparing answers and facts. */
  const answered = async (rawBody: string): Promise<Omit<HookSuccess, 'journal'>> => {
    const { journal: _stamp, ...rest } = await ok(rawBody)
    return rest
  }
  return { store, faulty, clock, ok, answered, failed }
}

describe('receiveHookRequest', () => {
  it('creates the order and answers its number (created)', async () => {
    const { store, answered } = setup()
    const key = uniqueOrderId('U')
    const success = await answered(fixtureBody('order-created', { originalOrderId: key }))
    const stored = await store.findOrder(key as OriginalOrderId)()
    const number = E.isRight(stored) && O.isSome(stored.right) ? stored.right.value.number : 'none'
    expect(success).to.deep.equal({
      answer: { _tag: 'OrderNumber', number, createdAt: receivedAt },
      facts: { eventType: 'order.created', originalOrderId: key, outcome: 'created', detail: null },
    })
  })

  it('answers a repeated create with the same number (duplicate)', async () => {
    const { ok } = setup()
    const key = uniqueOrderId('U')
    const first = await ok(fixtureBody('order-created', { originalOrderId: key }))
    const again = await ok(fixtureBody('order-created-event-dash', { originalOrderId: key }))
    expect(again.answer).to.deep.equal(first.answer)
    expect(again.facts).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: key,
      outcome: 'duplicate',
      detail: null,
    })
  })

  it('applies a status update (applied), repeats are duplicate, backwards stale, all answered without content', async () => {
    const { ok, answered } = setup()
    const key = uniqueOrderId('U')
    await ok(orderCreatedBody({ originalOrderId: key }).body)
    const steps = [
      ['order.received', 'applied'],
      ['order.received', 'duplicate'],
      ['order.paid', 'stale'],
      ['order.canceled', 'applied'],
    ] as const
    for (const [type, outcome] of steps) {
      const success = await answered(statusBody(type, key).body)
      expect(success, type).to.deep.equal({
        answer: { _tag: 'NoContent' },
        facts: { eventType: type, originalOrderId: key, outcome, detail: null },
      })
    }
  })

  it('keeps an update for an unknown order (pending) and notes it when the order is created', async () => {
    const { ok } = setup()
    const key = uniqueOrderId('U')
    expect((await ok(fixtureBody('order-paid', { originalOrderId: key }))).facts.outcome).to.equal('pending')
    expect((await ok(fixtureBody('order-changed', { originalOrderId: key }))).facts.outcome).to.equal('pending')
    expect((await ok(fixtureBody('order-paid', { originalOrderId: key }))).facts.outcome).to.equal('pending')
    const created = await ok(fixtureBody('order-created', { originalOrderId: key }))
    expect(created.facts).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: key,
      outcome: 'created',
      detail: 'applied 3 pending: applied, applied, duplicate',
    })
  })

  it('ignores an event type it does not handle (ignored), keeping the key', async () => {
    const { ok, faulty } = setup()
    faulty.setFaults({ all: { fail: always } })
    const key = uniqueOrderId('U')
    expect(await ok(fixtureBody('unknown-event', { originalOrderId: key }))).to.deep.equal({
      answer: { _tag: 'NoContent' },
      facts: { eventType: 'order.assembled', originalOrderId: key, outcome: 'ignored', detail: null },
    })
    expect(faulty.calls('createOrGet') + faulty.calls('applyUpdate')).to.equal(0)
  })

  it('creates an order whose content cannot be read whole for review: its number, the mark, the journal says why', async () => {
    const { ok, store } = setup()
    const key = uniqueOrderId('R')
    const body = JSON.stringify({
      event_type: 'order.created',
      payload: {
        originalOrderId: key,
        positions: [
          { id: 'A', quantity: 1, price: 'бесплатно' },
          { id: 'B', quantity: 2, price: '10' },
        ],
      },
    })
    const first = await ok(body)
    expect(first.answer._tag).to.equal('OrderNumber')
    expect(first.facts.outcome).to.equal('created')
    expect(first.facts.detail).to.match(
      new RegExp(`^${FOR_REVIEW}position 1 \\(SKU "A"\\): the price "бесплатно" could not be read`),
    )
    const again = await ok(body)
    expect(again.answer).to.deep.equal(first.answer)
    expect(again.facts.outcome).to.equal('duplicate')
    const stored = await store.findOrder(key as OriginalOrderId)()
    const order = E.isRight(stored) && O.isSome(stored.right) ? stored.right.value : undefined
    expect(order?.content.positions.map((l) => l.sku)).to.deep.equal(['B'])
    expect(order?.review?.reasons).to.have.length(1)
  })

  it('marks an order for review on an order.changed it cannot read, and changes nothing else (outcome review)', async () => {
    const { ok, store } = setup()
    const key = uniqueOrderId('R')
    await ok(orderCreatedBody({ originalOrderId: key }).body)
    const change = await ok(
      JSON.stringify({ event_type: 'order.updated', payload: { originalOrderId: key, positions: 'none' } }),
    )
    expect(change.facts.outcome).to.equal('review')
    expect(change.facts.detail).to.equal(
      `${FOR_REVIEW}positions is not a list; no line could be read; the change was not applied`,
    )
    const stored = await store.findOrder(key as OriginalOrderId)()
    const order = E.isRight(stored) && O.isSome(stored.right) ? stored.right.value : undefined
    expect(order?.content.positions.length).to.be.greaterThan(0)
    expect(order?.review?.unappliedChangeJson).to.equal(JSON.stringify({ originalOrderId: key, positions: 'none' }))
  })

  it('under the reject policy, rejects a body it cannot understand (rejected), with what it could read of it', async () => {
    const { failed, faulty } = setup('reject')
    const invalid = await failed(
      JSON.stringify({ event_type: 'order.created', payload: { originalOrderId: 'K1', positions: [] } }),
    )
    expect(invalid._tag).to.equal('Rejected')
    expect(invalid.facts).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: 'K1',
      outcome: 'rejected',
      detail: 'payload.positions: at least one position is required',
    })
    const notJson = await failed('{oops')
    expect(notJson.facts).to.deep.equal({
      eventType: null,
      originalOrderId: null,
      outcome: 'rejected',
      detail: 'the body is not valid JSON',
    })
    const noType = await failed(JSON.stringify({ payload: { originalOrderId: 'K1' } }))
    expect(noType.facts).to.deep.include({ eventType: null, originalOrderId: null, outcome: 'rejected' })
    expect(notJson._tag === 'Rejected' && notJson.problem._tag).to.equal('MalformedJson')
    expect(faulty.calls('createOrGet') + faulty.calls('applyUpdate')).to.equal(0)
  })

  it('reports a store failure (failed) on create and on update, with the error tag only', async () => {
    const { failed, faulty } = setup()
    faulty.setFaults({ all: { fail: always } })
    const key = uniqueOrderId('U')
    for (const [body, eventType] of [
      [fixtureBody('order-created', { originalOrderId: key }), 'order.created'],
      [statusBody('order.paid', key).body, 'order.paid'],
    ] as const) {
      const failure = await failed(body)
      expect(failure._tag).to.equal('StoreFailed')
      expect(failure._tag === 'StoreFailed' && failure.error._tag).to.equal('StoreUnavailable')
      expect(failure.facts).to.deep.equal({
        eventType,
        originalOrderId: key,
        outcome: 'failed',
        detail: 'StoreUnavailable',
      })
    }
  })

  it('succeeds again once the store is back, with nothing half-done', async () => {
    const { ok, failed, faulty } = setup()
    const key = uniqueOrderId('U')
    faulty.setFaults({ createOrGet: { fail: always } })
    await failed(fixtureBody('order-created', { originalOrderId: key }))
    faulty.heal()
    expect((await ok(fixtureBody('order-created', { originalOrderId: key }))).facts.outcome).to.equal('created')
  })

  it('hands the raw body and the receive time to the store for pending updates', async () => {
    const { store, ok } = setup()
    const key = uniqueOrderId('U')
    const body = fixtureBody('order-cancelled', { originalOrderId: key })
    await ok(body)
    // The pending cancel can only come back from the raw body the use case handed over.
    const event = anOrderCreated({ originalOrderId: key })
    const created = await store.createOrGet(event, createdReceipt(event, receivedAt))()
    expect(
      E.isRight(created) && created.right.result._tag === 'Created' && created.right.result.order.cancellation,
    ).to.deep.equal({
      slug: 'client_refused',
      description: 'Клиент отказался от заказа',
    })
  })

  it('hands back the journal entry the store committed with the operation, and journals nothing twice', async () => {
    const { store, ok } = setup()
    const key = uniqueOrderId('U')
    const created = await ok(fixtureBody('order-created', { originalOrderId: key }))
    const paid = await ok(statusBody('order.paid', key).body)
    const listed = await store.listJournal(key)()
    const records = E.isRight(listed) ? listed.right : []
    expect(records.map((r) => [r.id, r.outcome, r.httpStatus])).to.deep.equal([
      [created.journal?.id, 'created', 200],
      [paid.journal?.id, 'applied', 200],
    ])
    expect(records[1]?.rawBody).to.equal(statusBody('order.paid', key).body)
  })

  it('reports an operation the store committed after the answer was due: journaled 503, with why', async () => {
    const { ok, clock } = setup()
    const key = uniqueOrderId('U')
    clock.advance(DEADLINE_MS + 1)
    const late = await ok(fixtureBody('order-created', { originalOrderId: key }))
    expect(late.journal?.httpStatus).to.equal(503)
    expect(late.facts).to.deep.equal({
      eventType: 'order.created',
      originalOrderId: key,
      outcome: 'created',
      detail: 'the store committed created after the deadline; answered 503',
    })
  })

  it('leaves the journal of an ignored event to the caller (no stamp)', async () => {
    const { ok } = setup()
    expect((await ok(fixtureBody('unknown-event', { originalOrderId: uniqueOrderId('U') }))).journal).to.equal(
      undefined,
    )
  })
})
