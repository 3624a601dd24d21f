import { expect } from 'chai'
import { orderChangedBody, orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook } from '../support/http-client.js'
import { startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** Spec §4, the behaviour, through the real app over a real socket. */
describe('hook behaviour (docs/contract.md §4)', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp()
  })
  afterEach(() => app.close())

  const post = (body: string) => postHook(app.hookUrl, TOKEN, body)
  /** The app again under UNREADABLE_ORDERS=reject: the strict reading a retailer may choose (docs/contract.md §2). */
  const strict = async (): Promise<void> => {
    await app.close()
    app = await startTestApp({ settings: { unreadableOrders: 'reject' } })
  }

  it('answers a repeated order.created with the same number and creates nothing', async () => {
    const id = uniqueOrderId('HB')
    const first = await post(orderCreatedBody({ originalOrderId: id }).body)
    const again = await post(orderCreatedBody({ originalOrderId: id, comment: 'sent again, changed' }).body)
    expect(again.status).to.equal(200)
    expect(again.json).to.deep.equal(first.json)
    expect((await app.orderOf(id))?.content.comment).to.not.equal('sent again, changed')
    expect((await app.journalOf(id)).map((j) => j.outcome)).to.deep.equal(['created', 'duplicate'])
  })

  it('answers 20 concurrent identical order.created with one and the same number', async () => {
    const id = uniqueOrderId('HB')
    const body = orderCreatedBody({ originalOrderId: id }).body
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(body)))
    expect(answers.map((a) => a.status)).to.deep.equal(Array(20).fill(200))
    const numbers = new Set(answers.map((a) => (a.json as { number: string }).number))
    expect(numbers.size).to.equal(1)
    const outcomes = (await app.journalOf(id)).map((j) => j.outcome)
    expect(outcomes.filter((o) => o === 'created')).to.have.length(1)
    expect(outcomes.filter((o) => o === 'duplicate')).to.have.length(19)
  })

  it('moves statuses forward and records a stale or repeated status without changing anything', async () => {
    const id = uniqueOrderId('HB')
    await post(orderCreatedBody({ originalOrderId: id }).body)
    for (const type of ['order.paid', 'order.received', 'order.paid', 'order.received', 'order.delivered']) {
      expect((await post(statusBody(type, id).body)).status).to.equal(200)
    }
    expect((await app.orderOf(id))?.status).to.equal('delivered')
    expect((await app.journalOf(id)).map((j) => j.outcome)).to.deep.equal([
      'created',
      'applied',
      'applied',
      'stale',
      'duplicate',
      'applied',
    ])
  })

  it('keeps delivered and cancelled final', async () => {
    const id = uniqueOrderId('HB')
    await post(orderCreatedBody({ originalOrderId: id }).body)
    await post(
      statusBody('order.cancelled', id, { cancellation: { slug: 'client', description: 'Клиент передумал' } }).body,
    )
    const late = await post(statusBody('order.delivered', id).body)
    expect(late.status).to.equal(200)
    const order = await app.orderOf(id)
    expect(order?.status).to.equal('cancelled')
    expect(order?.cancellation).to.deep.equal({ slug: 'client', description: 'Клиент передумал' })
  })

  it('replaces header and lines on order.changed and keeps the number', async () => {
    const id = uniqueOrderId('HB')
    const created = await post(orderCreatedBody({ originalOrderId: id }).body)
    await post(
      orderChangedBody({
        originalOrderId: id,
        comment: 'позвонить',
        positions: [{ id: 'NEW-1', quantity: '0.75', price: '10.50' }],
      }).body,
    )
    const order = await app.orderOf(id)
    expect(order?.number).to.equal((created.json as { number: string }).number)
    expect(order?.content.comment).to.equal('позвонить')
    expect(order?.content.positions).to.have.length(1)
    expect(order?.content.positions[0]).to.deep.include({ sku: 'NEW-1', quantity: 750, price: 1050 })
  })

  it('accepts the order.updated alias as a change and ignores a change after delivery', async () => {
    const id = uniqueOrderId('HB')
    await post(orderCreatedBody({ originalOrderId: id }).body)
    await post(orderChangedBody({ originalOrderId: id, comment: 'alias' }, { eventType: 'order.updated' }).body)
    expect((await app.orderOf(id))?.content.comment).to.equal('alias')
    await post(statusBody('order.delivered', id).body)
    await post(orderChangedBody({ originalOrderId: id, comment: 'too late' }).body)
    expect((await app.orderOf(id))?.content.comment).to.equal('alias')
    expect((await app.journalOf(id)).map((j) => j.outcome)).to.deep.equal(['created', 'applied', 'applied', 'stale'])
  })

  it('keeps a status that arrives before its order pending and applies it when the order is created', async () => {
    const id = uniqueOrderId('HB')
    const early = await post(statusBody('order.paid', id).body)
    expect(early.status).to.equal(200)
    expect(early.text).to.equal('')
    expect(await app.orderOf(id)).to.equal(undefined)
    const created = await post(orderCreatedBody({ originalOrderId: id }).body)
    expect(created.json).to.deep.include({ status: 'created' })
    expect((await app.orderOf(id))?.status).to.equal('paid')
    const journal = await app.journalOf(id)
    expect(journal.map((j) => j.outcome)).to.deep.equal(['pending', 'created'])
    expect(journal[1]?.detail).to.equal('applied 1 pending: applied')
  })

  it('records order.cancelled for an unknown order and answers 200', async () => {
    const id = uniqueOrderId('HB')
    const res = await post(statusBody('order.cancelled', id).body)
    expect(res.status).to.equal(200)
    expect((await app.journalOf(id)).map((j) => j.outcome)).to.deep.equal(['pending'])
  })

  it('answers an unknown event type 200 and records it as ignored', async () => {
    const id = uniqueOrderId('HB')
    const res = await post(statusBody('order.assembled', id).body)
    expect(res.status).to.equal(200)
    const [entry] = await app.journalOf(id)
    expect(entry).to.deep.include({ eventType: 'order.assembled', outcome: 'ignored', httpStatus: 200 })
  })

  it('journals every authenticated request before answering, with what it was and what was answered', async () => {
    const id = uniqueOrderId('HB')
    const body = orderCreatedBody({ originalOrderId: id }).body
    await post(body)
    const [entry] = await app.journalOf(id)
    expect(entry).to.deep.include({
      eventType: 'order.created',
      originalOrderId: id,
      rawBody: body,
      outcome: 'created',
      httpStatus: 200,
      detail: null,
    })
    expect(entry?.receivedAt.toISOString()).to.equal('2026-05-24T09:00:00.000Z')
    expect(entry?.durationMs).to.be.a('number').and.be.at.least(0)
  })

  it('keeps the raw body of a rejected payload so it can be replayed (reject policy)', async () => {
    await strict()
    const id = uniqueOrderId('HB')
    const body = orderCreatedBody({ originalOrderId: id, positions: [{ id: 'A', price: '1.00' } as never] }).body
    const res = await post(body)
    expect(res.status).to.equal(400)
    expect((res.json as { detail: string }).detail).to.equal('payload.positions.0.quantity: is required')
    const [entry] = await app.journalOf(id)
    expect(entry).to.deep.include({ outcome: 'rejected', httpStatus: 400, rawBody: body, eventType: 'order.created' })
  })

  for (const [name, payload] of [
    ['no order id', { positions: [{ id: 'A', quantity: 1, price: '1' }] }],
    ['no positions', { originalOrderId: 'H-no-positions' }],
    ['an empty positions list', { originalOrderId: 'H-empty', positions: [] }],
    ['a position without id', { originalOrderId: 'H-no-id', positions: [{ quantity: 1, price: '1' }] }],
    ['a position without price', { originalOrderId: 'H-no-price', positions: [{ id: 'A', quantity: 1 }] }],
    ['a price that is not a number', { originalOrderId: 'H-nan', positions: [{ id: 'A', quantity: 1, price: 'NaN' }] }],
  ] as const) {
    it(`answers 400 for an order.created with ${name} under the reject policy`, async () => {
      await strict()
      const res = await post(JSON.stringify({ event_type: 'order.created', payload }))
      expect(res.status).to.equal(400)
      expect(res.json).to.have.property('error', 'invalid_payload')
      expect(app.faulty.calls('createOrGet')).to.equal(0)
      expect(app.faulty.calls('recordJournal')).to.equal(1)
    })
  }

  it('answers 400 for a status event without an order id', async () => {
    const res = await post(JSON.stringify({ event_type: 'order.paid', payload: {} }))
    expect(res.status).to.equal(400)
    expect(res.json).to.deep.equal({ error: 'invalid_payload', detail: 'payload.originalOrderId: is required' })
  })
})
