import { expect } from 'chai'
import { fixtureBody, orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { OTHER_TOKEN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** Spec §2, the wire protocol, row by row, against the real Koa app over a real socket. */
describe('hook wire protocol (docs/contract.md §2)', () => {
  let app: TestApp
  beforeEach(async () => {
    app = await startTestApp({ settings: { bodyLimitBytes: 64 * 1024 } })
  })
  afterEach(() => app.close())

  it('accepts the path with and without the trailing slash', async () => {
    const id = uniqueOrderId('HP')
    const withSlash = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: id }).body)
    const without = await postHook(app.hookUrl.replace(/\/$/, ''), TOKEN, statusBody('order.paid', id).body)
    expect(withSlash.status).to.equal(200)
    expect(without.status).to.equal(200)
  })

  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    it(`answers ${method} on the hook with 405`, async () => {
      const res = await send(app.hookUrl, { method, headers: { 'Client-Token': TOKEN } })
      expect(res.status).to.equal(405)
      expect(res.headers['allow']).to.equal('POST')
    })
  }

  it('answers a missing token with 403, an empty body, and stores nothing', async () => {
    const id = uniqueOrderId('HP')
    const res = await send(app.hookUrl, {
      body: orderCreatedBody({ originalOrderId: id }).body,
      headers: { 'Content-Type': 'application/json' },
    })
    expect(res.status).to.equal(403)
    expect(res.text).to.equal('')
    expect(await app.journalOf(id)).to.have.length(0)
    expect(app.faulty.calls('createOrGet')).to.equal(0)
    expect(app.faulty.calls('recordJournal')).to.equal(0)
  })

  it('answers a wrong token with 403 and stores nothing', async () => {
    const id = uniqueOrderId('HP')
    const res = await postHook(app.hookUrl, `${TOKEN}x`, orderCreatedBody({ originalOrderId: id }).body)
    expect(res.status).to.equal(403)
    expect(res.text).to.equal('')
    expect(app.faulty.calls('recordJournal')).to.equal(0)
  })

  it('reads the token header case-insensitively and accepts every configured token (rotation)', async () => {
    const id = uniqueOrderId('HP')
    const spelled = await send(app.hookUrl, {
      body: orderCreatedBody({ originalOrderId: id }).body,
      headers: { 'content-type': 'application/json', 'Client-token': TOKEN },
    })
    const rotated = await postHook(app.hookUrl, OTHER_TOKEN, statusBody('order.paid', id).body)
    expect(spelled.status).to.equal(200)
    expect(rotated.status).to.equal(200)
  })

  it('checks the token before reading the body: a wrong token with an oversized body is still 403', async () => {
    const res = await postHook(app.hookUrl, 'wrong-token-0000000000', 'x'.repeat(200 * 1024))
    expect(res.status).to.equal(403)
  })

  it('accepts application/json with a charset', async () => {
    const res = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HP') }).body, {
      'Content-Type': 'application/json; charset=utf-8',
    })
    expect(res.status).to.equal(200)
  })

  it('answers another content type with 415 and journals it', async () => {
    const res = await postHook(app.hookUrl, TOKEN, 'a=b', { 'Content-Type': 'application/x-www-form-urlencoded' })
    expect(res.status).to.equal(415)
    expect(res.json).to.deep.include({ error: 'unsupported_media_type' })
    expect(app.faulty.calls('recordJournal')).to.equal(1)
  })

  it('answers a missing content type with 415', async () => {
    const res = await send(app.hookUrl, { body: '{}', headers: { 'Client-Token': TOKEN } })
    expect(res.status).to.equal(415)
  })

  it('answers a body over the limit with 413 and journals the refusal', async () => {
    const big = orderCreatedBody({ originalOrderId: uniqueOrderId('HP'), comment: 'x'.repeat(70 * 1024) }).body
    const res = await postHook(app.hookUrl, TOKEN, big)
    expect(res.status).to.equal(413)
    expect(res.json).to.deep.include({ error: 'payload_too_large' })
    expect(app.faulty.calls('createOrGet')).to.equal(0)
    expect(app.faulty.calls('recordJournal')).to.equal(1)
  })

  it('answers a body that is not JSON with 400 and keeps the raw body in the journal', async () => {
    const res = await postHook(app.hookUrl, TOKEN, '{"event_type": "order.created", "payload": ')
    expect(res.status).to.equal(400)
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
    expect(res.headers['content-length']).to.equal(String(Buffer.byteLength(res.text)))
    expect(res.json).to.deep.equal({ error: 'malformed_json', detail: 'the body is not valid JSON' })
    expect(app.faulty.calls('recordJournal')).to.equal(1)
  })

  it('answers order.created with {"status":"created","number":...}', async () => {
    const res = await postHook(
      app.hookUrl,
      TOKEN,
      fixtureBody('order-created', { originalOrderId: uniqueOrderId('HP') }),
    )
    expect(res.status).to.equal(200)
    expect(res.headers['content-type']).to.equal('application/json; charset=utf-8')
    expect(res.text, 'compact JSON, the number a string').to.match(/^\{"status":"created","number":"[^"]+"\}$/)
    expect(res.headers['content-length']).to.equal(String(Buffer.byteLength(res.text)))
    expect(res.json).to.have.all.keys('status', 'number')
    expect(res.json).to.deep.include({ status: 'created' })
    expect((res.json as { number: unknown }).number)
      .to.be.a('string')
      .and.not.equal('')
  })

  it('accepts the event type as event-type too', async () => {
    const res = await postHook(
      app.hookUrl,
      TOKEN,
      fixtureBody('order-created-event-dash', { originalOrderId: uniqueOrderId('HP') }),
    )
    expect(res.status).to.equal(200)
    expect(res.json).to.deep.include({ status: 'created' })
  })

  for (const fixture of [
    'order-paid',
    'order-received',
    'order-delivered',
    'order-cancelled',
    'order-changed',
    'order-updated-alias',
    'order-canceled-alias',
    'unknown-event',
  ] as const) {
    it(`answers ${fixture} with 200 and an empty body`, async () => {
      const id = uniqueOrderId('HP')
      await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: id }))
      const res = await postHook(app.hookUrl, TOKEN, fixtureBody(fixture, { originalOrderId: id }))
      expect(res.status).to.equal(200)
      expect(res.text).to.equal('')
      expect(res.headers['content-length']).to.equal('0')
    })
  }

  it('answers a known event with a payload it cannot understand with 400 and a short JSON problem, under the reject policy', async () => {
    await app.close()
    app = await startTestApp({ settings: { unreadableOrders: 'reject' } })
    const id = uniqueOrderId('HP')
    const res = await postHook(
      app.hookUrl,
      TOKEN,
      orderCreatedBody({ originalOrderId: id, positions: [{ id: 'A1', quantity: 1, price: 'дорого' }] }).body,
    )
    expect(res.status).to.equal(400)
    expect(res.json).to.have.all.keys('error', 'detail')
    expect((res.json as { detail: string }).detail).to.contain('payload.positions.0.price')
  })

  it('never sends a 5xx body with an internal message', async () => {
    app.faulty.setFaults({
      createOrGet: {
        fail: { _tag: 'Always' },
        error: { _tag: 'StoreFailure', reason: 'ECONNRESET at 10.1.2.3:1433 secret-host' },
      },
    })
    const res = await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HP') }).body)
    expect(res.status).to.equal(503)
    expect(res.text).to.not.contain('ECONNRESET')
    expect(res.text).to.not.contain('secret-host')
    expect(res.json).to.deep.equal({
      error: 'unavailable',
      detail: 'the order store did not answer in time; please retry',
    })
  })
})
