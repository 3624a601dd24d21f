import { expect } from 'chai'
import { fixtureBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook } from '../support/http-client.js'
import { rawRoundTrip, type RawExchange } from '../support/raw-exchange.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** The customer's phone in the `order-created` fixture: personal data no unauthenticated answer may carry. */
const PHONE = '+79161234567'

/**
 * Spellings of the admin API's two paths, `{id}` standing for the order key: case, trailing slashes,
 * percent-encoding (of letters, of `/`, of dots), doubled slashes, dot segments, the absolute form of the request
 * target, and what comes after the path. Each one goes over a raw socket exactly as written here.
 */
const ADMIN_VARIANTS: readonly string[] = [
  '/admin/orders/{id}',
  '/admin/orders/{id}/events',
  '/admin/orders/{id}/',
  '/admin/orders/{id}/events/',
  '/admin/orders/{id}?x=1',
  '/admin/orders/{id}/events?x=1',
  '/Admin/orders/{id}',
  '/ADMIN/ORDERS/{id}/EVENTS/',
  '/aDmin/orders/{id}/events',
  '/admin/Orders/{id}',
  '/admin/orders/{id}/Events',
  '/Admin/orders/{id}/',
  '/%61dmin/orders/{id}',
  '/%41dmin/orders/{id}/events',
  '/admin/%6Frders/{id}/%65vents',
  '/admin%2Forders%2F{id}',
  '/admin/orders%2F{id}',
  '/admin/orders/{id}%2Fevents',
  '/admin/orders/{id}%2fevents%2f',
  '/%2Fadmin/orders/{id}',
  '//admin/orders/{id}',
  '///admin/orders/{id}/events',
  '/admin//orders/{id}',
  '/admin/orders//{id}',
  '/admin/orders/{id}//events',
  '/./admin/orders/{id}',
  '/x/../admin/orders/{id}',
  '/admin/./orders/{id}',
  '/admin/orders/./{id}',
  '/admin/orders/{id}/./events',
  '/%2e/admin/orders/{id}',
  '/x/%2e%2e/admin/orders/{id}',
  '/sbermarket/orders/hook/../../../admin/orders/{id}',
  '/admin/orders/{id};x=1',
  '/admin/orders/{id}%00',
  '/admin/orders/{id}%20',
  '/admin\\orders\\{id}',
  '/admin/orders/{id}#frag',
  'http://127.0.0.1/admin/orders/{id}',
  'http://127.0.0.1/Admin/orders/{id}/events',
  'http://evil.example//admin/orders/{id}',
  '*',
  '/admin/journal?order={id}',
  '/admin/journal/?order={id}',
  '/admin/journal/1',
  '/admin/journal/1/',
  '/Admin/journal?order={id}',
  '/admin/Journal?order={id}',
  '/ADMIN/JOURNAL/1',
  '/%61dmin/journal?order={id}',
  '/admin/%6Aournal/1',
  '/admin%2Fjournal%2F1',
  '/admin/journal%2F1',
  '//admin/journal?order={id}',
  '/admin//journal/1',
  '/./admin/journal/1',
  '/x/../admin/journal/1',
  '/admin/journal/./1',
  '/admin/journal/1;x=1',
  '/admin/journal/1%00',
  '/admin\\journal\\1',
  'http://127.0.0.1/Admin/journal/1',
]

/** The spellings support uses, which must keep working with the token. */
const ADMIN_LEGITIMATE = new Set([
  '/admin/orders/{id}',
  '/admin/orders/{id}/events',
  '/admin/orders/{id}/',
  '/admin/orders/{id}/events/',
  '/admin/orders/{id}?x=1',
  '/admin/orders/{id}/events?x=1',
  '/admin/orders/{id}#frag',
  'http://127.0.0.1/admin/orders/{id}',
  '/admin/journal?order={id}',
  '/admin/journal/?order={id}',
  '/admin/journal/1',
  '/admin/journal/1/',
])

/** Spellings of the hook path; only the first two are the hook (docs/contract.md §2). */
const HOOK_VARIANTS: readonly string[] = [
  '/sbermarket/orders/hook/',
  '/sbermarket/orders/hook',
  '/SBERMARKET/orders/hook/',
  '/sbermarket/Orders/Hook',
  '/sbermarket/orders/hook//',
  '//sbermarket/orders/hook/',
  '/sbermarket//orders/hook/',
  '/%73bermarket/orders/hook/',
  '/sbermarket/orders%2Fhook/',
  '/sbermarket/orders/hook%2F',
  '/./sbermarket/orders/hook/',
  '/admin/../sbermarket/orders/hook/',
  '/sbermarket/orders/hook/?x=1',
  'http://127.0.0.1/sbermarket/orders/hook/',
]
const HOOK_LEGITIMATE = new Set([
  '/sbermarket/orders/hook/',
  '/sbermarket/orders/hook',
  '/sbermarket/orders/hook/?x=1',
  'http://127.0.0.1/sbermarket/orders/hook/',
])

