import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { migrate, parseDominoDbSettings, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { hookUrlOf, internalOriginOf, startServe, type ServeProcess } from '../support/spawn-cli.js'
import { dropTestSchema } from '../support/sql-server-schema.js'
import { connectionRefused, SERVER_PART, startGate, type TcpGate } from '../support/tcp-gate.js'
import { ADMIN, TOKEN } from '../support/test-app.js'
import { fetchJournal, fetchOrder } from './support/admin-client.js'
import { freeLoopbackPort } from './support/free-port.js'
import { upstreamsInAccessLog } from './support/hook-pool.js'
import { nginxMissingReason, startNginx, type RunningNginx } from './support/nginx-process.js'
import { trackChild, untrackChild } from './support/process-registry.js'
import { warmSessions } from './support/store-under-test.js'

/*
 * README "Two listeners": an instance whose database cannot be reached keeps its hook port closed, so nginx passes
 * each request to a ready neighbour (`proxy_next_upstream error`) instead of handing SberMarket a 503; once the
 * database answers, the instance opens its hook port by itself and takes its share. Two real `serve` processes on one
 * SQL Server schema (the T-SQL engine), the second through a TCP gate that refuses until the test opens it, and the
 * real nginx of deploy/nginx in front. A stream of orders goes through nginx the whole time.
 */

const SENDERS = 4
/** The stream before the gate opens: the not-ready instance's port is refused the whole time. */
const BEFORE_MS = 4000
/** After the gate opens, the stream goes on until the late instance answered this many hook requests. */
const LATE_SHARE = 20
/** Bounds that make a hook that never opens fail, not hang. */
const OPEN_BOUND_MS = 60_000
const SHARE_BOUND_MS = 60_000
const POOL = 4
/**
 * The T-SQL engine runs each statement slowly the first time a session runs it (tools/tsql-engine README: "warm a pool
 * before timing anything"; SQL Server takes milliseconds). The late instance warms its sessions with a read only (the
 * hook creates no order to warm up), so the first order.created on each of its POOL sessions may outlast the store's
 * budget: a 503 (or nginx's 504 past its 4.3 s). Measured here: in 3 of 9 runs, 1 to 4 such answers, all among the late
 * instance's first requests, none before it opened. The test allows at most one per session, from the late instance,
 * after it opened, and prints them; anything else fails it.
 */
const COLD_SESSION_ALLOWANCE = POOL

interface Sent {
  readonly key: string
  readonly status: number
  readonly number: string | undefined
  /** ms since the stream began */
  readonly at: number
  readonly error?: string
}

/** The hook request lines an instance logged (one JSON line per request on stdout). */
const hookLines = (serve: ServeProcess): { readonly path: string; readonly status: number; readonly line: string }[] =>
  serve
    .output()
    .stdout.split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as { msg?: string; path?: string; status?: number }
        return parsed.msg === 'request' && parsed.path?.startsWith('/sbermarket/orders/hook') === true
          ? [{ path: parsed.path, status: parsed.status ?? 0, line }]
          : []
      } catch {
        return []
      }
    })

