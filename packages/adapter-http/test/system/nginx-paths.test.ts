import { expect } from 'chai'
import { fixtureBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook } from '../support/http-client.js'
import { rawRoundTrip } from '../support/raw-exchange.js'
import { fetchOrder } from './support/admin-client.js'
import { eventually } from './support/eventually.js'
import { useHookPool } from './support/hook-pool.js'

/**
 * Spellings nginx normalises (percent-decoding, `//`, `.` and `..`) into the hook's path, so that they match its
 * location. The instance must get the hook's own path for each, never the spelling sent.
 */
const INTO_THE_HOOK = [
  '//sbermarket/orders/hook/',
  '/sbermarket/./orders/hook/',
  '/%73bermarket/orders/hook/',
  '/x/../sbermarket/orders/hook/',
  '/admin/orders/..%2F..%2Fsbermarket%2Forders%2Fhook%2F',
  '/admin/orders/{id}/..%2F..%2F..%2Fsbermarket/orders/hook',
]

/** Spellings that name the admin API, the metrics, the health checks or the console: none gets past nginx. */
const NOT_PROXIED = [
  '/admin/orders/{id}',
  '/Admin/orders/{id}',
  '/%61dmin/orders/{id}',
  '//admin/orders/{id}/events',
  '/sbermarket/orders/hook/../../../admin/orders/{id}',
  '/metrics',
  '/readyz',
  '/healthz',
  '/console/',
  '/%63onsole/',
  '/SBERMARKET/orders/hook/',
]

describe('nginx passes only the hook, under its own path (system)', function () {
  this.timeout(60_000)
  const system = useHookPool(1)

  it("sends every spelling that matches the hook's location to the hook's own path, and nothing else to an instance", async () => {
    const { nginx, pool, token, adminToken } = system()
    const key = uniqueOrderId('HN')
    expect(
      (await postHook(nginx.hookUrl, token, fixtureBody('order-created', { originalOrderId: key }))).status,
    ).to.equal(200)
    const origin = pool.instances[0]?.internalOrigin ?? ''
    expect(await fetchOrder(origin, adminToken, key)).to.include({ originalOrderId: key })

    const viaNginx = (method: string, target: string, headers: readonly string[] = [], body = '') =>
      rawRoundTrip(
        nginx.origin,
        [`${method} ${target.replaceAll('{id}', key)} HTTP/1.1`, 'Host: localhost', ...headers].join('\r\n'),
        body,
      )
    const rows: string[] = []
    for (const target of INTO_THE_HOOK) {
      // With the admin token, as an insider would try: what answers is the hook (405 for GET, Allow: POST).
      const got = await viaNginx('GET', target, [`Authorization: Bearer ${adminToken}`])
      rows.push(`GET ${target} -> ${got.status}`)
      expect([got.status, got.headers['allow']], `GET ${target}`).to.deep.equal([405, 'POST'])
      expect(got.body).to.not.include(key)
      const body = fixtureBody('order-created', { originalOrderId: uniqueOrderId('HN') })
      const posted = await viaNginx(
        'POST',
        target,
        ['Content-Type: application/json', `Client-Token: ${token}`, `Content-Length: ${Buffer.byteLength(body)}`],
        body,
      )
      rows.push(`POST ${target} -> ${posted.status}`)
      expect(posted.status, `POST ${target} with the token`).to.equal(200)
    }
    for (const target of NOT_PROXIED) {
      const got = await viaNginx('GET', target, [`Authorization: Bearer ${adminToken}`])
      rows.push(`GET ${target} -> ${got.status}`)
      expect(got.status, `GET ${target}`).to.equal(404)
      expect(got.body).to.not.include(key)
    }
    // A request's log line reaches stdout up to 20 ms after its answer (observability/tick-batched-stream.ts).
    const sentToHook = 1 + 2 * INTO_THE_HOOK.length
    const lines = await eventually(
      () => pool.instances[0]?.hookRequests() ?? [],
      (seen) => seen.length >= sentToHook,
    )
    const paths = lines.map((line) => line.path)
    expect([...new Set(paths)].sort(), 'paths the instance was sent').to.deep.equal([
      '/sbermarket/orders/hook',
      '/sbermarket/orders/hook/',
    ])
    // And on the instance's hook port itself (reachable wherever HOST is bound), past nginx: 404 too.
    for (const target of NOT_PROXIED) {
      const direct = await rawRoundTrip(
        pool.instances[0]?.origin ?? '',
        [
          `GET ${target.replaceAll('{id}', key)} HTTP/1.1`,
          'Host: localhost',
          `Authorization: Bearer ${adminToken}`,
        ].join('\r\n'),
      )
      rows.push(`GET ${target} on the hook port -> ${direct.status}`)
      expect(direct.status, `GET ${target} on the instance's hook port`).to.equal(404)
      expect(direct.body).to.not.include(key)
    }
    console.log(`      nginx paths: ${rows.length} spellings; ${rows.join('; ')}`)
  })

  it('passes the token in every form SberMarket may send it (Client-Token, Bearer, Basic) through to the hook', async () => {
    const { nginx, pool, token } = system()
    const basic = Buffer.from(`sbermarket:${token}`).toString('base64')
    const forms: readonly (readonly [string, string, number])[] = [
      ['Client-Token', `Client-Token: ${token}`, 200],
      ['Bearer', `Authorization: Bearer ${token}`, 200],
      ['Basic', `Authorization: Basic ${basic}`, 200],
      ['a wrong Bearer', 'Authorization: Bearer wrong-token-0123456789', 403],
    ]
    for (const [label, header, status] of forms) {
      const key = uniqueOrderId('HN')
      const body = fixtureBody('order-created', { originalOrderId: key })
      const head = [
        'POST /sbermarket/orders/hook/ HTTP/1.1',
        'Host: localhost',
        'Content-Type: application/json',
        header,
        `Content-Length: ${Buffer.byteLength(body)}`,
      ]
      const got = await rawRoundTrip(nginx.origin, head.join('\r\n'), body)
      expect(got.status, `${label} via nginx`).to.equal(status)
    }
    // The instance writes its request line to a pipe, which may be read a moment after the answer.
    const refusedThere = await eventually(
      () => (pool.instances[0]?.hookRequests() ?? []).filter((line) => line.status === 403),
      (lines) => lines.length >= 1,
    )
    expect(refusedThere, 'the wrong token reached the instance and was refused there').to.have.length(1)
  })
})
