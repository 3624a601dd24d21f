import { expect } from 'chai'
import { Agent, request } from 'node:http'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { startEdgeApp, type EdgeApp } from '../support/edge-app.js'
import { TOKEN } from '../support/test-app.js'

interface Answer {
  readonly status: number
  readonly connection: string | undefined
  readonly body: string
}

/** One request on `agent` (keep-alive: it reuses an idle connection when it has one). */
const call = (agent: Agent, url: string, method = 'GET', body?: string): Promise<Answer> =>
  new Promise((resolve, reject) => {
    const headers =
      body === undefined
        ? {}
        : {
            'Content-Type': 'application/json',
            'Client-Token': TOKEN,
            'Content-Length': String(Buffer.byteLength(body)),
          }
    const req = request(url, { method, agent, headers })
    req.on('error', reject)
    req.on('response', (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString('utf8')))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }))
    })
    req.end(body)
  })

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('graceful stop of one instance', function () {
  this.timeout(20_000)
  let app: EdgeApp
  let agent: Agent
  beforeEach(async () => {
    app = await startEdgeApp({ faults: { createOrGet: { delayMs: 300 } } })
    agent = new Agent({ keepAlive: true, maxSockets: 4 })
  })
  afterEach(async () => {
    agent.destroy()
    await app.stop(1000)
  })

  it('serves a request sent on an idle keep-alive connection after the stop began, with Connection: close; /readyz fails at once', async () => {
    // GET on the hook's path (405) is the cheapest request the hook's listener answers.
    const first = await call(agent, app.hookUrl)
    expect([first.status, first.connection]).to.deep.equal([405, 'keep-alive'])
    const stopped = app.stop(5000)
    // The internal listener closes after the hook's has drained (the idle connection below holds that up).
    const ready = await call(new Agent(), `${app.internalOrigin}/readyz`)
    expect(ready.status).to.equal(503)
    expect(JSON.parse(ready.body)).to.deep.equal({ status: 'shutting_down' })
    // The client reuses its idle connection, as nginx does: the request must be answered, not cut.
    const again = await call(agent, app.hookUrl)
    expect([again.status, again.connection]).to.deep.equal([405, 'close'])
    await stopped
  })

  it('finishes a request in flight, answering it with Connection: close, and refuses new connections', async () => {
    const inFlight = call(agent, app.hookUrl, 'POST', orderCreatedBody({ originalOrderId: uniqueOrderId('HG') }).body)
    await sleep(50)
    const stopped = app.stop(5000)
    await sleep(10)
    const refused = await call(new Agent(), app.hookUrl).then(
      () => 'answered',
      (error: NodeJS.ErrnoException) => error.code,
    )
    expect(refused, 'a new connection').to.equal('ECONNREFUSED')
    const answer = await inFlight
    expect([answer.status, answer.connection]).to.deep.equal([200, 'close'])
    const started = performance.now()
    await stopped
    expect(performance.now() - started, 'ms from the last answer to the end of the stop').to.be.below(500)
  })

  it('cuts no request of a client that keeps its keep-alive connections busy: each ends after one more answer', async () => {
    const outcomes: string[] = []
    let sending = true
    const client = async (): Promise<void> => {
      while (sending) {
        const outcome = await call(agent, app.hookUrl).then(
          (a) => `${a.status}`,
          (error: NodeJS.ErrnoException) => error.code ?? String(error),
        )
        outcomes.push(outcome)
        if (outcome === 'ECONNREFUSED') return
      }
    }
    const clients = Array.from({ length: 4 }, client)
    await sleep(100)
    const started = performance.now()
    await app.stop(5000)
    const stopMs = performance.now() - started
    sending = false
    await Promise.all(clients)
    const counts: Record<string, number> = {}
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1
    console.log(
      `      ${outcomes.length} requests by 4 busy keep-alive clients: ${JSON.stringify(counts)}; stop took ${Math.round(stopMs)} ms`,
    )
    expect(Object.keys(counts).sort(), 'only answers and refused new connections, no reset').to.deep.equal([
      '405',
      'ECONNREFUSED',
    ])
    expect(stopMs, 'the stop does not wait for the grace period').to.be.below(1000)
  })

  it('closes a connection left idle by its client at the end of the grace period, at the latest', async () => {
    await call(agent, app.hookUrl)
    const started = performance.now()
    await app.stop(300)
    const ms = performance.now() - started
    expect(ms).to.be.within(250, 1000)
    expect(app.sockets().every((socket) => socket.destroyed)).to.equal(true)
  })
})