const stopServe = async (serve: ServeProcess | undefined): Promise<number | null> => {
  if (serve === undefined) return null
  if (serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill('SIGTERM')
    const timer = setTimeout(() => serve.child.kill('SIGKILL'), 15_000)
    const code = await serve.exited
    clearTimeout(timer)
    untrackChild(serve.child)
    return code
  }
  untrackChild(serve.child)
  return serve.child.exitCode
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('nginx over a ready instance and one whose database is unreachable (system, T-SQL engine)', function () {
  this.timeout(300_000)
  const url = process.env['DOMINO_DB_TEST_URL']
  let dir: string | undefined
  let settings: DominoDbSettings | undefined
  let gate: TcpGate | undefined
  let ready: ServeProcess | undefined
  let late: ServeProcess | undefined
  let nginx: RunningNginx | undefined
  let latePort = 0

  before(async function () {
    const missing =
      nginxMissingReason() ??
      (url === undefined || url.trim() === ''
        ? 'PENDING: this test needs DOMINO_DB_TEST_URL (a T-SQL engine database, see README "Tests")'
        : undefined)
    if (missing !== undefined) {
      console.log(`      ${missing}`)
      this.skip()
    }
    const testUrl = url ?? ''
    const schema = `sm_test_${randomBytes(5).toString('hex')}`
    const parsed = parseDominoDbSettings({ DOMINO_DB_URL: testUrl, DOMINO_DB_SCHEMA: schema })
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    settings = parsed.right
    await migrate(settings)
    dir = await mkdtemp(join(tmpdir(), 'hook-not-ready-'))
    gate = await startGate({ host: settings.server, port: settings.port ?? 1433 })
    const env = (name: string, port: number, dbUrl: string): Record<string, string> => ({
      PORT: String(port),
      HOST: '127.0.0.1',
      STORE: 'domino-db',
      DOMINO_DB_URL: dbUrl,
      DOMINO_DB_SCHEMA: schema,
      DOMINO_DB_POOL_MAX: String(POOL),
      DOMINO_DB_POOL_MIN: String(POOL),
      DOMINO_DB_REQUEST_TIMEOUT_MS: '3500',
      DATA_DIR: join(dir ?? '', name),
      SBERMARKET_HOOK_TOKENS: TOKEN,
      ADMIN_TOKEN: ADMIN,
      TRUST_PROXY: 'true',
    })
    await mkdir(join(dir, 'ready'))
    await mkdir(join(dir, 'late'))
    await mkdir(join(dir, 'nginx'))
    const readyPort = await freeLoopbackPort()
    latePort = await freeLoopbackPort()
    ready = await startServe(env('ready', readyPort, testUrl))
    trackChild(ready.child)
    late = await startServe(
      env('late', latePort, testUrl.replace(SERVER_PART, `$1Server=127.0.0.1,${gate.port}`)),
      'internal',
    )
    trackChild(late.child)
    // The ready instance's sessions run every statement once before anything is counted (the engine is slow the
    // first time a session runs one); the late one gets no such help: it starts cold, as after a restart.
    await warmSessions([new URL(hookUrlOf(ready)).origin], TOKEN)
    nginx = await startNginx(join(dir, 'nginx'), [`http://127.0.0.1:${readyPort}`, `http://127.0.0.1:${latePort}`])
  })

  after(async function () {
    this.timeout(60_000)
    await nginx?.stop()
    await stopServe(late)
    await stopServe(ready)
    await gate?.close()
    if (dir !== undefined) await rm(dir, { recursive: true, force: true })
    if (settings !== undefined) await dropTestSchema(settings)
  })

  it('answers every order of a stream 200 while one instance waits for its database, and shares the stream once that instance opens its hook port', async () => {
    if (ready === undefined || late === undefined || nginx === undefined || gate === undefined)
      throw new Error('not started')
    const lateServe = late
    const lateInternal = internalOriginOf(lateServe)
    const lateHookPort = latePort
    expect(lateServe.output().stderr.split('\n')[0], 'serve says first where it writes').to.match(
      /^domino-sbermarket-hook store: domino-db server=127\.0\.0\.1,\d+ /,
    )
    expect((await send(`${lateInternal}/readyz`, { method: 'GET' })).status, 'the late instance is not ready').to.equal(
      503,
    )
    expect(await connectionRefused(lateHookPort), 'its hook port refuses').to.equal(true)

    // The warm-up's requests went to the ready instance directly: the stream's are counted from here.
    // A request's log line reaches stdout up to 20 ms after its answer (observability/tick-batched-stream.ts).
    await sleep(200)
    const readyWarmUp = hookLines(ready).length
    const started = performance.now()
    const sent: Sent[] = []
    let sending = true
    const sender = async (): Promise<void> => {
      while (sending) {
        const key = uniqueOrderId('HNR')
        const at = Math.round(performance.now() - started)
        const answer = await postHook(
          nginx?.hookUrl ?? '',
          TOKEN,
          orderCreatedBody({ originalOrderId: key }).body,
        ).then(
          (res) => ({ key, status: res.status, number: (res.json as { number?: string } | undefined)?.number, at }),
          (error: unknown) => ({ key, status: 0, number: undefined, at, error: String(error) }),
        )
        sent.push(answer)
        await sleep(20)
      }
    }
    const senders = Array.from({ length: SENDERS }, sender)

    await sleep(BEFORE_MS)
    const lateBefore = hookLines(lateServe).length
    const sentBefore = sent.length
    expect(await connectionRefused(lateHookPort), 'still refused after the stream ran against it').to.equal(true)
    gate.open()
    const openedAt = performance.now()
    while (!/listening: POST/.test(lateServe.output().stderr) && performance.now() - openedAt < OPEN_BOUND_MS)
      await sleep(50)
    const listeningMs = Math.round(performance.now() - openedAt)
    expect(
      /listening: POST/.test(lateServe.output().stderr),
      `the late instance opened its hook within ${OPEN_BOUND_MS} ms`,
    ).to.equal(true)
    const listeningAt = Math.round(performance.now() - started)
    while (hookLines(lateServe).length < LATE_SHARE && performance.now() - openedAt < OPEN_BOUND_MS + SHARE_BOUND_MS)
      await sleep(100)
    sending = false
    await Promise.all(senders)
    await sleep(200)

    const nonOk = sent.filter((s) => s.status !== 200)
    const readyLines = hookLines(ready).slice(readyWarmUp)
    const lateLines = hookLines(lateServe)
    const readyAnswered = readyLines.length
    const lateAnswered = lateLines.length
    const notOkBy = (lines: readonly { status: number; line: string }[]): string =>
      JSON.stringify(lines.filter((l) => l.status !== 200).map((l) => l.line))
    const { perUpstream, multiUpstream } = upstreamsInAccessLog(await nginx.accessLog())
    console.log(
      `      ${sent.length} orders through nginx by ${SENDERS} senders: ${sentBefore} in the first ${BEFORE_MS} ms (database of the late instance ` +
        `unreachable), the rest after; non-200: ${nonOk.length}${nonOk.length === 0 ? '' : ` ${JSON.stringify(nonOk.slice(0, 5))}`}`,
    )
    console.log(
      `      the late instance: ${lateBefore} hook requests while its database was unreachable; hook listening ${listeningMs} ms after the gate opened ` +
        `(at ${listeningAt} ms of the stream); then ${lateAnswered - lateBefore} hook requests (non-200 ${notOkBy(lateLines)}); ` +
        `the ready instance answered ${readyAnswered} of the stream (non-200 ${notOkBy(readyLines)})`,
    )
    console.log(
      `      nginx access log: per upstream ${JSON.stringify(perUpstream)}; ${multiUpstream.length} requests tried the refusing upstream first, then the other` +
        `${multiUpstream.length === 0 ? '' : `, e.g. ${multiUpstream[0] ?? ''}`}`,
    )
    // From the ready instance, at any time: 200 only. The late instance saw nothing until it opened (below), so any
    // other answer is the late instance's after it opened: at most the cold sessions' first writes, as its 503 (or
    // nginx's 504 past 4.3 s), which SberMarket retries. nginx's own 502 (a refused connection not passed on) fails.
    expect(
      readyLines.filter((l) => l.status !== 200).map((l) => l.line),
      'non-200 answers of the ready instance',
    ).to.deep.equal([])
    if (nonOk.length > 0)
      console.log(
        `      ${nonOk.length} answer(s) after the late instance opened were not 200 (the engine's cold sessions): ${JSON.stringify(nonOk)}`,
      )
    expect(
      nonOk.filter((s) => s.status !== 503 && s.status !== 504),
      'answers other than 200, 503 or 504',
    ).to.deep.equal([])
    expect(nonOk.length, 'at most one cold answer per session of the late instance').to.be.at.most(
      COLD_SESSION_ALLOWANCE,
    )
    expect(lateBefore, 'hook requests the late instance saw while not ready').to.equal(0)
    expect(lateAnswered, 'hook requests the late instance answered once ready').to.be.at.least(LATE_SHARE)
    expect(readyAnswered + lateAnswered, 'every request answered by one instance, once').to.equal(sent.length)

    // Every order answered 200 is stored, once, with the number answered.
    const admin = internalOriginOf(ready)
    for (const s of sent.filter((answer) => answer.status === 200)) {
      expect(await fetchOrder(admin, ADMIN, s.key), s.key).to.include({ number: s.number })
      expect(
        (await fetchJournal(admin, ADMIN, s.key)).map((e) => e.outcome),
        s.key,
      ).to.deep.equal(['created'])
    }
  })
})
