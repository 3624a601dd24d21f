import { expect } from 'chai'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { parseAppConfig, startService, type AppConfig } from '@domino-sm/adapter-http'
import { postHook, send } from '../support/http-client.js'
import { LogCapture, startTestApp, TOKEN } from '../support/test-app.js'
import { runCli, startServe } from '../support/spawn-cli.js'
import { connectionRefused } from '../support/tcp-gate.js'
import { freeLoopbackPort } from '../system/support/free-port.js'
import { createServer } from 'node:net'

const configFor = (env: Record<string, string>): AppConfig => {
  const parsed = parseAppConfig({ PORT: '0', INTERNAL_PORT: '0', LOG_LEVEL: 'silent', ...env })
  if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
  return parsed.right
}

describe('service lifecycle (composition root and command line)', () => {
  let dataDir: string
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hook-lifecycle-'))
  })
  afterEach(() => rm(dataDir, { recursive: true, force: true }))

  it('generates a token when none is configured, keeps it 0600 in DATA_DIR, and reuses it after a restart', async () => {
    const first = await startService(configFor({ STORE: 'memory', DATA_DIR: dataDir }), {
      logDestination: new LogCapture(),
    })
    await first.stop()
    const second = await startService(configFor({ STORE: 'memory', DATA_DIR: dataDir }), {
      logDestination: new LogCapture(),
    })
    await second.stop()
    if (first.token.source !== 'file' || second.token.source !== 'file')
      throw new Error('expected a token from the file')
    expect(first.token.generated).to.equal(true)
    expect(first.token.token).to.have.length(43)
    expect(second.token.generated).to.equal(false)
    expect(second.token.token).to.equal(first.token.token)
    expect((await stat(first.token.path)).mode & 0o777).to.equal(0o600)
  })

  it('serves the hook through the container with the configured tokens', async () => {
    const service = await startService(
      configFor({ STORE: 'memory', DATA_DIR: dataDir, SBERMARKET_HOOK_TOKENS: `${TOKEN},second-token-0123456789` }),
      { logDestination: new LogCapture() },
    )
    try {
      const res = await postHook(
        (await service.hook).hookUrl,
        'second-token-0123456789',
        orderCreatedBody({ originalOrderId: uniqueOrderId('HS') }).body,
      )
      expect(res.status).to.equal(200)
      expect(res.json).to.deep.include({ status: 'created' })
      expect(service.token.source).to.equal('config')
    } finally {
      await service.stop()
    }
  })

  it('opens only the internal listener while its store waits for the database; a stop then settles `hook` as not opened', async () => {
    const port = await freeLoopbackPort()
    const service = await startService(
      configFor({
        STORE: 'domino-db',
        DOMINO_DB_URL: 'Server=127.0.0.1,1;Database=D;User Id=u;Password=p;Connect Timeout=1',
        DATA_DIR: dataDir,
        PORT: String(port),
        SBERMARKET_HOOK_TOKENS: TOKEN,
      }),
      { logDestination: new LogCapture() },
    )
    const settled = service.hook.then(
      () => 'opened',
      (error: Error) => error.message,
    )
    try {
      expect((await send(`${service.internalOrigin}/readyz`, { method: 'GET' })).json).to.deep.equal({
        status: 'store_unavailable',
      })
      expect((await send(`${service.internalOrigin}/healthz`, { method: 'GET' })).status).to.equal(200)
      expect(await connectionRefused(port), 'the hook port while the store waits').to.equal(true)
    } finally {
      await service.stop()
    }
    expect(await settled).to.equal('the service stopped before its store was ready')
    expect(
      await connectionRefused(Number(new URL(service.internalOrigin).port)),
      'the internal port after the stop',
    ).to.equal(true)
  })

  it('fails the start when the hook port is taken, and leaves the internal listener closed', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const address = taken.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    const internalPort = await freeLoopbackPort()
    try {
      const failed = await startService(
        configFor({ STORE: 'memory', DATA_DIR: dataDir, PORT: String(port), INTERNAL_PORT: String(internalPort) }),
        { logDestination: new LogCapture() },
      ).then(
        async (service) => {
          await service.stop()
          return 'started'
        },
        (error: NodeJS.ErrnoException) => error.code,
      )
      expect(failed).to.equal('EADDRINUSE')
      expect(await connectionRefused(internalPort), 'the internal port after the failed start').to.equal(true)
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()))
    }
  })

  it('finishes a request in flight when it stops, and then accepts no more', async () => {
    const app = await startTestApp({ faults: { createOrGet: { delayMs: 300 } } })
    const inFlight = postHook(app.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HS') }).body)
    await new Promise((resolve) => setTimeout(resolve, 50))
    await app.close()
    expect((await inFlight).status).to.equal(200)
    let refused = false
    await send(app.hookUrl, { method: 'GET' }).catch(() => {
      refused = true
    })
    expect(refused).to.equal(true)
  })

  it('npm start path: `serve` prints its URL and token, answers, and exits 0 on SIGTERM', async () => {
    const serve = await startServe({ STORE: 'memory', DATA_DIR: dataDir, PORT: '0' })
    const { stderr } = serve.output()
    expect(stderr.split('\n')[0], 'the first line says where orders go').to.equal(
      'domino-sbermarket-hook store: memory (orders are lost when the process stops)',
    )
    const url = /POST (\S+)/.exec(stderr)?.[1]
    const token = /Client-Token: (\S+)/.exec(stderr)?.[1]
    expect(url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/sbermarket\/orders\/hook\/$/)
    const res = await postHook(url ?? '', token ?? '', orderCreatedBody({ originalOrderId: uniqueOrderId('HS') }).body)
    expect(res.status).to.equal(200)
    serve.child.kill('SIGTERM')
    expect(await serve.exited).to.equal(0)
    expect(serve.output().stdout).to.contain('"msg":"stopped"')
    expect(serve.output().stdout).to.not.contain(token)
  })

  it('`token generate` prints a fresh strong token each time', async () => {
    const [a, b] = await Promise.all([runCli(['token', 'generate']), runCli(['token', 'generate'])])
    expect(a.code).to.equal(0)
    expect(a.stdout.trim()).to.match(/^[A-Za-z0-9_-]{43}$/)
    expect(a.stdout).to.not.equal(b.stdout)
  })

  it('refuses to start on a bad configuration, naming every bad value, with exit code 2', async () => {
    const run = await runCli(['serve'], {
      PORT: 'eighty',
      HOOK_DEADLINE_MS: '6000',
      SBERMARKET_HOOK_TOKENS: 'short',
      STORE: 'redis',
    })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('PORT must be a whole number')
    expect(run.stderr).to.contain('HOOK_DEADLINE_MS must be a whole number from 50 to 4900')
    expect(run.stderr).to.contain('SBERMARKET_HOOK_TOKENS: every token must have at least 16 characters')
    expect(run.stderr).to.contain('STORE must be one of memory, sqlite, domino-db')
  })

  it('serve with OPERATOR_TOKENS from a systemd credential: the support console on the internal listener only, and says so', async () => {
    const operator = 'alice-token-0123456789abcdef'
    const credentials = join(dataDir, 'credentials')
    await mkdir(credentials, { mode: 0o700 })
    await writeFile(join(credentials, 'OPERATOR_TOKENS'), `alice:${operator}\n`, { mode: 0o600 })
    const serve = await startServe({
      STORE: 'memory',
      DATA_DIR: dataDir,
      PORT: '0',
      CREDENTIALS_DIRECTORY: credentials,
    })
    try {
      const { stderr } = serve.output()
      const internal = /^internal: (http:\/\/127\.0\.0\.1:\d+) \((.*)\)$/m.exec(stderr)
      expect(internal?.[2], stderr).to.equal('/healthz, /readyz, /metrics, /console/')
      const hook = new URL(/POST (\S+)/.exec(stderr)?.[1] ?? '').origin
      const bearer = { Authorization: `Bearer ${operator}` }
      expect(
        (await send(`${internal?.[1] ?? ''}/console/api/today`, { method: 'GET', headers: bearer })).status,
      ).to.equal(200)
      expect(
        (
          await send(`${internal?.[1] ?? ''}/console/api/today`, {
            method: 'GET',
            headers: { Authorization: 'Bearer not-the-operator-token-0123' },
          })
        ).status,
      ).to.equal(401)
      for (const path of ['/console/', '/console/api/today', '/console/sign-in']) {
        expect(
          (await send(`${hook}${path}`, { method: 'GET', headers: bearer })).status,
          `${path} on the hook's port`,
        ).to.equal(404)
      }
      expect(stderr).to.not.contain(operator)
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).to.equal(0)
    }
    const plain = await startServe({ STORE: 'memory', DATA_DIR: dataDir, PORT: '0' })
    try {
      expect(
        /^internal: \S+ \((.*)\)$/m.exec(plain.output().stderr)?.[1],
        'no console without a token to sign in with',
      ).to.equal('/healthz, /readyz, /metrics')
    } finally {
      plain.child.kill('SIGTERM')
      expect(await plain.exited).to.equal(0)
    }
  })

  it('refuses STORE=domino-db without its database with exit code 2, and the default store writes to SQLite, saying so first', async () => {
    const run = await runCli(['serve'], { STORE: 'domino-db', DATA_DIR: dataDir, PORT: '0', INTERNAL_PORT: '0' })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('STORE=domino-db needs its database: set DOMINO_DB_URL')
    const serve = await startServe({ DATA_DIR: dataDir, PORT: '0' })
    try {
      expect(serve.output().stderr.split('\n')[0]).to.equal(
        `domino-sbermarket-hook store: sqlite ${resolve(dataDir, 'orders.sqlite')}`,
      )
    } finally {
      serve.child.kill('SIGTERM')
      expect(await serve.exited).to.equal(0)
    }
  })

  it("`grants` prints the hook login's rights for the configured schema, and no DDL", async () => {
    const run = await runCli(['grants'], {
      DOMINO_DB_URL: 'Server=db.example,1433;Database=Domino;User Id=admin;Password=p',
      DOMINO_DB_SCHEMA: 'sm_hook',
    })
    expect(run.code).to.equal(0)
    expect(run.stdout).to.contain('ALTER ROLE [sm_hook_hook] ADD MEMBER [SberMarketOrdersHook]')
    expect(run.stdout).to.contain('GRANT SELECT, INSERT, UPDATE ON OBJECT::[sm_hook].[order_header] TO [sm_hook_hook]')
    expect(run.stdout).to.not.match(/GRANT (CREATE|ALTER|CONTROL)/)
  })

  it('`migrate` names every bad Domino setting and exits 2', async () => {
    const run = await runCli(['migrate'], { DOMINO_DB_SCHEMA: 'sm; DROP TABLE x' })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('configuration error:')
    expect(run.stderr).to.contain('DOMINO_DB_SCHEMA')
    expect(run.stderr).to.contain('the SQL Server host is missing')
  })

  it('names an unknown command, says where the usage is, and exits 2', async () => {
    const run = await runCli(['launch'])
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain("unknown command 'launch'")
    expect(run.stderr).to.contain('--help')
  })
})
