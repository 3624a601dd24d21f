import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { migrate, parseDominoDbSettings } from '@domino-sm/adapter-domino-db'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { MAX_ORDER_ID_LENGTH, type JournalEntry } from '@domino-sm/core'
import { readBuildInfo, runCli as runInProcess } from '@domino-sm/adapter-http'
import { runCli, type CliRun } from '../support/spawn-cli.js'
import { dropTestSchema } from '../support/sql-server-schema.js'
import { startGate, type TcpGate } from '../support/tcp-gate.js'

/** Every command and subcommand of the command line (README "Support"). */
const COMMANDS: readonly (readonly string[])[] = [
  [],
  ['serve'],
  ['token'],
  ['token', 'generate'],
  ['migrate'],
  ['grants'],
  ['change-queue'],
  ['change-queue', 'add-consumer'],
  ['change-queue', 'remove-consumer'],
  ['change-queue', 'consumers'],
  // The spelling `change-queue` shipped under, kept hidden (program.ts): it must still answer.
  ['handoff'],
  ['handoff', 'add-consumer'],
  ['handoff', 'remove-consumer'],
  ['handoff', 'consumers'],
  ['journal'],
  ['journal', 'prune'],
  ['journal', 'stats'],
  ['journal', 'list'],
  ['journal', 'replay'],
  ['personal-data'],
  ['personal-data', 'erase'],
  ['review'],
  ['review', 'clear'],
]

/** The command line run in this process (`runCli` of program.ts): the same program as the binary's, without a process start per case. */
const inProcess = async (args: readonly string[], env: Readonly<Record<string, string>>): Promise<CliRun> => {
  let stdout = ''
  let stderr = ''
  const code = await runInProcess(args, { env, out: (text) => (stdout += text), err: (text) => (stderr += text) })
  return { code, stdout, stderr }
}

