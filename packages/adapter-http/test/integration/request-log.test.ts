import { expect } from 'chai'
import { fixtureBody, loadFixture, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** Spec §4 "Logs": one JSON line per request, with no token and no customer personal data. */
describe('request log', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp()
  })
  afterEach(() => app.close())

  it('writes one JSON line per request with event type, order key, outcome, status and duration', async () => {
    const id = uniqueOrderId('HL')
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-paid', { originalOrderId: id }))
    await postHook(app.hookUrl, 'wrong-token-00000000000', fixtureBody('order-paid', { originalOrderId: id }))
    const lines = app.logs.requests()
    expect(lines).to.have.length(3)
    expect(lines[0]).to.deep.include({
      method: 'POST',
      status: 200,
      eventType: 'order.created',
      orderKey: id,
      outcome: 'created',
    })
    expect(lines[1]).to.deep.include({ status: 200, eventType: 'order.paid', orderKey: id, outcome: 'applied' })
    expect(lines[2]).to.deep.include({ status: 403, outcome: 'unauthorized', eventType: null })
    for (const line of lines) expect(line['durationMs']).to.be.a('number')
  })

  it('never writes the token or the customer name, phone or address', async () => {
    const fixture = loadFixture('order-created')
    const payload = fixture.payload as { customer: { name: string; phone: string }; address: { full_address: string } }
    const id = uniqueOrderId('HL')
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(
      app.hookUrl,
      TOKEN,
      fixtureBody('order-created', { originalOrderId: id, payload: { positions: [{ id: 1, price: 'x' }] } }),
    )
    await postHook(app.hookUrl, TOKEN, '{"not json')
    const all = app.logs.lines.join('\n')
    expect(all).to.not.contain(TOKEN)
    for (const secret of [payload.customer.name, payload.customer.phone, payload.address.full_address]) {
      expect(secret).to.be.a('string').and.not.equal('')
      expect(all).to.not.contain(secret)
    }
  })

  it('counts requests by event type and outcome in the metrics', async () => {
    const id = uniqueOrderId('HL')
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
    await postHook(app.hookUrl, TOKEN, fixtureBody('unknown-event', { originalOrderId: id }))
    const res = await send(`${app.internalOrigin}/metrics`, { method: 'GET' })
    expect(res.status).to.equal(200)
    expect(res.text).to.contain(
      'sbermarket_hook_requests_total{event_type="order.created",outcome="created",status="200"} 1',
    )
    expect(res.text).to.contain(
      'sbermarket_hook_requests_total{event_type="order.created",outcome="duplicate",status="200"} 1',
    )
    expect(res.text).to.contain('sbermarket_hook_requests_total{event_type="other",outcome="ignored",status="200"} 1')
    expect(res.text).to.contain('sbermarket_hook_request_duration_seconds_bucket')
  })
})
