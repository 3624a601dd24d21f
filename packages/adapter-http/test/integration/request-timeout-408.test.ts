import { expect } from 'chai'
import { connect } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { parseAppConfig, startService, type RunningService } from '@domino-sm/adapter-http'
import { send } from '../support/http-client.js'
import { ADMIN, LogCapture, TOKEN } from '../support/test-app.js'

/** The shortest REQUEST_TIMEOUT_MS the config takes; the test's sender stalls past it. */
const REQUEST_TIMEOUT_MS = 1000
/** Shorter than the request timeout: a journal write after it is "late", which used to turn the 408 into a 503. */
const DEADLINE_MS = 300

/** What a stalled sender saw: the bytes the server sent before it closed the connection, and whether it did. */
interface Stalled {
  readonly received: string
  readonly closedByServer: boolean
}

/**
 * A slow sender: the request line, the headers and part of the body, then nothing more. Resolves when the server
 * closes the connection (or after `giveUpMs`, the test's own guard: not an assertion on time).
 */
const stallAfterPartOfBody = (
  origin: string,
  headers: readonly string[],
  body: string,
  giveUpMs = 15_000,
): Promise<Stalled> =>
  new Promise((resolve) => {
    const url = new URL(origin)
    const socket = connect(Number(url.port), url.hostname)
    let received = ''
    let closedByServer = false
    const done = (): void => {
      clearTimeout(guard)
      socket.destroy()
      resolve({ received, closedByServer })
    }
    const guard = setTimeout(done, giveUpMs)
    socket.on('connect', () => {
      const head = [
        'POST /sbermarket/orders/hook/ HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...headers,
      ]
      socket.write(`${head.join('\r\n')}\r\n\r\n${body.slice(0, Math.floor(body.length / 2))}`)
    })
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
    })
    socket.on('end', () => {
      closedByServer = true
      done()
    })
    socket.on('error', () => {
      closedByServer = true
      done()
    })
  })

const eventually = async <A>(read: () => Promise<A>, ok: (a: A) => boolean): Promise<A> => {
  let value = await read()
  for (let i = 0; i < 100 && !ok(value); i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    value = await read()
  }
  return value
}

/** A line of the Prometheus exposition: the value of `name{labels}` (labels as printed), 0 when absent. */
const sampleOf = (exposition: string, series: string): number => {
  const line = exposition.split('\n').find((l) => l.startsWith(`${series} `))
  return line === undefined ? 0 : Number(line.slice(series.length + 1))
}

describe('a sender cut off by the server at REQUEST_TIMEOUT_MS (real socket, the service as started)', function () {
  this.timeout(60_000)
  let service: RunningService
  /** The hook's listener (where a sender stalls), and the internal one (the journal, the metrics). */
  let hookOrigin: string
  const logs = new LogCapture()
  before(async () => {
    const config = parseAppConfig({
      STORE: 'memory',
      PORT: '0',
      INTERNAL_PORT: '0',
      SBERMARKET_HOOK_TOKENS: TOKEN,
      ADMIN_TOKEN: ADMIN,
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HOOK_DEADLINE_MS: String(DEADLINE_MS),
      RETENTION_INTERVAL_MINUTES: '0',
    })
    if (E.isLeft(config)) throw new Error(config.left.join('; '))
    service = await startService(config.right, { logDestination: logs })
    hookOrigin = (await service.hook).origin
  })
  after(() => service.stop())

  const journalOf408 = async (): Promise<
    readonly { readonly httpStatus: number; readonly outcome: string; readonly detail: string | null }[]
  > => {
    const res = await send(`${service.internalOrigin}/admin/journal?outcome=rejected`, {
      method: 'GET',
      headers: { Authorization: `Bearer ${ADMIN}` },
    })
    expect(res.status).to.equal(200)
    return (res.json as { entries: { httpStatus: number; outcome: string; detail: string | null }[] }).entries
  }

  it('is sent 408 by the server, and its journal entry, request log line and metrics all say 408, not 503', async () => {
    const body = orderCreatedBody({ originalOrderId: uniqueOrderId('HT') }).body
    const stalled = await stallAfterPartOfBody(hookOrigin, [`Authorization: Bearer ${TOKEN}`], body)
    expect(stalled.closedByServer, 'the server closed the connection').to.equal(true)
    expect(stalled.received, 'what the sender was sent').to.match(/^HTTP\/1\.1 408 Request Timeout\r\n/)

    const entries = await eventually(journalOf408, (e) => e.length > 0)
    expect(entries).to.have.length(1)
    expect(entries[0]).to.deep.include({ httpStatus: 408, outcome: 'rejected' })
    expect(entries[0]?.detail).to.match(/REQUEST_TIMEOUT_MS: answered 408/)

    const lines = logs.requests()
    expect(lines.map((l) => l['status'])).to.include(408)
    expect(lines.map((l) => l['status'])).to.not.include(503)

    const metrics = (await send(`${service.internalOrigin}/metrics`, { method: 'GET' })).text
    expect(
      sampleOf(metrics, 'sbermarket_hook_requests_total{event_type="none",outcome="rejected",status="408"}'),
    ).to.equal(1)
    expect(metrics).to.not.match(/sbermarket_hook_requests_total\{[^}]*status="503"\}/)
  })

  it('journals nothing for a sender without a valid token that stalls the same way (403 before the body)', async () => {
    const before = (await journalOf408()).length
    const body = orderCreatedBody({ originalOrderId: uniqueOrderId('HT') }).body
    const stalled = await stallAfterPartOfBody(hookOrigin, ['Authorization: Bearer wrong-token-0123456789'], body)
    expect(stalled.received).to.match(/^HTTP\/1\.1 403 /)
    expect((await journalOf408()).length).to.equal(before)
  })

  it('sends 408 to a sender whose headers never end, before the app sees it: nothing to journal', async () => {
    const before = (await journalOf408()).length
    const stalled = await new Promise<Stalled>((resolve) => {
      const url = new URL(hookOrigin)
      const socket = connect(Number(url.port), url.hostname)
      let received = ''
      const guard = setTimeout(() => {
        socket.destroy()
        resolve({ received, closedByServer: false })
      }, 15_000)
      socket.on('connect', () =>
        socket.write(`POST /sbermarket/orders/hook/ HTTP/1.1\r\nHost: 127.0.0.1\r\nClient-Token: ${TOKEN}\r\n`),
      )
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1')
      })
      socket.on('close', () => {
        clearTimeout(guard)
        resolve({ received, closedByServer: true })
      })
      socket.on('error', () => undefined)
    })
    expect(stalled.closedByServer).to.equal(true)
    expect(stalled.received).to.match(/^HTTP\/1\.1 408 /)
    expect((await journalOf408()).length).to.equal(before)
  })
})
