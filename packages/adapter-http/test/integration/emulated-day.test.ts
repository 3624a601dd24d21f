import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { always, atRandom, orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import {
  adminApiInspector,
  formatDaySummary,
  HookClient,
  repositoryInspector,
  runEmulatedDay,
  type AttemptResult,
} from '@domino-sm/testkit/emulator'
import { hookUrlOf, internalOriginOf, startServe, type ServeProcess } from '../support/spawn-cli.js'
import { ADMIN, startTestApp, TOKEN, type TestApp } from '../support/test-app.js'

/** The built emulator command, as `npm run emulate` runs it. */
const EMULATOR_CLI = fileURLToPath(new URL('./cli.js', import.meta.resolve('@domino-sm/testkit/emulator')))
const runEmulator = (args: readonly string[]) => promisify(execFile)(process.execPath, [EMULATOR_CLI, ...args])

const statusOf = (attempt: AttemptResult): number | string =>
  attempt._tag === 'Answered' ? attempt.status : attempt._tag

/** Fault tests: SberMarket's deliveries, played by the emulator, against the real app with store faults. */
describe('an emulated SberMarket day against the hook', () => {
  describe('store faults, one delivery at a time', () => {
    let app: TestApp
    afterEach(() => app.close())

    it('answers 503 in time when the store is slower than the deadline; a retry then succeeds with no duplicate', async () => {
      app = await startTestApp({ settings: { hookDeadlineMs: 200 }, faults: { createOrGet: { delayMs: 600 } } })
      // 0.1: SberMarket's 5 s timeout becomes 500 ms, above the service's 200 ms deadline, as 5 s is above 4 s in production.
      const client = new HookClient({
        url: app.hookUrl,
        token: TOKEN,
        timeScale: 0.1,
        onAttempt: () => app.faulty.heal(),
      })
      const id = uniqueOrderId('EMS')
      const result = await client.deliver({
        eventType: 'order.created',
        originalOrderId: id,
        body: orderCreatedBody({ originalOrderId: id }).body,
      })
      client.close()
      expect(result.attempts.map(statusOf)).to.deep.equal([503, 200])
      expect(result.attempts[0]?.elapsedMs).to.be.below(client.timing.timeoutMs)
      await new Promise((resolve) => setTimeout(resolve, 600))
      const found = await app.orderOf(id)
      expect(found?.number).to.equal((JSON.parse(result.answer?.body ?? '{}') as { number?: string }).number)
      const outcomes = (await app.journalOf(id)).map((j) => j.outcome)
      expect(outcomes.filter((o) => o === 'created')).to.have.length(1)
      expect(outcomes).to.have.length(2)
    })

    it('answers 503 quickly while the store is down, and the retries get through once it recovers', async () => {
      app = await startTestApp({ faults: { createOrGet: { fail: always }, applyUpdate: { fail: always } } })
      // 0.1: a 500 ms timeout per attempt, so that a busy machine cannot turn a quick 503 into a timeout.
      const client = new HookClient({
        url: app.hookUrl,
        token: TOKEN,
        timeScale: 0.1,
        onAttempt: (_event, _attempt, n) => {
          if (n === 3) app.faulty.heal()
        },
      })
      const id = uniqueOrderId('EMD')
      const result = await client.deliver({
        eventType: 'order.created',
        originalOrderId: id,
        body: orderCreatedBody({ originalOrderId: id }).body,
      })
      client.close()
      expect(result.attempts.map(statusOf)).to.deep.equal([503, 503, 503, 200])
      for (const attempt of result.attempts.slice(0, 3)) expect(attempt.elapsedMs).to.be.below(client.timing.timeoutMs)
      expect((await app.journalOf(id)).map((j) => [j.outcome, j.httpStatus])).to.deep.equal([
        ['failed', 503],
        ['failed', 503],
        ['failed', 503],
        ['created', 200],
      ])
    })
  })

  describe('a busy day', () => {
    let app: TestApp
    afterEach(() => app.close())

    it('keeps every order the marketplace did not cancel exactly once while the store fails at random', async function () {
      this.timeout(30000)
      // Every store call (the journal too) fails one time in five; FaultyOrderRepository's PRNG is seeded (seed 1).
      app = await startTestApp({ faults: { all: { fail: atRandom(0.2) } } })
      const { summary, runs } = await runEmulatedDay({
        url: app.hookUrl,
        token: TOKEN,
        orders: 40,
        seed: 5,
        timeScale: 0.01,
        inspect: repositoryInspector(app.store),
      })
      expect(summary.mismatches).to.deep.equal([])
      expect(summary.retries, 'the faults made SberMarket retry').to.be.above(10)
      for (const run of runs.filter((r) => !r.cancelledByMarketplace)) {
        const id = run.plan.originalOrderId
        expect(await app.orderOf(id), id).to.not.equal(undefined)
        const created = (await app.journalOf(id)).filter((j) => j.outcome === 'created')
        // The creating request's own journal line may be the write that failed; never two.
        expect(created.length, id).to.be.at.most(1)
      }
      expect(summary.delivered + summary.cancelled + summary.cancelledByMarketplace).to.equal(40)
    })
  })

  describe('the payload forms seen in public (docs/contract.md §3)', () => {
    let app: TestApp
    afterEach(() => app.close())

    it('answers every order.created 200 whatever its form, and marks for review exactly the orders sent unreadable', async function () {
      this.timeout(30000)
      app = await startTestApp({})
      const { summary } = await runEmulatedDay({
        url: app.hookUrl,
        token: TOKEN,
        orders: 150,
        seed: 23,
        timeScale: 0.05,
        shape: { unreadable: 0.2 },
        inspect: repositoryInspector(app.store),
      })
      process.stdout.write(`${formatDaySummary(summary, 5).replace(/^/gm, '      ')}\n`)
      expect(summary.mismatches).to.deep.equal([])
      expect(summary.createdAnswered200).to.equal(150)
      expect(summary.sentUnreadable).to.be.above(10)
      expect(summary.forReview).to.equal(summary.sentUnreadable)
    })
  })

  describe("the token in the forms SberMarket's client may send it (docs/contract.md §2)", () => {
    let app: TestApp
    afterEach(() => app.close())

    it('delivers whole days with the token as Bearer, as Basic, and as the seed picks it, every order kept', async function () {
      this.timeout(60000)
      app = await startTestApp({
        settings: { hookAuth: { forms: ['client-token', 'bearer', 'basic'], basicUser: 'sbermarket' } },
      })
      const forms: string[] = []
      for (const [auth, seed] of [
        ['bearer', 3],
        ['basic', 4],
        ['by-seed', 5],
        ['by-seed', 6],
        ['by-seed', 7],
      ] as const) {
        const day = await runEmulatedDay({
          url: app.hookUrl,
          token: TOKEN,
          orders: 20,
          seed,
          timeScale: 0.05,
          auth,
          inspect: repositoryInspector(app.store),
        })
        forms.push(`${auth}/${seed}: ${day.authForm}`)
        expect(day.summary.mismatches, `${auth} day`).to.deep.equal([])
        expect(day.summary.createdAnswered200, `${auth} day`).to.equal(20)
        const statuses = day.runs.flatMap((r) =>
          r.deliveries.flatMap((d) => d.attempts.map((a) => (a._tag === 'Answered' ? a.status : 0))),
        )
        expect(statuses, `${auth} day: no 403`).to.not.include(403)
      }
      console.log(`      days: ${forms.join(', ')}`)
    })

    it("is refused every order when the hook does not allow the day's form (a retailer set up otherwise)", async function () {
      this.timeout(30000)
      app = await startTestApp({ settings: { hookAuth: { forms: ['client-token'] } } })
      const day = await runEmulatedDay({
        url: app.hookUrl,
        token: TOKEN,
        orders: 3,
        seed: 3,
        timing: { timeoutMs: 5000, retryIntervalsMs: [1, 1] },
        auth: 'bearer',
      })
      expect(day.summary.createdAnswered200).to.equal(0)
      const statuses = new Set(
        day.runs.flatMap((r) =>
          r.deliveries.flatMap((d) => d.attempts.map((a) => (a._tag === 'Answered' ? a.status : 0))),
        ),
      )
      expect([...statuses]).to.deep.equal([403])
    })
  })

  describe('against `serve` on SQLite, in its own process', () => {
    let dataDir: string
    let serve: ServeProcess
    let hookUrl: string
    /** The internal listener, where the admin API is. */
    let adminUrl: string
    before(async function () {
      this.timeout(30000)
      dataDir = await mkdtemp(join(tmpdir(), 'hook-emulated-'))
      // 0.2 below: SberMarket's timeout becomes 1 s, so the service's deadline is 800 ms (5 s and 4 s in production).
      const env = {
        PORT: '0',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
        SBERMARKET_HOOK_TOKENS: TOKEN,
        ADMIN_TOKEN: ADMIN,
        HOOK_DEADLINE_MS: '800',
      }
      serve = await startServe(env)
      hookUrl = hookUrlOf(serve)
      adminUrl = internalOriginOf(serve)
    })
    after(async () => {
      serve.child.kill('SIGTERM')
      await serve.exited
      await rm(dataDir, { recursive: true, force: true })
    })

    it('plays a day with no faults: no order cancelled by the marketplace, every order read back as sent', async function () {
      this.timeout(30000)
      expect(serve.output().stderr).to.include(`store: sqlite ${dataDir}`)
      const inspect = adminApiInspector(adminUrl, ADMIN)
      const { summary } = await runEmulatedDay({
        url: hookUrl,
        token: TOKEN,
        orders: 40,
        seed: 11,
        timeScale: 0.2,
        concurrency: 8,
        inspect,
        shape: { unreadable: 0.2 },
      })
      process.stdout.write(`${formatDaySummary(summary, 5).replace(/^/gm, '      ')}\n`)
      expect(summary.mismatches).to.deep.equal([])
      expect(summary.cancelledByMarketplace).to.equal(0)
      expect(summary.createdAnswered200).to.equal(40)
      expect(summary.sentUnreadable).to.be.above(0)
      expect(summary.forReview).to.equal(summary.sentUnreadable)
      expect(summary.delivered + summary.cancelled).to.equal(40)
    })

    it('runs as the `npm run emulate` command, printing the summary and exiting 0', async function () {
      this.timeout(30000)
      // execFile rejects when the command exits non-zero.
      const run = await runEmulator([
        '--url',
        hookUrl,
        '--token',
        TOKEN,
        '--orders',
        '5',
        '--admin-token',
        ADMIN,
        '--admin-url',
        adminUrl,
        '--time-scale',
        '0.2',
      ])
      expect(run.stdout).to.match(/^orders: +5$/m)
      expect(run.stdout).to.match(/^created answered 200: +5 of 5$/m)
      expect(run.stdout).to.match(/^mismatches: +0$/m)
      expect(run.stdout).to.match(/^end state: +read back and checked$/m)
      for (const label of ['requests', 'delivered', 'cancelled', 'retried', 'cancelled by marketplace', 'elapsed'])
        expect(run.stdout).to.match(new RegExp(`^${label}:`, 'm'))
    })

    it('exits 1 when the end state does not check out (here: a wrong admin token, so no order can be read back)', async function () {
      this.timeout(30000)
      const failed = await runEmulator([
        '--url',
        hookUrl,
        '--token',
        TOKEN,
        '--orders',
        '3',
        '--admin-token',
        'not-the-admin-token',
        '--admin-url',
        adminUrl,
        '--time-scale',
        '0.2',
      ]).then(
        () => undefined,
        (error: unknown) => error as { readonly code?: unknown; readonly stdout?: unknown },
      )
      expect(failed?.code).to.equal(1)
      expect(String(failed?.stdout)).to.match(/^mismatches: +3$/m)
      expect(String(failed?.stdout)).to.include('the admin API answered 401')
    })
  })
})
