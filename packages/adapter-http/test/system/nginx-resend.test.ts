import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { send, type TestResponse } from '../support/http-client.js'
import { nginxMissingReason, startNginx, type RunningNginx } from './support/nginx-process.js'

/**
 * What nginx does with a POST whose instance fails it (deploy/nginx/hook.conf.template, `proxy_next_upstream`), with
 * scripted instances on loopback in place of the service, so that each failure happens exactly when the case says:
 * - reset at once after the request arrived (what a stopping instance's closing listener does to a connection the
 *   kernel completed and the process never took, and what a crash does): nginx sends the POST to another instance;
 * - reset later than `proxy_next_upstream_timeout` after the request arrived: the client gets 502, no second copy;
 * - an answer of 503 (the store too slow): it goes back to the client, no second copy.
 */

/** One upstream of the test, its origin, and the request bodies that reached it. */
interface Upstream {
  readonly origin: string
  readonly bodies: string[]
  readonly close: () => Promise<void>
}

const listening = async (server: NetServer | HttpServer): Promise<string> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (address === null || typeof address === 'string') reject(new Error('no port'))
      else resolve(`http://127.0.0.1:${address.port}`)
    })
  })

const closing = (server: NetServer | HttpServer, sockets: Set<Socket>) => (): Promise<void> =>
  new Promise((resolve) => {
    for (const socket of sockets) socket.destroy()
    server.close(() => resolve())
  })

/**
 * An instance that reads a request's head and body and then, after `afterMs`, resets the connection (RST, no
 * answer): what nginx sees of a connection that a closing listener or a killed process drops.
 */
const resetting = async (afterMs: number): Promise<Upstream> => {
  const bodies: string[] = []
  const sockets = new Set<Socket>()
  const server = createNetServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let received = ''
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8')
      const head = received.indexOf('\r\n\r\n')
      const length = Number(/content-length: *(\d+)/i.exec(received)?.[1] ?? Number.NaN)
      if (head < 0 || received.length < head + 4 + length) return
      bodies.push(received.slice(head + 4, head + 4 + length))
      received = ''
      if (afterMs === 0) socket.resetAndDestroy()
      else setTimeout(() => socket.resetAndDestroy(), afterMs)
    })
  })
  return { origin: await listening(server), bodies, close: closing(server, sockets) }
}

/** An instance that reads a request and answers it with `status` and the body it received. */
const answering = async (status: number): Promise<Upstream> => {
  const bodies: string[] = []
  const sockets = new Set<Socket>()
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      bodies.push(body)
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ echo: body }))
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return { origin: await listening(server), bodies, close: closing(server, sockets) }
}

describe('nginx sends a POST to another instance only when the first failed it at once (system)', function () {
  this.timeout(60_000)
  let dir = ''
  const started: { nginx?: RunningNginx; upstreams: Upstream[] }[] = []

  before(function () {
    const missing = nginxMissingReason()
    if (missing !== undefined) {
      console.log(`      ${missing}`)
      this.skip()
    }
  })
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nginx-resend-'))
  })
  afterEach(async () => {
    for (const run of started.splice(0)) {
      await run.nginx?.stop()
      for (const upstream of run.upstreams) await upstream.close()
    }
    await rm(dir, { recursive: true, force: true })
  })

  /** nginx from the repository's template in front of `first` and `second`, in that order. */
  const pool = async (first: Upstream, second: Upstream): Promise<RunningNginx> => {
    const run: { nginx?: RunningNginx; upstreams: Upstream[] } = { upstreams: [first, second] }
    started.push(run)
    run.nginx = await startNginx(dir, [first.origin, second.origin])
    return run.nginx
  }

  /** Posts `count` distinct bodies one after another, as SberMarket's deliveries of distinct events. */
  const postMany = async (nginx: RunningNginx, count: number): Promise<{ body: string; got: TestResponse }[]> => {
    const out: { body: string; got: TestResponse }[] = []
    for (let i = 0; i < count; i += 1) {
      const body = JSON.stringify({ event_type: 'order.paid', payload: { originalOrderId: `H-resend-${i}` } })
      out.push({
        body,
        got: await send(nginx.hookUrl, { body, headers: { 'Content-Type': 'application/json' } }),
      })
    }
    return out
  }

  it('passes a POST reset at once to the next instance: every request answered 200 by it, each body there once', async () => {
    const resetter = await resetting(0)
    const answerer = await answering(200)
    const nginx = await pool(resetter, answerer)
    const sent = await postMany(nginx, 6)
    const errors = await nginx.errorLog()
    console.log(
      `      resend: ${sent.length} POSTs; the resetting instance got ${resetter.bodies.length}, the other ${answerer.bodies.length}; ` +
        `nginx error log: ${errors.split('Connection reset by peer').length - 1} x "Connection reset by peer"`,
    )
    expect(
      sent.map((s) => s.got.status),
      'answers the client got',
    ).to.deep.equal(sent.map(() => 200))
    expect(resetter.bodies.length, 'POSTs the resetting instance received (round robin starts with it)').to.be.at.least(
      1,
    )
    expect(answerer.bodies, 'what the answering instance received: each body once, in order').to.deep.equal(
      sent.map((s) => s.body),
    )
    for (const body of resetter.bodies) expect(sent.map((s) => s.body)).to.include(body)
    expect(errors, 'nginx logged the reset it recovered from').to.include('Connection reset by peer')
  })

  /**
   * Posts two bodies (round robin gives one to each instance) and answers what the client got for the one that
   * reached `failing`, and whether a copy of it reached `other`.
   */
  const theFailedOne = async (failing: Upstream, other: Upstream, nginx: RunningNginx) => {
    const sent = await postMany(nginx, 2)
    expect(failing.bodies.length, 'POSTs that reached the failing instance').to.equal(1)
    const failed = sent.find((s) => s.body === failing.bodies[0])
    return { status: failed?.got.status, copied: other.bodies.filter((body) => body === failed?.body).length }
  }

  it('answers 502 for a POST reset after the resend window (proxy_next_upstream_timeout), and sends no second copy', async () => {
    const resetter = await resetting(900)
    const answerer = await answering(200)
    const nginx = await pool(resetter, answerer)
    const { status, copied } = await theFailedOne(resetter, answerer, nginx)
    expect(status, 'answer to a POST its instance dropped late').to.equal(502)
    expect(copied, 'second copies sent to the other instance').to.equal(0)
  })

  it("returns an instance's 503 to the client, and sends no second copy", async () => {
    const busy = await answering(503)
    const answerer = await answering(200)
    const nginx = await pool(busy, answerer)
    const { status, copied } = await theFailedOne(busy, answerer, nginx)
    expect(status).to.equal(503)
    expect(copied, 'second copies sent to the other instance').to.equal(0)
  })
})
