import { expect } from 'chai'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dayAuthForm, HookClient, MAX_ATTEMPTS, RETRY_INTERVALS_MS, scaledTiming } from '@domino-sm/testkit/emulator'

/** What the tiny server saw of one request. */
interface Seen {
  readonly at: number
  readonly method: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** A local server whose answer to the n-th request (1-based) the test decides; `undefined` means never answer. */
const failingServer = async (
  answer: (n: number) => number | undefined,
): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> => {
  const seen: Seen[] = []
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        at: performance.now(),
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const status = answer(seen.length)
      if (status === undefined) return
      res.statusCode = status
      res.end(status === 200 ? '{"status":"created","number":"7"}' : '')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/sbermarket/orders/hook/`,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const created = {
  eventType: 'order.created',
  originalOrderId: 'H1',
  body: '{"event_type":"order.created","payload":{"originalOrderId":"H1"}}',
}
const paid = {
  eventType: 'order.paid',
  originalOrderId: 'H1',
  body: '{"event_type":"order.paid","payload":{"originalOrderId":"H1"}}',
}

describe('emulator: SberMarket timing', () => {
  it('has 8 attempts: the first and 7 retries after growing pauses', () => {
    expect(MAX_ATTEMPTS).to.equal(8)
    expect(RETRY_INTERVALS_MS).to.have.length(7)
    RETRY_INTERVALS_MS.slice(1).forEach((ms, i) => expect(ms).to.be.above(RETRY_INTERVALS_MS[i] ?? Infinity))
  })

  it('scales the 5 s timeout and every pause by the time scale', () => {
    const timing = scaledTiming(0.01)
    expect(timing.timeoutMs).to.equal(50)
    expect(timing.retryIntervalsMs).to.deep.equal(RETRY_INTERVALS_MS.map((ms) => Math.round(ms / 100)))
    expect(scaledTiming().timeoutMs).to.equal(5000)
  })

  it('refuses a time scale that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Infinity]) expect(() => scaledTiming(bad)).to.throw(RangeError)
  })
})

describe('emulator: HookClient against a server that fails on purpose', () => {
  const scale = 0.01

  it('posts with Client-Token and Content-Type application/json, the body as given', async () => {
    const server = await failingServer(() => 200)
    const client = new HookClient({ url: server.url, token: 'secret-token-0123456789', timeScale: scale })
    try {
      const result = await client.deliver(created)
      expect(result.delivered).to.equal(true)
      expect(result.answer).to.deep.equal({ status: 200, body: '{"status":"created","number":"7"}' })
      const [request] = server.seen
      expect(request?.method).to.equal('POST')
      expect(request?.headers['client-token']).to.equal('secret-token-0123456789')
      expect(request?.headers['content-type']).to.equal('application/json')
      expect(request?.body).to.equal(created.body)
    } finally {
      client.close()
      await server.close()
    }
  })

  it("sends the token as Authorization: Bearer or as Basic's password instead of Client-Token when told", async () => {
    const server = await failingServer(() => 200)
    const bearer = new HookClient({
      url: server.url,
      token: 'secret-token-0123456789',
      timeScale: scale,
      authForm: 'bearer',
    })
    const basic = new HookClient({
      url: server.url,
      token: 'secret-token-0123456789',
      timeScale: scale,
      authForm: 'basic',
    })
    const partner = new HookClient({
      url: server.url,
      token: 'secret-token-0123456789',
      timeScale: scale,
      authForm: 'basic',
      basicUser: 'partner',
    })
    try {
      for (const client of [bearer, basic, partner]) expect((await client.deliver(created)).delivered).to.equal(true)
      const [first, second, third] = server.seen
      expect(first?.headers['authorization']).to.equal('Bearer secret-token-0123456789')
      expect(second?.headers['authorization']).to.equal(
        `Basic ${Buffer.from('sbermarket:secret-token-0123456789').toString('base64')}`,
      )
      expect(third?.headers['authorization']).to.equal(
        `Basic ${Buffer.from('partner:secret-token-0123456789').toString('base64')}`,
      )
      for (const request of server.seen) expect(request.headers['client-token']).to.equal(undefined)
    } finally {
      for (const client of [bearer, basic, partner]) client.close()
      await server.close()
    }
  })

  it('picks the form of a day from its seed: the same seed the same form, and every form on some day', () => {
    const forms = Array.from({ length: 30 }, (_, i) => dayAuthForm('by-seed', i + 1))
    expect(new Set(forms)).to.deep.equal(new Set(['client-token', 'bearer', 'basic']))
    expect(Array.from({ length: 30 }, (_, i) => dayAuthForm('by-seed', i + 1))).to.deep.equal(forms)
    expect(dayAuthForm('bearer', 7)).to.equal('bearer')
  })

  it('retries a 5xx and a 4xx after the scheduled, growing pauses until an attempt succeeds', async () => {
    const server = await failingServer((n) => (n === 1 ? 503 : n === 2 ? 400 : n === 3 ? 500 : 200))
    const client = new HookClient({ url: server.url, token: 't', timeScale: scale })
    try {
      const result = await client.deliver(paid)
      expect(result.delivered).to.equal(true)
      expect(result.attempts.map((a) => (a._tag === 'Answered' ? a.status : a._tag))).to.deep.equal([
        503, 400, 500, 200,
      ])
      const gaps = server.seen.slice(1).map((s, i) => s.at - (server.seen[i]?.at ?? 0))
      const pauses = client.timing.retryIntervalsMs
      // Each gap holds its scheduled pause (lower bounds only: an upper bound would be a time limit on a shared machine,
      // which failed at a load average of 26 with 110 ms for a 20 ms pause).
      gaps.forEach((gap, i) => expect(gap).to.be.at.least((pauses[i] ?? 0) - 2))
    } finally {
      client.close()
      await server.close()
    }
  })

  it('gives up after 8 attempts; an order.created that never got through is cancelled by the marketplace', async () => {
    const server = await failingServer(() => 503)
    const client = new HookClient({ url: server.url, token: 't', timeScale: 0.002 })
    try {
      const create = await client.deliver(created)
      expect(create.attempts).to.have.length(8)
      expect(server.seen).to.have.length(8)
      expect(create.delivered).to.equal(false)
      expect(create.cancelledByMarketplace).to.equal(true)
      const status = await client.deliver(paid)
      expect(status.delivered).to.equal(false)
      expect(status.cancelledByMarketplace).to.equal(false)
    } finally {
      client.close()
      await server.close()
    }
  })

  it('stops waiting at the scaled timeout and retries a server that does not answer', async () => {
    const server = await failingServer((n) => (n <= 2 ? undefined : 200))
    const client = new HookClient({ url: server.url, token: 't', timeScale: scale })
    try {
      const result = await client.deliver(created)
      expect(result.attempts.map((a) => a._tag)).to.deep.equal(['TimedOut', 'TimedOut', 'Answered'])
      for (const attempt of result.attempts.slice(0, 2)) {
        expect(attempt.elapsedMs).to.be.at.least(client.timing.timeoutMs - 1)
        expect(attempt.elapsedMs).to.be.below(client.timing.timeoutMs + 250)
      }
      expect(result.delivered).to.equal(true)
    } finally {
      client.close()
      await server.close()
    }
  })

  it('uses an explicit timing instead of the scaled one: its timeout, and its pauses in order', async () => {
    const timing = { timeoutMs: 30, retryIntervalsMs: [5, 60, 0] }
    // Never answers the first request, then fails twice, then succeeds on the last allowed attempt.
    const server = await failingServer((n) => (n === 1 ? undefined : n <= 3 ? 503 : 200))
    const client = new HookClient({ url: server.url, token: 't', timeScale: 1, timing })
    try {
      expect(client.timing).to.deep.equal(timing)
      const result = await client.deliver(created)
      expect(result.attempts.map((a) => (a._tag === 'Answered' ? a.status : a._tag))).to.deep.equal([
        'TimedOut',
        503,
        503,
        200,
      ])
      expect(result.delivered).to.equal(true)
      const [first] = result.attempts
      // It waited out its timeout (the tag says it gave up then); no upper bound: a loaded machine stretches it.
      expect(first?.elapsedMs).to.be.at.least(timing.timeoutMs - 1)
      // seen[0] is the unanswered request, which arrived at once; each later gap holds the attempt before it
      // (the 30 ms timeout for the first, near nothing for the 503s) plus the pause.
      const gaps = server.seen.slice(1).map((s, i) => s.at - (server.seen[i]?.at ?? 0))
      expect(gaps).to.have.length(3)
      expect(gaps[0]).to.be.at.least(timing.timeoutMs + 5 - 2)
      expect(gaps[1]).to.be.at.least(60 - 2)
      // The pause of 0 after the pause of 60: the third gap is the shortest of the two (order, not a time limit).
      expect(gaps[2]).to.be.below(gaps[1] ?? 0)
    } finally {
      client.close()
      await server.close()
    }
  })

  it('makes exactly 1 + the explicit pauses attempts when every attempt fails', async () => {
    const server = await failingServer(() => 500)
    const client = new HookClient({ url: server.url, token: 't', timing: { timeoutMs: 200, retryIntervalsMs: [1, 1] } })
    try {
      const result = await client.deliver(created)
      expect(result.attempts).to.have.length(3)
      expect(server.seen).to.have.length(3)
      expect(result.delivered).to.equal(false)
      expect(result.cancelledByMarketplace).to.equal(true)
    } finally {
      client.close()
      await server.close()
    }
  })

  it('refuses an explicit timing with a timeout that is not positive or a pause that is negative', () => {
    const url = 'http://127.0.0.1:9/sbermarket/orders/hook/'
    for (const timeoutMs of [0, -5, Number.NaN, Infinity]) {
      expect(
        () => new HookClient({ url, token: 't', timing: { timeoutMs, retryIntervalsMs: [] } }),
        `timeout ${timeoutMs}`,
      ).to.throw(RangeError)
    }
    for (const pause of [-1, Number.NaN, Infinity]) {
      expect(
        () => new HookClient({ url, token: 't', timing: { timeoutMs: 100, retryIntervalsMs: [10, pause] } }),
        `pause ${pause}`,
      ).to.throw(RangeError, /retryIntervalsMs\[1\]/)
    }
    const fine = new HookClient({ url, token: 't', timing: { timeoutMs: 1, retryIntervalsMs: [0, 0] } })
    expect(fine.timing).to.deep.equal({ timeoutMs: 1, retryIntervalsMs: [0, 0] })
    fine.close()
  })

  it('retries when the connection is refused', async () => {
    const server = await failingServer(() => 200)
    const url = server.url
    await server.close()
    // SberMarket's 8 attempts with 1 ms pauses and a timeout that a refused connection never reaches: a scaled
    // timing (timeScale 0.002 makes it 10 ms) turned attempts into timeouts when the machine was loaded.
    const client = new HookClient({
      url,
      token: 't',
      timing: { timeoutMs: 5000, retryIntervalsMs: RETRY_INTERVALS_MS.map(() => 1) },
    })
    try {
      const result = await client.deliver(paid)
      expect(result.attempts).to.have.length(8)
      expect(result.attempts.every((a) => a._tag === 'ConnectionError')).to.equal(true)
      expect(result.attempts[0]).to.include({ code: 'ECONNREFUSED' })
    } finally {
      client.close()
    }
  })
})
