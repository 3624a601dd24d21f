import { expect } from 'chai'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { JournalRecord } from '@domino-sm/core'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { orderCreatedBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook } from '../support/http-client.js'
import { startServe, type ServeProcess } from '../support/spawn-cli.js'
import { holdLock } from '../support/sqlite-lock-holder.js'
import { TOKEN } from '../support/test-app.js'

/** Creates sent while the file is locked: each is answered 503 at the deadline, its entry left to be written later. */
const CREATES = 16
const DEADLINE_MS = 1000
/** The customer of `orderCreatedBody`: no log line may carry it. */
const PERSONAL = ['Иван Петров', '+79031234567', 'ivan@example.ru']

interface LogLine {
  readonly level?: number
  readonly msg?: string
  readonly [key: string]: unknown
}

const logLines = (serve: ServeProcess): LogLine[] =>
  serve
    .output()
    .stdout.split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)

const journalsOf = async (path: string, keys: readonly string[]): Promise<(readonly JournalRecord[])[]> => {
  const reader = await openSqliteStore({ path })
  try {
    return await Promise.all(
      keys.map(async (key) => {
        const listed = await reader.repository.listJournal(key)()
        if (E.isLeft(listed)) throw new Error(listed.left._tag)
        return listed.right
      }),
    )
  } finally {
    await reader.close()
  }
}

/**
 * A real `serve` on SQLite, its file locked by another process; CREATES creates answered 503; SIGTERM while the file
 * is still locked. What happens to the journal entries of those 503s, which the hook writes after its answers.
 */
describe('a stop waits for the journal writes of requests already answered (serve on SQLite, file locked by another process)', function () {
  this.timeout(90_000)
  let dataDir: string
  let serve: ServeProcess | undefined
  let lock: Awaited<ReturnType<typeof holdLock>> | undefined

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hook-stop-journal-'))
  })
  afterEach(async () => {
    if (serve !== undefined && serve.child.exitCode === null) serve.child.kill('SIGKILL')
    lock?.child.stdin.write('go\n')
    await lock?.released
    await rm(dataDir, { recursive: true, force: true })
  })

  /** Starts serve, locks its file for `lockMs`, sends the creates (each answered 503), then SIGTERM. */
  const answered503ThenStop = async (
    graceMs: number,
    lockMs: number,
  ): Promise<{ readonly keys: readonly string[]; readonly code: number | null; readonly path: string }> => {
    serve = await startServe({
      PORT: '0',
      STORE: 'sqlite',
      DATA_DIR: dataDir,
      SBERMARKET_HOOK_TOKENS: TOKEN,
      HOOK_DEADLINE_MS: String(DEADLINE_MS),
      SHUTDOWN_GRACE_MS: String(graceMs),
      RETENTION_INTERVAL_MINUTES: '0',
      LOG_LEVEL: 'info',
    })
    const hookUrl = /listening: POST (\S+)/.exec(serve.output().stderr)?.[1] ?? ''
    const path = join(dataDir, 'orders.sqlite')
    const warm = await postHook(hookUrl, TOKEN, orderCreatedBody({ originalOrderId: uniqueOrderId('HWARM') }).body)
    expect(warm.status, 'before the lock').to.equal(200)
    lock = await holdLock(path, lockMs)
    const keys = Array.from({ length: CREATES }, () => uniqueOrderId('HSTOP'))
    const answers = await Promise.all(
      keys.map((key) => postHook(hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)),
    )
    expect(
      answers.map((a) => a.status),
      'answered while locked',
    ).to.deep.equal(keys.map(() => 503))
    serve.child.kill('SIGTERM')
    const code = await serve.exited
    return { keys, code, path }
  }

  it('(a) the lock released inside the grace: after the stop every entry exists, saying 503', async () => {
    // Locked for 4 s from the lock; the creates take about DEADLINE_MS, so SIGTERM comes about 3 s before the release,
    // and the grace (8 s, 7 s of it for the drain and the journal) covers it.
    const { keys, code, path } = await answered503ThenStop(8000, 4000)
    expect(code, 'exit code').to.equal(0)
    await lock?.released
    const stopped = logLines(serve as ServeProcess).find((l) => l.msg === 'stopped')
    const report = stopped?.['lateJournalWrites'] as
      { pendingAtStop: number; written: number; lost: number } | undefined
    console.log(`      (a) at the stop: ${JSON.stringify(report)}`)
    expect(report?.lost, 'entries lost').to.equal(0)
    expect(logLines(serve as ServeProcess).filter((l) => l['lostJournalEntry'] !== undefined)).to.have.length(0)
    const journals = await journalsOf(path, keys)
    const statuses = journals.map((j) => j.map((r) => r.httpStatus))
    expect(statuses, 'the journal of each key after the restart').to.deep.equal(keys.map(() => [503]))
  })

  it('(b) the lock held past the grace: every entry is one error line of the log, and the count lost equals the creates', async () => {
    const { keys, code, path } = await answered503ThenStop(3000, 60_000)
    expect(code, 'exit code').to.equal(0)
    const lines = logLines(serve as ServeProcess)
    const lost = lines.filter((l) => l['lostJournalEntry'] !== undefined)
    const stopped = lines.find((l) => l.msg === 'stopped')
    const report = stopped?.['lateJournalWrites'] as
      { pendingAtStop: number; written: number; lost: number } | undefined
    console.log(`      (b) at the stop: ${JSON.stringify(report)}; ${lost.length} lost-entry lines`)
    expect(lost, 'one line per entry').to.have.length(CREATES)
    expect(report?.lost, 'counted lost').to.equal(CREATES)
    const facts = lost.map((l) => l['lostJournalEntry'] as Record<string, unknown>)
    expect(facts.map((f) => f['orderKey']).sort(), 'the order keys').to.deep.equal([...keys].sort())
    expect(new Set(facts.map((f) => f['requestId'])).size, 'distinct request ids').to.equal(CREATES)
    for (const f of facts) {
      expect(f).to.include({ eventType: 'order.created', outcome: 'failed', httpStatus: 503 })
      expect(Object.keys(f).sort()).to.deep.equal(['eventType', 'httpStatus', 'orderKey', 'outcome', 'requestId'])
    }
    for (const line of lost) expect(line.level, 'logged as an error').to.equal(50)
    const text = serve?.output().stdout ?? ''
    for (const needle of PERSONAL) expect(text, 'personal data in the log').to.not.include(needle)
    expect(text).to.not.include(TOKEN)

    // Released now: nothing was written behind the log's back (the lines are the whole truth about those requests).
    lock?.child.stdin.write('go\n')
    await lock?.released
    const journals = await journalsOf(path, keys)
    expect(journals.map((j) => j.length)).to.deep.equal(keys.map(() => 0))
  })
})
