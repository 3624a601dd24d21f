import { expect } from 'chai'
import { always, fixtureBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

describe('health, readiness and the admin API', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp()
  })
  afterEach(() => app.close())

  const admin = (path: string, token = ADMIN) =>
    send(`${app.internalOrigin}${path}`, { method: 'GET', headers: { Authorization: `Bearer ${token}` } })

  it('is healthy while the process runs, and ready only while the store answers', async () => {
    expect((await send(`${app.internalOrigin}/healthz`, { method: 'GET' })).status).to.equal(200)
    expect((await send(`${app.internalOrigin}/readyz`, { method: 'GET' })).json).to.deep.equal({ status: 'ready' })
    app.faulty.setFaults({ ping: { fail: always } })
    const down = await send(`${app.internalOrigin}/readyz`, { method: 'GET' })
    expect(down.status).to.equal(503)
    expect(down.json).to.deep.equal({ status: 'store_unavailable' })
  })

  it('is not ready once a shutdown has begun', async () => {
    app.readiness.accepting = false
    const res = await send(`${app.internalOrigin}/readyz`, { method: 'GET' })
    expect(res.status).to.equal(503)
    expect(res.json).to.deep.equal({ status: 'shutting_down' })
  })

  it('shows an order with lines, status, number and times to the admin', async () => {
    const id = uniqueOrderId('HA')
    const created = await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-paid', { originalOrderId: id }))
    const res = await admin(`/admin/orders/${encodeURIComponent(id)}`)
    expect(res.status).to.equal(200)
    const order = res.json as Record<string, unknown> & { positions: Record<string, unknown>[] }
    expect(order).to.deep.include({
      originalOrderId: id,
      number: (created.json as { number: string }).number,
      status: 'paid',
    })
    expect(order['createdAt']).to.equal('2026-05-24T09:00:00.000Z')
    expect(order.positions.length).to.be.greaterThan(0)
    expect(order.positions[0]).to.have.property('priceKopecks').that.is.a('number')
  })

  it('lists the journal of an order oldest first with outcome and status answered', async () => {
    const id = uniqueOrderId('HA')
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-paid', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    const res = await admin(`/admin/orders/${encodeURIComponent(id)}/events`)
    expect(res.status).to.equal(200)
    const events = (res.json as { events: { outcome: string; httpStatus: number; eventType: string }[] }).events
    expect(events.map((e) => [e.eventType, e.outcome, e.httpStatus])).to.deep.equal([
      ['order.paid', 'pending', 200],
      ['order.created', 'created', 200],
      ['order.created', 'duplicate', 200],
    ])
  })

  it('answers 404 for an order it does not have, and 401 without the admin token', async () => {
    expect((await admin('/admin/orders/H-nobody')).status).to.equal(404)
    expect((await admin('/admin/orders/H-nobody', 'wrong-admin-token-000000')).status).to.equal(401)
    expect((await send(`${app.internalOrigin}/admin/orders/H-nobody`, { method: 'GET' })).status).to.equal(401)
    expect((await admin('/admin/orders/H-nobody', TOKEN)).status).to.equal(401)
  })

  it('has no admin API when no admin token is configured', async () => {
    const bare = await startTestApp({ settings: { adminToken: undefined as never } })
    try {
      const res = await send(`${bare.internalOrigin}/admin/orders/H1`, {
        method: 'GET',
        headers: { Authorization: `Bearer ${ADMIN}` },
      })
      expect(res.status).to.equal(404)
    } finally {
      await bare.close()
    }
  })
})
