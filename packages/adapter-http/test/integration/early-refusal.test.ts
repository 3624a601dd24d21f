import { expect } from 'chai'
import { Agent, request } from 'node:http'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { startEdgeApp, type EdgeApp } from '../support/edge-app.js'
import { rawExchange } from '../support/raw-exchange.js'
import { TOKEN } from '../support/test-app.js'

/** What an attacker declares: far more than the body limit (1 MiB here). */
const DECLARED = 50 * 1024 * 1024
/**
 * The most the server may read of a refused request: what was already on its way when the answer went out (the
 * kernel's buffers on loopback), never the declared body. Before the fix it read all 50 MiB.
 */
const READ_BOUND = 8 * 1024 * 1024

const head = (method: string, path: string, headers: Readonly<Record<string, string>>): string =>
  [
    `${method} ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ].join('\r\n')

interface Case {
  readonly name: string
  readonly status: number
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  /** The listener asked: the hook's (default) or the internal one. */
  readonly internal?: boolean
}

const cases: readonly Case[] = [
  {
    name: 'a wrong token',
    status: 403,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', 'Client-Token': 'wrong-token-0000000000' },
  },
  {
    name: 'a wrong Bearer token',
    status: 403,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong-token-0000000000' },
  },
  {
    name: 'Basic credentials that are not base64',
    status: 403,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic u:${TOKEN}` },
  },
  {
    name: 'no token',
    status: 403,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json' },
  },
  {
    name: 'a declared length over the limit',
    status: 413,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', 'Client-Token': TOKEN },
  },
  {
    name: 'another content type',
    status: 415,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'text/plain', 'Client-Token': TOKEN },
  },
  {
    name: 'an unknown path',
    status: 404,
    method: 'POST',
    path: '/nowhere',
    headers: { 'Content-Type': 'application/json' },
  },
  {
    name: 'the admin API without its token',
    status: 401,
    method: 'GET',
    path: '/admin/orders/H1',
    headers: { 'Content-Type': 'application/json' },
    internal: true,
  },
  {
    name: 'the admin API on the hook listener',
    status: 404,
    method: 'GET',
    path: '/admin/orders/H1',
    headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' },
  },
  {
    name: 'an unknown path on the internal listener',
    status: 404,
    method: 'POST',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', 'Client-Token': TOKEN },
    internal: true,
  },
  {
    name: 'another method on the hook',
    status: 405,
    method: 'PUT',
    path: '/sbermarket/orders/hook/',
    headers: { 'Content-Type': 'application/json', 'Client-Token': TOKEN },
  },
]

describe('early refusals close the connection instead of reading the declared body ', function () {
  this.timeout(30_000)
  let app: EdgeApp
  beforeEach(async () => {
    app = await startEdgeApp()
  })
  afterEach(() => app.stop(1000))

  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} and Connection: close, and reads little of a 50 MiB body`, async () => {
      const started = performance.now()
      const res = await rawExchange({
        origin: c.internal === true ? app.internalOrigin : app.origin,
        head: head(c.method, c.path, { ...c.headers, 'Content-Length': String(DECLARED) }),
        bodyBytes: DECLARED,
      })
      const ms = Math.round(performance.now() - started)
      const bytesRead = app.sockets().at(-1)?.bytesRead ?? -1
      console.log(
        `      ${c.status} for ${c.name}: the server read ${bytesRead} bytes of a declared ${DECLARED}; the client got its ` +
          `${res.bodyBytesSent} bytes out; ${res.closedByServer ? 'closed by the server' : 'left open'} after ${ms} ms`,
      )
      expect(res.status).to.equal(c.status)
      expect(res.headers['connection']).to.equal('close')
      expect(res.closedByServer, 'the server closed the connection').to.equal(true)
      expect(bytesRead, 'bytes the server read').to.be.below(READ_BOUND)
    })
  }

  it('keeps the connection of an answer given after the whole body was read', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const post = (body: string): Promise<{ status: number; connection: string | undefined }> =>
        new Promise((resolve, reject) => {
          const req = request(app.hookUrl, {
            method: 'POST',
            agent,
            headers: {
              'Content-Type': 'application/json',
              'Client-Token': TOKEN,
              'Content-Length': Buffer.byteLength(body),
            },
          })
          req.on('error', reject)
          req.on('response', (r) => {
            r.resume()
            r.on('end', () => resolve({ status: r.statusCode ?? 0, connection: r.headers.connection }))
          })
          req.end(body)
        })
      const created = await post(orderCreatedBody({ originalOrderId: uniqueOrderId('HE') }).body)
      const malformed = await post('{"event_type":')
      expect([created.status, created.connection]).to.deep.equal([200, 'keep-alive'])
      expect([malformed.status, malformed.connection]).to.deep.equal([400, 'keep-alive'])
      expect(app.sockets(), 'both requests on one connection').to.have.length(1)
    } finally {
      agent.destroy()
    }
  })
})