/** Anything but escapes: a printed line may hold no control character but its end. */
// eslint-disable-next-line no-control-regex -- the control characters are what this pattern finds
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('command line: help, version, refusals and what it prints', function () {
  this.timeout(120_000)
  let tripwire: TcpGate
  let home: string
  /** A Domino database that counts every connection made to it, and a data folder that must stay uncreated. */
  let env: Record<string, string>
  let dataDir: string

  before(async () => {
    tripwire = await startGate()
    home = await mkdtemp(join(tmpdir(), 'hook-cli-'))
    dataDir = join(home, 'data-never-created')
  })
  after(async () => {
    await tripwire.close()
    await rm(home, { recursive: true, force: true })
  })
  beforeEach(() => {
    env = {
      DOMINO_DB_URL: `Server=127.0.0.1,${tripwire.port};Database=Domino;User Id=hook;Password=p;Encrypt=false`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    }
  })

  /** Neither the Domino database (any store, any command) nor the SQLite folder was touched. */
  const touchedNothing = (run: CliRun, what: string, connectionsBefore: number): void => {
    expect(tripwire.connections(), `${what}: connected to the database`).to.equal(connectionsBefore)
    expect(existsSync(dataDir), `${what}: created DATA_DIR`).to.equal(false)
    expect(CONTROL.test(run.stdout + run.stderr), `${what}: printed a control character`).to.equal(false)
  }

  it('answers --help for every command and subcommand, exit 0, and opens nothing', async () => {
    for (const command of COMMANDS) {
      for (const store of ['domino-db', 'sqlite']) {
        const before = tripwire.connections()
        const run = await inProcess([...command, '--help'], { ...env, STORE: store })
        const what = `${[...command, '--help'].join(' ')} (STORE=${store})`
        expect(run.code, `${what}: ${run.stderr}`).to.equal(0)
        expect(run.stdout, what).to.contain(`Usage: domino-sbermarket-hook ${command.join(' ')}`.trimEnd())
        touchedNothing(run, what, before)
      }
    }
    const helpOf = await inProcess(['journal', 'help', 'prune'], env)
    expect(helpOf.code).to.equal(0)
    expect(helpOf.stdout).to.contain('Usage: domino-sbermarket-hook journal prune')
  })

  it('the binary itself: serve --help, migrate --help and journal prune --help exit 0 and open nothing; a repeated option exits 2', async () => {
    for (const args of [
      ['serve', '--help'],
      ['migrate', '--help'],
      ['journal', 'prune', '--help'],
    ]) {
      for (const store of ['domino-db', 'sqlite']) {
        const before = tripwire.connections()
        const run = await runCli(args, { ...env, STORE: store })
        const what = `${args.join(' ')} (STORE=${store})`
        expect(run.code, `${what}: ${run.stderr}`).to.equal(0)
        expect(run.stdout, what).to.contain(`Usage: domino-sbermarket-hook ${args.slice(0, -1).join(' ')}`)
        touchedNothing(run, what, before)
      }
    }
    const before = tripwire.connections()
    const repeated = await runCli(['journal', 'list', '--order', 'A1', '--order', 'B2'], { ...env, STORE: 'domino-db' })
    expect(repeated.code).to.equal(2)
    expect(repeated.stderr).to.contain('given more than once')
    touchedNothing(repeated, 'journal list --order A1 --order B2', before)
  })

  it('--version and -V print the build (version and commit), exit 0', async () => {
    const build = readBuildInfo()
    expect(build.version).to.not.equal('0.0.0-unknown')
    for (const flag of ['--version', '-V']) {
      const run = await runCli([flag])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.equal(`domino-sbermarket-hook ${build.version} (commit ${build.commit})\n`)
    }
  })

  const longKey = 'K'.repeat(100_000)
  const refusals: readonly (readonly [readonly string[], string])[] = [
    [['journal', 'list', '--colour'], "unknown option '--colour'"],
    [['journal', 'list', '--order', 'A1', '--order', 'B2'], 'given more than once'],
    [['journal', 'replay', '--since', '2026-05-01', '--since', '2026-05-02'], 'given more than once'],
    [['review', 'clear', '--order', 'A1', '--note', 'x', '--note', 'y'], 'given more than once'],
    [['personal-data', 'erase', '--order', 'A1', '--order', 'A2', '--note', 'x'], 'given more than once'],
    [['grants', '--consumer', 'a', '--consumer', 'b'], 'given more than once'],
    [['journal', 'list', '--since', '2026-02-30'], '--since: expected an ISO 8601 date'],
    [['journal', 'list', '--until', '2026-02-28T24:00Z'], '--until: expected an ISO 8601 date'],
    [['journal', 'replay', '--since', '2025-02-29T10:00+03:00'], '--since: expected an ISO 8601 date'],
    [['journal', 'prune', '--dry-run'], 'journal prune --dry-run: not supported'],
    [['journal', 'replay'], 'give at least one filter'],
    [
      ['journal', 'list', '--order', 'K'.repeat(MAX_ORDER_ID_LENGTH + 1)],
      `--order: expected an order key of 1 to ${MAX_ORDER_ID_LENGTH} characters`,
    ],
    [
      ['review', 'clear', '--order', longKey, '--note', 'x'],
      `--order: an order key has at most ${MAX_ORDER_ID_LENGTH} characters; this one has 100000`,
    ],
    [['personal-data', 'erase', '--order', longKey, '--note', 'x'], `at most ${MAX_ORDER_ID_LENGTH} characters`],
    [['review', 'clear', '--order', 'A1'], '--note: say who asked and why'],
    [['review', 'clear', '--order', 'A1', '--note', 'n'.repeat(1001)], '--note: at most 1000 characters'],
    [['migrate', 'now'], 'too many arguments'],
    [['journal', 'list', '--\u001b[2Jx'], "unknown option '--\\x1b[2Jx'"],
    [['launch'], "unknown command 'launch'"],
    // --json is declared on journal list, stats and replay only; list takes no --dry-run.
    [['journal', 'prune', '--json'], "unknown option '--json'"],
    [['review', 'clear', '--order', 'A1', '--note', 'x', '--json'], "unknown option '--json'"],
    [['personal-data', 'erase', '--order', 'A1', '--note', 'x', '--json'], "unknown option '--json'"],
    [['journal', 'list', '--dry-run', '--json'], "unknown option '--dry-run'"],
    [['journal', 'replay', '--json'], 'give at least one filter'],
    [['journal', 'stats', '--json', 'tables'], 'too many arguments'],
  ]

  it('refuses an unknown option, a repeated single-valued option, an impossible date, an impossible key, prune --dry-run: exit 2, a clear message, nothing opened', async () => {
    for (const [args, message] of refusals) {
      for (const store of ['domino-db', 'sqlite']) {
        const before = tripwire.connections()
        const run = await inProcess(args, { ...env, STORE: store })
        const what = `${args.join(' ').slice(0, 80)} (STORE=${store})`
        expect(run.code, `${what}: ${run.stderr}`).to.equal(2)
        expect(run.stderr, what).to.contain(message)
        expect(run.stdout, what).to.equal('')
        expect(run.stderr.length, `${what}: the refusal quotes the whole key`).to.be.lessThan(2000)
        touchedNothing(run, what, before)
      }
    }
  })

  it('names a bad configuration (exit 2) before it opens anything', async () => {
    const before = tripwire.connections()
    const run = await inProcess(['journal', 'list'], { ...env, STORE: 'domino-db', DOMINO_DB_POOL_MAX: 'many' })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('configuration error:').and.contain('DOMINO_DB_POOL_MAX')
    touchedNothing(run, 'journal list with a bad DOMINO_DB_POOL_MAX', before)
    for (const args of [['serve'], ['migrate'], ['journal', 'prune']]) {
      const bad = await inProcess(args, {
        ...env,
        STORE: 'domino-db',
        DOMINO_DB_PORT: '70000',
        ADMIN_TOKEN_FILE: join(home, 'no-such-token'),
      })
      expect(bad.code, args.join(' ')).to.equal(2)
      expect(bad.stderr).to.contain('DOMINO_DB_PORT: expected a whole number from 1 to 65535')
      expect(bad.stderr).to.contain(
        `ADMIN_TOKEN_FILE: cannot read the file ${JSON.stringify(join(home, 'no-such-token'))} (ENOENT)`,
      )
      touchedNothing(bad, `${args.join(' ')} with a bad DOMINO_DB_PORT`, before)
    }
  })

  it('fails a command at once (exit 1) when the database cannot be reached, instead of waiting for it as serve does', async () => {
    const before = tripwire.connections()
    const run = await runCli(['journal', 'list'], { ...env, STORE: 'domino-db' })
    expect(run.code, run.stderr).to.equal(1)
    // The tripwire does see a command that connects: the checks above that it saw nothing can fail.
    expect(tripwire.connections()).to.be.greaterThan(before)
    expect(run.stderr).to.contain('cannot connect to SQL Server 127.0.0.1')
    expect(run.stderr).to.not.contain('Password')
  })

  it('escapes every control character a request brought into journal list and journal replay: no forged line, no ANSI', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hook-cli-escape-'))
    try {
      const forged = '\n#9999  2026-05-24T00:00:00.000Z  H1  order.created  created  200  body kept'
      const store = await openSqliteStore({ path: join(dir, 'orders.sqlite') })
      const entry = (over: Partial<JournalEntry>): JournalEntry => ({
        requestId: randomUUID(),
        receivedAt: new Date(),
        eventType: 'order.paid',
        originalOrderId: 'H1',
        rawBody: '{"event_type":"order.courier-\\u001b[2J","payload":{"originalOrderId":"H1"}}',
        outcome: 'ignored',
        httpStatus: 200,
        durationMs: 1,
        detail: null,
        ...over,
      })
      const entries = [
        entry({ eventType: `order.courier${forged}\u001b[2J\u001b[H` }),
        entry({ originalOrderId: `H1\u001b]0;owned\u0007${forged}\u202e` }),
        entry({ outcome: 'rejected', httpStatus: 400, detail: `bad key${forged}\r\u001b[2K\u009b31m` }),
      ]
      for (const e of entries) {
        const id = await store.repository.recordJournal(e)()
        if (E.isLeft(id)) throw new Error(id.left.reason)
      }
      await store.close()
      const cliEnv = { STORE: 'sqlite', DATA_DIR: dir }
      const listed = await runCli(['journal', 'list'], cliEnv)
      expect(listed.code, listed.stderr).to.equal(0)
      const lines = listed.stdout.split('\n').filter((line) => line !== '')
      expect(lines).to.have.length(1 + entries.length + 1)
      expect(lines.filter((line) => line.startsWith('#'))).to.have.length(entries.length)
      expect(lines.at(-1)).to.equal(`${entries.length} entries`)
      expect(CONTROL.test(listed.stdout)).to.equal(false)
      expect(listed.stdout).to.contain('order.courier\\x0a#9999  2026-05-24T00:00:00.000Z')
      expect(listed.stdout)
        .to.contain('\\x1b[2J\\x1b[H')
        .and.contain('H1\\x1b]0;owned\\x07')
        .and.contain('\\u202e')
        .and.contain('\\x0d\\x1b[2K\\x9b31m')

      const replayed = await runCli(['journal', 'replay', '--id', '1', '--id', '2', '--id', '3', '--dry-run'], cliEnv)
      expect(replayed.code, replayed.stderr).to.equal(0)
      expect(CONTROL.test(replayed.stdout)).to.equal(false)
      expect(replayed.stdout.split('\n').filter((line) => line.startsWith('#'))).to.have.length(entries.length)
      expect(replayed.stdout).to.contain('Nothing was changed.')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  const url = process.env['DOMINO_DB_TEST_URL']
  if (url === undefined || url.trim() === '') {
    it('opens one connection at a time for a command on SQL Server: pending, DOMINO_DB_TEST_URL is not set')
    return
  }

  it('opens one connection at a time for a command on SQL Server (mssql probes with one first), where serve warms its whole pool', async () => {
    const schema = `sm_test_${randomBytes(5).toString('hex')}`
    const parsed = parseDominoDbSettings({ DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema })
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    const settings = parsed.right
    await migrate(settings)
    const proxy = await startGate({ host: settings.server, port: settings.port ?? 1433 }, { open: true })
    try {
      const proxied = {
        STORE: 'domino-db',
        DOMINO_DB_SERVER: `127.0.0.1,${proxy.port}`,
        DOMINO_DB_DATABASE: settings.database,
        DOMINO_DB_USER: settings.user,
        DOMINO_DB_PASSWORD: settings.password,
        DOMINO_DB_ENCRYPT: String(settings.encrypt),
        DOMINO_DB_TRUST_SERVER_CERTIFICATE: String(settings.trustServerCertificate),
        DOMINO_DB_SCHEMA: schema,
      }
      for (const args of [
        ['journal', 'list'],
        ['journal', 'stats'],
        ['review', 'clear', '--order', 'NO-SUCH', '--note', 'test'],
      ]) {
        const before = proxy.connections()
        const started = performance.now()
        const run = await runCli(args, proxied)
        expect(run.code, `${args.join(' ')}: ${run.stderr}`).to.equal(args[0] === 'review' ? 1 : 0)
        const opened = proxy.connections() - before
        console.log(
          `      ${args.join(' ')}: ${opened} connection(s), at most ${proxy.peak()} open at once, ${Math.round(performance.now() - started)} ms`,
        )
        // mssql's connect() opens a probe connection and closes it before its pool opens the one the command uses
        // (node_modules/mssql/lib/base/connection-pool.js, _connect): two logins, one after the other, never two at once.
        expect(opened, args.join(' ')).to.be.within(1, 2)
        expect(proxy.peak(), args.join(' ')).to.equal(1)
      }
    } finally {
      await proxy.close()
      await dropTestSchema(settings)
    }
  })
})