const OPS_VARIANTS: readonly string[] = [
  '/healthz',
  '/readyz',
  '/metrics',
  '/HEALTHZ',
  '/Metrics',
  '/metrics/',
  '/%6detrics',
  '//metrics',
  '/./metrics',
]

/** The support console (README "Support console"): the internal listener's, never the hook's. */
const CONSOLE_VARIANTS: readonly string[] = [
  '/console/',
  '/console',
  '/Console/',
  '/console/index.html',
  '//console/',
  '/%63onsole/',
  '/./console/',
  '/sbermarket/orders/hook/../../../console/',
  '/readyz/',
  '/healthz?x=1',
  '/console/today',
  '/console/sign-in',
  '/console/orders/{id}',
  '/console/journal',
  '/console/journal/1',
  '/console/assets/console.css',
  '/console/api/today',
  '/console/api/openapi.json',
  '/console/api/orders/{id}',
  '/console%2Ftoday',
  '/CONSOLE/today',
  '/sbermarket/orders/hook/../../console/today',
  '/sbermarket/orders/hook/%2e%2e/%2e%2e/%2e%2e/console/api/today',
]

/** An operator of the console: the app is started with it, so the console is mounted (on the internal listener). */
const OPERATOR = 'operator-token-0123456789abcdef'

describe('no spelling of a path gets past the guards', function () {
  this.timeout(30_000)
  let app: TestApp
  let key: string
  before(async () => {
    app = await startTestApp({ operators: [{ name: 'alice', token: OPERATOR }] })
    key = uniqueOrderId('HV')
    const created = await postHook(app.hookUrl, TOKEN, fixtureBody('order-created', { originalOrderId: key }))
    expect(created.status).to.equal(200)
  })
  after(() => app.close())

  /** A GET on the internal listener, where the admin and ops routes are. */
  const get = (target: string, authorization?: string, origin = app.internalOrigin): Promise<RawExchange> =>
    rawRoundTrip(
      origin,
      [
        `GET ${target.replaceAll('{id}', key)} HTTP/1.1`,
        'Host: 127.0.0.1',
        ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
      ].join('\r\n'),
    )

  const leaks = (res: RawExchange): boolean => res.status === 200 || res.body.includes(key) || res.body.includes(PHONE)

  it('answers every spelling of an admin path without the admin token with no order data', async () => {
    const table: string[] = []
    const leaked: string[] = []
    for (const variant of ADMIN_VARIANTS) {
      for (const [label, authorization] of [
        ['none', undefined],
        ['hook token', `Bearer ${TOKEN}`],
        ['wrong', 'Bearer admin-token-0123456789abcdeX'],
        ['basic', `Basic ${ADMIN}`],
        ['empty bearer', 'Bearer '],
      ] as const) {
        const res = await get(variant, authorization)
        table.push(`${variant} [${label}] -> ${res.status}`)
        if (leaks(res)) leaked.push(`${variant} [${label}] -> ${res.status} ${res.body.slice(0, 80)}`)
      }
    }
    console.log(
      `      ${ADMIN_VARIANTS.length} admin spellings x 5 kinds of credentials: statuses ${JSON.stringify(countStatuses(table))}`,
    )
    expect(leaked, 'answers that carried order data without the admin token').to.deep.equal([])
  })

  it('still answers the legitimate admin spellings with the token, and only those with order data', async () => {
    const withToken: string[] = []
    for (const variant of ADMIN_VARIANTS) {
      const res = await get(variant, `Bearer ${ADMIN}`)
      withToken.push(`${variant} -> ${res.status}`)
      if (ADMIN_LEGITIMATE.has(variant)) expect(res.status, variant).to.equal(200)
      else expect(res.status, `${variant}: not a spelling of an admin path`).to.not.equal(200)
    }
    console.log(`      with the token: ${JSON.stringify(countStatuses(withToken))}`)
    expect((await get('/admin/orders/{id}', `bearer  ${ADMIN}`)).status, 'the scheme is case-insensitive').to.equal(200)
  })

  it("lets no spelling of the hook path in without the token in any form, and takes only the hook's own spellings with it", async () => {
    const basic = (user: string, password: string): string =>
      `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
    /** Each form of the token SberMarket may send (docs/contract.md §2), and hostile ones beside it. */
    const forms: readonly (readonly [string, readonly string[], boolean])[] = [
      ['Client-Token', [`Client-Token: ${TOKEN}`], true],
      ['Bearer', [`Authorization: Bearer ${TOKEN}`], true],
      ['Basic', [basic('sbermarket', TOKEN)], true],
      ['bEaReR, wrong token', ['Authorization: bEaReR wrong-token-0123456789'], false],
      ['Basic, no colon', [`Authorization: Basic ${Buffer.from(TOKEN).toString('base64')}`], false],
      ['Basic, malformed base64', [`Authorization: Basic ${TOKEN}`], false],
      ['two Authorization headers', [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`], false],
    ]
    for (const variant of HOOK_VARIANTS) {
      const post = async (headers: readonly string[]): Promise<{ readonly res: RawExchange; readonly id: string }> => {
        const id = uniqueOrderId('HV')
        const body = fixtureBody('order-created', { originalOrderId: id })
        const head = [
          `POST ${variant} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          ...headers,
        ]
        return { res: await rawRoundTrip(app.origin, head.join('\r\n'), body), id }
      }
      const without = await post([])
      expect(without.res.status, `${variant} without a token`).to.be.oneOf([403, 404, 400])
      expect(await app.journalOf(without.id), `${variant} without a token: nothing journaled`).to.have.length(0)
      for (const [label, headers, valid] of forms) {
        const sent = await post(headers)
        if (!valid) {
          expect(sent.res.status, `${variant} with ${label}`).to.be.oneOf([403, 404, 400])
          expect(await app.journalOf(sent.id), `${variant} with ${label}: nothing journaled`).to.have.length(0)
        } else if (HOOK_LEGITIMATE.has(variant))
          expect(sent.res.status, `${variant} with the token as ${label}`).to.equal(200)
        else expect(sent.res.status, `${variant} with the token as ${label}: not the hook`).to.equal(404)
      }
    }
  })

  it('serves the ops routes under their own names only, and /metrics carries no key, token or personal data', async () => {
    const statuses = await Promise.all(
      OPS_VARIANTS.map(async (variant) => `${variant} -> ${(await get(variant)).status}`),
    )
    expect(statuses).to.deep.equal([
      '/healthz -> 200',
      '/readyz -> 200',
      '/metrics -> 200',
      '/HEALTHZ -> 404',
      '/Metrics -> 404',
      '/metrics/ -> 200',
      '/%6detrics -> 404',
      '//metrics -> 404',
      '/./metrics -> 404',
    ])
    const metrics = await get('/metrics')
    expect(metrics.body).to.include('sbermarket_hook_requests_total')
    for (const secret of [key, TOKEN, ADMIN, PHONE, 'Кузнецова'])
      expect(metrics.body, 'in /metrics').to.not.include(secret)
  })

  it("serves nothing but the hook on the hook's listener: every admin, ops and console spelling is 404 there, token or not", async () => {
    const targets = [...ADMIN_VARIANTS, ...OPS_VARIANTS, ...CONSOLE_VARIANTS]
    const answers: string[] = []
    // The console is mounted: its API answers the operator on the internal listener (else the 404s below prove nothing).
    expect(
      (await get('/console/api/today', `Bearer ${OPERATOR}`)).status,
      'the console on the internal listener',
    ).to.equal(200)
    for (const target of targets) {
      for (const authorization of [undefined, `Bearer ${ADMIN}`, `Bearer ${OPERATOR}`]) {
        const res = await get(target, authorization, app.origin)
        answers.push(`${target} -> ${res.status}`)
        expect(res.status, `${target} on the hook listener`).to.equal(404)
        expect(leaks(res), `${target} on the hook listener carries order data`).to.equal(false)
      }
    }
    // A sign-in and an action posted to the hook's port: 404 too, before any body is read as a form.
    for (const target of [
      '/console/sign-in',
      '/console/api/replay',
      '/console/orders/{id}/erase',
      '/Console/sign-in',
    ]) {
      const form = `token=${OPERATOR}`
      const res = await rawRoundTrip(
        app.origin,
        [
          `POST ${target.replaceAll('{id}', key)} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/x-www-form-urlencoded',
          `Content-Length: ${Buffer.byteLength(form)}`,
          `Authorization: Bearer ${OPERATOR}`,
        ].join('\r\n'),
        form,
      )
      expect(res.status, `POST ${target} on the hook listener`).to.equal(404)
    }
    console.log(
      `      hook listener: ${targets.length} admin, ops and console spellings x 3: ${JSON.stringify(countStatuses(answers))}`,
    )
  })

  it('does not serve the hook on the internal listener', async () => {
    const body = fixtureBody('order-created', { originalOrderId: uniqueOrderId('HV') })
    for (const variant of HOOK_LEGITIMATE) {
      const res = await rawRoundTrip(
        app.internalOrigin,
        [
          `POST ${variant} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          `Client-Token: ${TOKEN}`,
        ].join('\r\n'),
        body,
      )
      expect(res.status, `${variant} on the internal listener`).to.equal(404)
    }
  })
})

const countStatuses = (rows: readonly string[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const row of rows) {
    const status = row.slice(row.lastIndexOf(' ') + 1)
    counts[status] = (counts[status] ?? 0) + 1
  }
  return counts
}
