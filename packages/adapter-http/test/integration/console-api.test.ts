import { expect } from 'chai'
import { Validator } from '@seriousme/openapi-schema-validator'
import { envelope, fullOrderPayload, orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { openApiDocument } from '@domino-sm/adapter-http'
import { postHook, send, type TestResponse } from '../support/http-client.js'
import { OpenApiCheck } from '../support/openapi-check.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const ALICE = 'alice-token-0123456789abcdef'

/**
 * The console's JSON routes and the admin API over a real socket (in-memory store), every answer validated against
 * the OpenAPI document the console serves, and every documented route exercised.
 */
describe('the console API and its OpenAPI document', () => {
  let app: TestApp
  const check = new OpenApiCheck()
  before(async () => {
    app = await startTestApp({ operators: [{ name: 'alice', token: ALICE }] })
  })
  after(() => app.close())

  const call = async (
    method: 'get' | 'post',
    template: string,
    path: string,
    token: string | undefined,
    body?: unknown,
  ): Promise<TestResponse> => {
    const res = await send(`${app.internalOrigin}${path}`, {
      method: method.toUpperCase(),
      headers: {
        ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    check.answer(method, template, res)
    return res
  }

  it('serves a document that is valid OpenAPI 3.1', async () => {
    const res = await call('get', '/console/api/openapi.json', '/console/api/openapi.json', ADMIN)
    expect(res.status).to.equal(200)
    const validator = new Validator()
    const result = await validator.validate(res.json as Parameters<Validator['validate']>[0])
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([])
    expect(result.valid).to.equal(true)
    expect(validator.version).to.equal('3.1')
    expect(res.json).to.deep.equal(JSON.parse(JSON.stringify(openApiDocument)))
  })

  it('answers every documented route as documented: reads for ADMIN_TOKEN and operators, actions for operators only', async () => {
    const review = uniqueOrderId('AP')
    const plain = uniqueOrderId('AP')
    await postHook(
      app.hookUrl,
      TOKEN,
      envelope('order.created', {
        ...fullOrderPayload(review),
        positions: [
          { id: 'A', quantity: 1, price: 'x' },
          { id: 'B', quantity: 1, price: '1.00', markingCode: [{ value: 'M1' }] },
        ],
      }).body,
    )
    await postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: plain }).body)
    await postHook(app.hookUrl, TOKEN, '{"event_type": "order.created", "payload": {}}')

    for (const path of ['/healthz', '/readyz', '/metrics'])
      check.answer('get', path, await send(`${app.internalOrigin}${path}`, { method: 'GET' }))
    expect((await call('get', '/admin/orders/{key}', `/admin/orders/${review}`, ADMIN)).status).to.equal(200)
    expect((await call('get', '/admin/orders/{key}', '/admin/orders/nope', ADMIN)).status).to.equal(404)
    expect((await call('get', '/admin/orders/{key}/events', `/admin/orders/${review}/events`, ADMIN)).status).to.equal(
      200,
    )
    expect((await call('get', '/admin/journal', '/admin/journal?outcome=rejected', ADMIN)).status).to.equal(200)
    expect((await call('get', '/admin/journal', '/admin/journal?outcome=nope', ADMIN)).status).to.equal(400)
    expect((await call('get', '/admin/journal/{id}', '/admin/journal/1', ADMIN)).status).to.equal(200)
    expect((await call('get', '/admin/journal/{id}', '/admin/journal/999999', ADMIN)).status).to.equal(404)
    expect((await call('get', '/admin/journal', '/admin/journal', undefined)).status).to.equal(401)

    const today = await call('get', '/console/api/today', '/console/api/today', ADMIN)
    expect(today.json).to.deep.include({ ordersForReview: 1, requests: 3 })
    expect(
      (today.json as { review: { originalOrderId: string }[] }).review.map((r) => r.originalOrderId),
    ).to.deep.equal([review])
    expect((await call('get', '/console/api/today', '/console/api/today', undefined)).status).to.equal(401)
    const order = await call('get', '/console/api/orders/{key}', `/console/api/orders/${review}`, ALICE)
    expect((order.json as { history: unknown[] }).history).to.have.length(1)
    expect(order.text, 'the history has no bodies').not.to.contain('rawBody')
    expect(
      (await call('get', '/console/api/orders/{key}', `/console/api/orders/${review}?limit=1`, ALICE)).json,
    ).to.deep.include({ next: 1 })
    expect(
      (await call('get', '/console/api/orders/{key}', `/console/api/orders/${review}?after=1`, ALICE)).json,
    ).to.deep.include({ history: [], next: null })
    expect(
      (await call('get', '/console/api/orders/{key}', `/console/api/orders/${review}?limit=0`, ALICE)).status,
    ).to.equal(400)
    expect(
      (await call('get', '/admin/orders/{key}/events', `/admin/orders/${review}/events?limit=x`, ADMIN)).status,
    ).to.equal(400)
    expect((await call('get', '/console/api/orders/{key}', '/console/api/orders/nope', ALICE)).status).to.equal(404)
    const journal = await call('get', '/console/api/journal', '/console/api/journal?limit=2', ALICE)
    expect(journal.json).to.have.property('next', 2)
    expect((await call('get', '/console/api/journal', '/console/api/journal?since=yesterday', ALICE)).status).to.equal(
      400,
    )
    type Page = { entries: { id: number; eventType: string | null }[]; next: number | null }
    const created = (
      await call('get', '/console/api/journal', '/console/api/journal?event=order.created&outcome=created', ALICE)
    ).json as Page
    expect(created.entries.map((e) => [e.id, e.eventType])).to.deep.equal([
      [1, 'order.created'],
      [2, 'order.created'],
    ])
    const firstOfOne = (
      await call('get', '/console/api/journal', '/console/api/journal?event=order.created&limit=1', ALICE)
    ).json as Page
    expect(firstOfOne).to.deep.equal({ ...firstOfOne, next: 1 })
    const rest = (
      await call('get', '/console/api/journal', '/console/api/journal?event=order.created&limit=5&after=1', ALICE)
    ).json as Page
    expect(rest.entries.map((e) => e.id)).to.deep.equal([2, 3])
    expect(rest.next).to.equal(null)
    expect(
      (await call('get', '/console/api/journal', `/console/api/journal?event=${'x'.repeat(101)}`, ALICE)).status,
    ).to.equal(400)
    const refused = (await call('get', '/console/api/journal', '/console/api/journal?status=400', ALICE)).json as Page
    expect(refused.entries.map((e) => e.id)).to.deep.equal([3])
    expect((await call('get', '/console/api/journal', '/console/api/journal?status=5xx', ALICE)).status).to.equal(400)
    expect((await call('get', '/console/api/journal/{id}', '/console/api/journal/1', ALICE)).json).to.have.property(
      'rawBody',
    )
    expect((await call('get', '/console/api/journal/{id}', '/console/api/journal/x1', ALICE)).status).to.equal(404)

    // Actions: the read-only token is refused; a note is required; the dry run changes nothing.
    expect(
      (await call('post', '/console/api/replay', '/console/api/replay', ADMIN, { ids: [3], note: 'n', dryRun: true }))
        .status,
    ).to.equal(403)
    expect(
      (await call('post', '/console/api/replay', '/console/api/replay', ALICE, { ids: [3], dryRun: true })).status,
    ).to.equal(400)
    const dry = await call('post', '/console/api/replay', '/console/api/replay', ALICE, {
      ids: [3, 2],
      note: 'проверка',
      dryRun: true,
    })
    expect(
      (dry.json as { entries: { id: number; outcomeNow: string | null }[] }).entries.map((e) => [e.id, e.outcomeNow]),
    ).to.deep.equal([
      [2, 'duplicate'],
      [3, 'rejected'],
    ])
    const replayed = await call('post', '/console/api/replay', '/console/api/replay', ALICE, {
      ids: [2],
      note: 'проверка',
      dryRun: false,
    })
    const journaledAs = (replayed.json as { journaledAs: number }).journaledAs
    const request = await call('get', '/console/api/journal/{id}', `/console/api/journal/${journaledAs}`, ALICE)
    expect(JSON.parse((request.json as { rawBody: string }).rawBody)).to.deep.equal({
      event_type: 'support.replay-requested',
      payload: { entries: [2], note: 'проверка', operator: 'alice' },
    })

    expect(
      (
        await call(
          'post',
          '/console/api/orders/{key}/clear-review',
          `/console/api/orders/${review}/clear-review`,
          ADMIN,
          { note: 'x' },
        )
      ).status,
    ).to.equal(403)
    expect(
      (
        await call(
          'post',
          '/console/api/orders/{key}/clear-review',
          `/console/api/orders/${review}/clear-review`,
          ALICE,
          { note: '  ' },
        )
      ).status,
    ).to.equal(400)
    expect(
      (
        await call(
          'post',
          '/console/api/orders/{key}/clear-review',
          `/console/api/orders/${review}/clear-review`,
          ALICE,
          { note: 'решено' },
        )
      ).json,
    ).to.deep.equal({ originalOrderId: review, result: 'cleared' })
    expect(
      (
        await call(
          'post',
          '/console/api/orders/{key}/clear-review',
          `/console/api/orders/${review}/clear-review`,
          ALICE,
          { note: 'решено' },
        )
      ).json,
    ).to.deep.equal({ originalOrderId: review, result: 'not_marked' })
    expect(
      (
        await call('post', '/console/api/orders/{key}/clear-review', '/console/api/orders/nope/clear-review', ALICE, {
          note: 'x',
        })
      ).status,
    ).to.equal(404)

    expect(
      (
        await call('post', '/console/api/orders/{key}/erase', `/console/api/orders/${plain}/erase`, ALICE, {
          note: 'обращение',
          confirmOrderKey: `${plain} `,
        })
      ).status,
    ).to.equal(400)
    const erased = await call('post', '/console/api/orders/{key}/erase', `/console/api/orders/${plain}/erase`, ALICE, {
      note: 'обращение',
      confirmOrderKey: plain,
    })
    expect(erased.json).to.deep.include({ originalOrderId: plain, orderFound: true })
    expect(
      (
        await call('post', '/console/api/orders/{key}/erase', `/console/api/orders/${plain}/erase`, undefined, {
          note: 'x',
          confirmOrderKey: plain,
        })
      ).status,
    ).to.equal(401)
  })

  it('exercised every documented route', () => {
    expect([...check.checked].sort()).to.deep.equal(OpenApiCheck.operations('/').sort())
  })
})
