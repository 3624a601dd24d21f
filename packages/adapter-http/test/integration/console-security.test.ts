import { expect } from 'chai'
import { envelope, fullOrderPayload, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send, type TestResponse } from '../support/http-client.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const ALICE = 'alice-token-0123456789abcdef'

const cookieOf = (res: TestResponse): string | undefined => {
  const set = res.headers['set-cookie']
  return (Array.isArray(set) ? set : set === undefined ? [] : [set]).find((c) => /sm_console=[^;]/.test(c))
}
const pairOf = (setCookie: string | undefined): string => (setCookie ?? '').split(';')[0] ?? ''
const csrfOf = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()

/** The console's defences over a real socket: sign-in, sessions, CSRF and same-origin checks, headers, escaping. */
describe('the support console: who may look and act', () => {
  let app: TestApp
  before(async () => {
    app = await startTestApp({ operators: [{ name: 'alice', token: ALICE }] })
  })
  after(() => app.close())

  const get = (path: string, headers: Record<string, string> = {}) =>
    send(`${app.internalOrigin}${path}`, { method: 'GET', headers })
  const postForm = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    send(`${app.internalOrigin}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: form(fields),
    })
  const signIn = async (token: string, headers: Record<string, string> = {}): Promise<TestResponse> =>
    postForm('/console/sign-in', { token, next: '/console/today' }, headers)
  const session = async (): Promise<{ cookie: string; csrf: string }> => {
    const cookie = pairOf(cookieOf(await signIn(ALICE)))
    const page = await get('/console/today', { Cookie: cookie })
    return { cookie, csrf: csrfOf(page.text) }
  }

  it('sends pages without a session to sign in, and the API answers 401; every answer carries the strict headers', async () => {
    const page = await get('/console/today')
    expect(page.status).to.equal(303)
    expect(page.headers['location']).to.equal('/console/sign-in?next=%2Fconsole%2Ftoday')
    const api = await get('/console/api/today')
    expect(api.status).to.equal(401)
    for (const res of [page, api, await get('/console/sign-in')]) {
      expect(res.headers['content-security-policy']).to.equal(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      )
      expect(res.headers['x-frame-options']).to.equal('DENY')
      expect(res.headers['x-content-type-options']).to.equal('nosniff')
      expect(res.headers['referrer-policy']).to.equal('no-referrer')
      expect(res.headers['cache-control']).to.equal('no-store')
    }
  })

  it('refuses a wrong token, slower each time, and logs it without the token', async () => {
    const first = await signIn('wrong-token-000000000000000')
    const second = await signIn('wrong-token-000000000000001')
    expect([first.status, second.status]).to.deep.equal([401, 401])
    expect(cookieOf(second)).to.equal(undefined)
    expect(second.elapsedMs, 'the second failure waits at least 250 ms').to.be.at.least(240)
    const bearer = await get('/console/api/today', { Authorization: 'Bearer wrong-token-000000000000002' })
    expect(bearer.status).to.equal(401)
    const logged = app.logs.lines.filter((l) => l.includes('sign-in refused'))
    expect(logged).to.have.length(3)
    expect(app.logs.lines.join('\n')).not.to.match(/wrong-token-00000000000000[012]/)
    expect((await signIn(ALICE)).status, 'a right token still signs in after failures').to.equal(303)
  })

  it('sets an HttpOnly SameSite=Strict cookie, Secure with __Host- only over TLS as Koa sees it', async () => {
    const plain = cookieOf(await signIn(ALICE))
    expect(plain).to.match(/^sm_console=[^;]+; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=28800$/)
    const forwarded = cookieOf(await signIn(ALICE, { 'X-Forwarded-Proto': 'https' }))
    expect(forwarded, 'X-Forwarded-Proto from an untrusted client is ignored').not.to.contain('Secure')
    const proxied = await startTestApp({ operators: [{ name: 'alice', token: ALICE }], settings: { trustProxy: true } })
    try {
      const res = await send(`${proxied.internalOrigin}/console/sign-in`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-Proto': 'https' },
        body: form({ token: ALICE }),
      })
      expect(cookieOf(res)).to.match(
        /^__Host-sm_console=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Secure; Max-Age=28800$/,
      )
    } finally {
      await proxied.close()
    }
  })

  it('never redirects out of the console after sign-in', async () => {
    for (const next of [
      '//evil.example/x',
      'https://evil.example/',
      '/console//evil.example',
      '/console/../admin',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const res = await postForm('/console/sign-in', { token: ALICE, next })
      expect(res.headers['location'], next).to.equal('/console/today')
    }
    expect(
      (await postForm('/console/sign-in', { token: ALICE, next: '/console/orders/H1?body=2' })).headers['location'],
    ).to.equal('/console/orders/H1?body=2')
  })

  it('refuses an action without the CSRF token, with another session’s, from another origin or site; accepts the page’s own', async () => {
    const key = uniqueOrderId('CS')
    await postHook(app.hookUrl, TOKEN, envelope('order.created', { ...fullOrderPayload(key), positions: 'нет' }).body)
    const mine = await session()
    const other = await session()
    const path = `/console/orders/${key}/clear-review`
    const refused = [
      await postForm(path, { note: 'n' }, { Cookie: mine.cookie }),
      await postForm(path, { note: 'n', _csrf: other.csrf }, { Cookie: mine.cookie }),
      await postForm(path, { note: 'n', _csrf: mine.csrf }, { Cookie: mine.cookie, Origin: 'https://evil.example' }),
      await postForm(path, { note: 'n', _csrf: mine.csrf }, { Cookie: mine.cookie, 'Sec-Fetch-Site': 'cross-site' }),
      await postForm(path, { note: 'n', _csrf: mine.csrf }, { Cookie: mine.cookie, 'Sec-Fetch-Site': 'same-site' }),
      await postForm(path, { note: 'n', _csrf: mine.csrf }, { Cookie: mine.cookie, Origin: 'null' }),
      await postForm(
        path,
        { note: 'n', _csrf: mine.csrf },
        { Cookie: mine.cookie, Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      ),
    ]
    expect(refused.map((r) => r.status)).to.deep.equal([403, 403, 403, 403, 403, 403, 403])
    expect((await app.orderOf(key))?.review).not.to.equal(undefined)
    const crossSignIn = await signIn(ALICE, { Origin: 'https://evil.example' })
    expect(crossSignIn.status, 'a sign-in from another site is refused too').to.equal(403)
    // Chromium posts the forms of a page sent with Referrer-Policy: no-referrer with Origin: null.
    const done = await postForm(
      path,
      { note: 'решено', _csrf: mine.csrf },
      { Cookie: mine.cookie, Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    )
    expect(done.status).to.equal(200)
    expect((await app.orderOf(key))?.review).to.equal(undefined)
  })

  it('lets the read-only ADMIN_TOKEN read pages but not act, even with its CSRF token', async () => {
    const cookie = pairOf(cookieOf(await signIn(ADMIN)))
    const page = await get('/console/journal', { Cookie: cookie })
    expect(page.status).to.equal(200)
    expect(page.text).to.contain('только чтение')
    expect(page.text).not.to.contain('name="id"')
    const acted = await postForm(
      '/console/replay',
      { id: '1', note: 'n', _csrf: csrfOf(page.text) },
      { Cookie: cookie },
    )
    expect(acted.status).to.equal(403)
  })

  it('refuses a tampered, signed-out or unknown session', async () => {
    const { cookie, csrf } = await session()
    const [name, value] = cookie.split('=') as [string, string]
    const [payload, signature] = value.split('.') as [string, string]
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), n: 'mallory' }),
    ).toString('base64url')
    expect((await get('/console/today', { Cookie: `${name}=${forged}.${signature}` })).status).to.equal(303)
    expect((await get('/console/today', { Cookie: `${name}=${payload}.${signature.slice(1)}x` })).status).to.equal(303)
    expect((await get('/console/today', { Cookie: cookie })).status).to.equal(200)
    expect((await postForm('/console/sign-out', { _csrf: csrf }, { Cookie: cookie })).status).to.equal(303)
    expect((await get('/console/today', { Cookie: cookie })).status, 'signed out').to.equal(303)
  })

  it('escapes everything a request can carry, and lists never show a body', async () => {
    const key = `X<script>alert(1)</script>${uniqueOrderId('XS')}`
    const body = envelope('order.created', {
      ...fullOrderPayload(key),
      customer: { name: '<img src=x onerror=alert(2)>', phone: '+79990000000' },
      comment: '"><svg onload=alert(3)>',
    }).body
    expect((await postHook(app.hookUrl, TOKEN, body)).status).to.equal(200)
    const { cookie } = await session()
    const order = await get(`/console/orders/${encodeURIComponent(key)}`, { Cookie: cookie })
    expect(order.status).to.equal(200)
    expect(order.text).not.to.match(/<script>alert|<img src=x|<svg onload/)
    expect(order.text).to.contain('&lt;img src=x onerror=alert(2)&gt;')
    const journal = await get(`/console/journal?order=${encodeURIComponent(key)}`, { Cookie: cookie })
    expect(journal.text).to.contain('X&lt;script&gt;')
    expect(journal.text).not.to.contain('onerror')
    expect((await get('/console/today', { Cookie: cookie })).text).not.to.contain('onerror')
  })

  it('answers every spelling of a console path with the guard or not at all', async () => {
    for (const path of [
      '/Console/today',
      '/console/Today',
      '/CONSOLE/api/today',
      '/console/api/today/',
      '/console//api/today',
      '/console/api/%74oday',
      '/console/api/today;x',
      '/console/api/journal/1%2F..',
    ]) {
      const res = await get(path)
      expect([303, 401, 404], path).to.include(res.status)
    }
    expect((await get('/console/assets/..%2Fconsole-router.js')).status).to.equal(404)
    expect((await get('/console/assets/toString')).status).to.equal(404)
    const css = await get('/console/assets/console.css')
    expect(css.status).to.equal(200)
    expect(css.headers['content-type']).to.equal('text/css; charset=utf-8')
  })

  it('refuses hostile bodies: oversized forms, JSON for the form, unknown fields', async () => {
    const { cookie, csrf } = await session()
    const huge = await postForm(
      '/console/replay',
      { id: '1', note: 'x'.repeat(70_000), _csrf: csrf },
      { Cookie: cookie },
    )
    expect(huge.status).to.equal(413)
    const tooMany = await send(`${app.internalOrigin}/console/api/replay`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ALICE}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: Array.from({ length: 101 }, (_, i) => i + 1), note: 'n', dryRun: true }),
    })
    expect(tooMany.status).to.equal(400)
    const notJson = await send(`${app.internalOrigin}/console/api/replay`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ALICE}`, 'Content-Type': 'application/json' },
      body: '{"ids": [1',
    })
    expect(notJson.status).to.equal(400)
    const proto = await send(`${app.internalOrigin}/console/api/replay`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ALICE}`, 'Content-Type': 'application/json' },
      body: '{"__proto__": {"dryRun": true}, "ids": [1], "note": "n"}',
    })
    expect(proto.status, proto.text).to.equal(400)
  })
})
