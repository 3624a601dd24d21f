import { expect } from 'chai'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import type { HookAuthForm } from '@domino-sm/adapter-http'
import { rawRoundTrip, type RawExchange } from '../support/raw-exchange.js'
import { OTHER_TOKEN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')
const basic = (user: string, password: string): string => `Authorization: Basic ${b64(`${user}:${password}`)}`

/**
 * Posts an order.created over a raw socket with exactly the header lines given (no client library rewrites or
 * merges them). Returns the exchange and the key, so that the test can look at the journal.
 */
const postRaw = async (
  app: TestApp,
  headers: readonly string[],
): Promise<{ readonly res: RawExchange; readonly key: string }> => {
  const key = uniqueOrderId('HA')
  const body = orderCreatedBody({ originalOrderId: key }).body
  const head = [
    'POST /sbermarket/orders/hook/ HTTP/1.1',
    'Host: 127.0.0.1',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...headers,
  ]
  return { res: await rawRoundTrip(app.origin, head.join('\r\n'), body), key }
}

/** Expects 403 with an empty body and no journal entry for the key (nothing is stored for an unauthenticated request). */
const expectRefused = async (
  app: TestApp,
  sent: { readonly res: RawExchange; readonly key: string },
  what: string,
): Promise<void> => {
  expect(sent.res.status, what).to.equal(403)
  expect(sent.res.body, `${what}: empty body`).to.equal('')
  expect(await app.journalOf(sent.key), `${what}: nothing journaled`).to.have.length(0)
}

const expectAccepted = async (
  app: TestApp,
  sent: { readonly res: RawExchange; readonly key: string },
  what: string,
): Promise<void> => {
  expect(sent.res.status, `${what}: ${sent.res.body}`).to.equal(200)
  expect(await app.journalOf(sent.key), `${what}: journaled`).to.have.length(1)
}

describe('the hook token in every form SberMarket may send it (real socket)', function () {
  this.timeout(30_000)

  describe('with every form allowed (the default)', () => {
    let app: TestApp
    before(async () => {
      app = await startTestApp()
    })
    after(() => app.close())

    it('accepts each valid token (rotation) as Client-Token, as Bearer, and as the password of Basic with any user name', async () => {
      for (const token of [TOKEN, OTHER_TOKEN]) {
        await expectAccepted(app, await postRaw(app, [`Client-Token: ${token}`]), 'Client-Token')
        await expectAccepted(app, await postRaw(app, [`Authorization: Bearer ${token}`]), 'Bearer')
        await expectAccepted(app, await postRaw(app, [basic('sbermarket', token)]), 'Basic sbermarket')
        await expectAccepted(app, await postRaw(app, [basic('', token)]), 'Basic, empty user name')
        await expectAccepted(app, await postRaw(app, [basic('партнёр', token)]), 'Basic, a UTF-8 user name')
        const latin1User = Buffer.concat([Buffer.from([0xe9, 0xff]), Buffer.from(`:${token}`)]).toString('base64')
        await expectAccepted(
          app,
          await postRaw(app, [`Authorization: Basic ${latin1User}`]),
          'Basic, a user name in bytes that are not UTF-8',
        )
      }
    })

    it('reads the scheme in any case and the header name in any case (RFC 7235)', async () => {
      await expectAccepted(app, await postRaw(app, [`authorization: bEaReR ${TOKEN}`]), 'bEaReR')
      await expectAccepted(app, await postRaw(app, [`AUTHORIZATION: BASIC ${b64(`u:${TOKEN}`)}`]), 'BASIC')
      await expectAccepted(
        app,
        await postRaw(app, [`Authorization: Bearer    ${TOKEN}   `]),
        'Bearer with extra spaces',
      )
      await expectAccepted(
        app,
        await postRaw(app, [`Authorization: Basic ${b64(`u:${TOKEN}`).replace(/=+$/, '')}`]),
        'Basic without base64 padding',
      )
    })

    it('accepts a request when any form carries a valid token, whatever the other one carries', async () => {
      await expectAccepted(
        app,
        await postRaw(app, ['Client-Token: wrong-token-0123456789abc', `Authorization: Bearer ${TOKEN}`]),
        'wrong Client-Token, right Bearer',
      )
      await expectAccepted(
        app,
        await postRaw(app, ['Client-Token: wrong-token-0123456789abc', basic('u', TOKEN)]),
        'wrong Client-Token, right Basic',
      )
      await expectAccepted(
        app,
        await postRaw(app, [`Client-Token: ${TOKEN}`, 'Authorization: Basic bmdpbng6c2VjcmV0']),
        "right Client-Token, a proxy's own Basic",
      )
    })

    it('refuses with 403, an empty body and nothing journaled every malformed or wrong form', async () => {
      const cases: readonly (readonly [string, readonly string[]])[] = [
        ['no credentials', []],
        ['wrong Bearer', ['Authorization: Bearer wrong-token-0123456789abc']],
        ['a token that is a prefix of the right one', [`Authorization: Bearer ${TOKEN.slice(0, -1)}`]],
        ['the right token with a suffix', [`Authorization: Bearer ${TOKEN}x`]],
        ['Bearer without a token', ['Authorization: Bearer']],
        ['Bearer and two words', [`Authorization: Bearer ${TOKEN} ${TOKEN}`]],
        ['the token with no scheme', [`Authorization: ${TOKEN}`]],
        ['another scheme', [`Authorization: Token ${TOKEN}`]],
        ['Digest', [`Authorization: Digest ${TOKEN}`]],
        ['the token as the Basic user name', [basic(TOKEN, '')]],
        ['the token as the Basic user name, a password beside it', [basic(TOKEN, 'x')]],
        ['Basic, empty password', [basic('sbermarket', '')]],
        ['Basic, no colon', [`Authorization: Basic ${b64(TOKEN)}`]],
        ['Basic, malformed base64', [`Authorization: Basic ${b64(`u:${TOKEN}`)}!`]],
        ['Basic, the token not in base64', [`Authorization: Basic u:${TOKEN}`]],
        [
          'Basic, base64url alphabet',
          [`Authorization: Basic ${b64(`u:${TOKEN}`).replaceAll('+', '-').replaceAll('/', '_')}~`],
        ],
        [
          'Basic, bytes that are not UTF-8 before a wrong password',
          [
            `Authorization: Basic ${Buffer.concat([Buffer.from([0xff, 0xfe, 0x3a]), Buffer.from(TOKEN.slice(1))]).toString('base64')}`,
          ],
        ],
        ['Basic, one base64 character too many', [`Authorization: Basic ${b64(`u:${TOKEN}`)}A`]],
        ['two Authorization headers, both right', [`Authorization: Bearer ${TOKEN}`, `Authorization: Bearer ${TOKEN}`]],
        [
          'two Authorization headers, one right',
          ['Authorization: Bearer nope-nope-nope-nope', `Authorization: Bearer ${TOKEN}`],
        ],
        ["a huge Authorization header (within Node's header limit)", [`Authorization: Bearer ${'A'.repeat(12_000)}`]],
        ['a huge Basic header, a wrong password', [basic('u'.repeat(6000), `${TOKEN.slice(1)}`)]],
        ['Client-Token holding the Bearer form', [`Client-Token: Bearer ${TOKEN}`]],
        ['two Client-Token headers, both right', [`Client-Token: ${TOKEN}`, `Client-Token: ${TOKEN}`]],
      ]
      for (const [label, headers] of cases) await expectRefused(app, await postRaw(app, headers), label)
    })

    it("refuses a header past Node's limit before the app sees it (431), storing nothing", async () => {
      const sent = await postRaw(app, [`Authorization: Bearer ${'A'.repeat(20_000)}${TOKEN}`])
      expect(sent.res.status).to.equal(431)
      expect(await app.journalOf(sent.key)).to.have.length(0)
    })

    it('never writes a token or a Basic credential to the log', async () => {
      const secret = 'never-logged-basic-user-0123'
      await postRaw(app, [basic(secret, TOKEN)])
      await postRaw(app, [`Authorization: Bearer ${TOKEN}`])
      await postRaw(app, [basic(secret, 'wrong-password-0123456789')])
      const text = app.logs.lines.join('\n')
      for (const needle of [TOKEN, OTHER_TOKEN, secret, b64(`${secret}:${TOKEN}`)]) expect(text).to.not.include(needle)
    })
  })

  describe('restricted by HOOK_AUTH_FORMS and HOOK_BASIC_USER', () => {
    const start = (forms: readonly HookAuthForm[], basicUser?: string): Promise<TestApp> =>
      startTestApp({ settings: { hookAuth: { forms, ...(basicUser === undefined ? {} : { basicUser }) } } })

    it('refuses a right token in a form that is not allowed, and accepts it in the allowed one', async () => {
      const app = await start(['client-token'])
      try {
        await expectRefused(
          app,
          await postRaw(app, [`Authorization: Bearer ${TOKEN}`]),
          'Bearer, only client-token allowed',
        )
        await expectRefused(app, await postRaw(app, [basic('u', TOKEN)]), 'Basic, only client-token allowed')
        await expectAccepted(app, await postRaw(app, [`Client-Token: ${TOKEN}`]), 'Client-Token')
      } finally {
        await app.close()
      }
      const bearerOnly = await start(['bearer'])
      try {
        await expectRefused(
          bearerOnly,
          await postRaw(bearerOnly, [`Client-Token: ${TOKEN}`]),
          'Client-Token, only bearer allowed',
        )
        await expectRefused(bearerOnly, await postRaw(bearerOnly, [basic('u', TOKEN)]), 'Basic, only bearer allowed')
        await expectAccepted(bearerOnly, await postRaw(bearerOnly, [`Authorization: Bearer ${TOKEN}`]), 'Bearer')
        // A right token in a form not allowed does not let a wrong one in an allowed form through.
        await expectRefused(
          bearerOnly,
          await postRaw(bearerOnly, [`Client-Token: ${TOKEN}`, 'Authorization: Bearer wrong-token-0123456789']),
          'wrong Bearer beside a right Client-Token',
        )
      } finally {
        await bearerOnly.close()
      }
    })

    it('takes Basic only with the configured user name, compared exactly', async () => {
      const app = await start(['basic'], 'sbermarket')
      try {
        await expectAccepted(app, await postRaw(app, [basic('sbermarket', TOKEN)]), 'the configured user')
        await expectAccepted(
          app,
          await postRaw(app, [basic('sbermarket', OTHER_TOKEN)]),
          'the configured user, the rotated token',
        )
        for (const user of ['SberMarket', 'sbermarket ', '', 'sbermarke', 'sbermarketx']) {
          await expectRefused(app, await postRaw(app, [basic(user, TOKEN)]), `user ${JSON.stringify(user)}`)
        }
        // The password holds the token after the first colon: a colon inside it belongs to it.
        await expectRefused(app, await postRaw(app, [basic('sbermarket', `:${TOKEN}`)]), 'a colon before the token')
      } finally {
        await app.close()
      }
    })
  })
})
