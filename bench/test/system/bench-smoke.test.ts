import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'

/**
 * `npm run bench` in its smoke mode (`--smoke`, bench/src/bench-options.ts): every scenario for about a second on every
 * store, so that a change that breaks the benchmark (a migration its SQL Server floor does not write, a scenario that
 * errors, a server child that dies) fails `npm test` instead of waiting for the next person who runs it. No figure is
 * asserted: only that each scenario and floor ran, and answered every request with a 2xx.
 */
const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))
const DECODE_COST = fileURLToPath(new URL('../../dist/decode-cost.js', import.meta.url))
const CONSOLE_PAGES = fileURLToPath(new URL('../../dist/console-pages.js', import.meta.url))
const LINES_PARAMETER_COST = fileURLToPath(new URL('../../dist/lines-parameter-cost.js', import.meta.url))

/** Not a time bound on the bench: a guard that turns a hung child into a failure that says so. */
const HANG_GUARD_MS = 12 * 60_000

interface BenchRun {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a built bench script as a child process; the database URL, if any, goes in its environment, never in argv. */
const runScript = (script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<BenchRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const guard = setTimeout(() => child.kill('SIGKILL'), HANG_GUARD_MS)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal, stdout, stderr })
    })
  })

const runBench = (args: readonly string[], env: NodeJS.ProcessEnv): Promise<BenchRun> => runScript(MAIN, args, env)

/** The environment without any database URL: the domino-db scenarios are skipped unless a test adds one. */
const envWithout = (...names: string[]): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !names.includes(name)))

/** Why a run failed, in words: its exit, its failed checks and the end of what it wrote to stderr. */
const failure = (run: BenchRun): string => {
  const checks = run.stdout.split('\n').filter((l) => l.startsWith('checks:') || l.startsWith('- '))
  return `the bench exited with ${String(run.code)} (signal ${String(run.signal)}):\n${checks.join('\n')}\nstderr:\n${run.stderr.slice(-3000)}`
}

/** Every row of `name` in the Markdown tables of the bench's output, as cells by column header. */
const rowsOf = (stdout: string, name: string): Readonly<Record<string, string>>[] => {
  const rows: Record<string, string>[] = []
  let header: string[] = []
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('|')) {
      header = []
      continue
    }
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim())
    if (header.length === 0) header = cells
    else if (cells[0] === name) rows.push(Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])))
  }
  return rows
}

/** The first row of `name` in the Markdown tables of the bench's output. */
const row = (stdout: string, name: string): Readonly<Record<string, string>> | undefined => rowsOf(stdout, name)[0]

/** Every named row is there and answered requests, all of them 2xx and without errors. */
const expectAnswered = (run: BenchRun, names: readonly string[], column = 'requests'): void => {
  for (const name of names) {
    const cells = row(run.stdout, name)
    expect(cells, `no row for "${name}" in the bench's output`).to.not.equal(undefined)
    expect(Number(cells?.[column]), `${name}: ${column}`).to.be.greaterThan(0)
    if (cells?.['non-2xx'] !== undefined && cells['non-2xx'] !== '-')
      expect(cells['non-2xx'], `${name}: non-2xx`).to.equal('0')
    if (cells?.['errors'] !== undefined) expect(cells['errors'], `${name}: errors`).to.equal('0')
  }
}

const HOOK_SCENARIOS = ['order.created, unique', 'order.created, repeated', 'status events']

/** A loopback port nothing listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

describe('the benchmark, smoke run (bench/dist/main.js --smoke)', function () {
  this.timeout(HANG_GUARD_MS + 60_000)

  it('runs the references, the baseline, the memory and SQLite scenarios, the SQLite floor and the RSS runs', async () => {
    const run = await runBench(['--smoke'], envWithout('BENCH_DOMINO_DB_URL'))
    expect(run.code, failure(run)).to.equal(0)
    expect(run.stdout).to.include('checks: passed')
    expect(run.stdout).to.include('domino-db: skipped')
    expectAnswered(run, [
      'reference: bare node:http, body read',
      'reference: bare Koa route, body unread',
      'baseline: Koa + router + bodyparser, JSON parsed',
      ...HOOK_SCENARIOS.map((s) => `hook memory: ${s}`),
      ...HOOK_SCENARIOS.map((s) => `hook sqlite: ${s}`),
    ])
    expectAnswered(run, ['1', '32'], 'orders')
    expectAnswered(run, ['hook memory: order.created, repeated', 'hook sqlite: order.created, repeated'])
  })

  it('runs the SQL Server scenarios and their floors (DOMINO_DB_TEST_URL)', async function () {
    const url = process.env['DOMINO_DB_TEST_URL']
    if (url === undefined || url.trim() === '') {
      // Pending, not passed: the SQL Server scenarios need a T-SQL server; .ci/run provides one.
      console.log('    (DOMINO_DB_TEST_URL is not set: the SQL Server scenarios of the bench did not run)')
      this.skip()
    }
    const env = { ...envWithout('DOMINO_DB_TEST_URL'), BENCH_DOMINO_DB_URL: url }
    const run = await runBench(['--smoke', '--only', 'domino-db', '--floor-orders', '0', '--rss-requests', '0'], env)
    expect(run.code, failure(run)).to.equal(0)
    expect(run.stdout).to.include('checks: passed: 4 scenarios, 3 domino-db floors')
    expectAnswered(
      run,
      HOOK_SCENARIOS.map((s) => `hook domino-db: ${s}`),
    )
    expectAnswered(
      run,
      HOOK_SCENARIOS.map((s) => `floor (plain mssql): ${s}`),
    )
  })

  it('fails, and says why, when a scenario cannot run (a SQL Server nobody listens on)', async () => {
    const port = await closedPort()
    const url = `Server=127.0.0.1,${port};Database=none;User Id=nobody;Password=none;Encrypt=false;TrustServerCertificate=true`
    const env = { ...envWithout('DOMINO_DB_TEST_URL'), BENCH_DOMINO_DB_URL: url }
    const run = await runBench(
      ['--smoke', '--only', 'domino-db: status', '--floor-orders', '0', '--rss-requests', '0'],
      env,
    )
    expect(run.code).to.equal(1)
    expect(run.stderr).to.match(/bench: Error: migrating bench_\w+ with .* failed/)
    expect(run.stdout).to.not.include('checks: passed')
  })

  it('refuses a bad option with exit code 2 and names it', async () => {
    const run = await runBench(['--smoke', '--connections', 'many'], envWithout('BENCH_DOMINO_DB_URL'))
    expect(run.code).to.equal(2)
    expect(run.stderr).to.include('--connections must be a number of at least 1, got "many"')
  })

  it('runs decode-cost.js on a few bodies of both key forms', async () => {
    for (const keys of ['string', 'integer']) {
      const run = await runScript(DECODE_COST, ['--bodies', '200', '--rounds', '1', '--keys', keys], envWithout())
      expect(run.code, failure(run)).to.equal(0)
      expect(run.stdout).to.match(/decodeHookBody over 200 bodies/)
      expect(run.stdout).to.match(/us per body/)
    }
  })

  it('runs lines-parameter-cost.js on a few orders of 5 and 200 lines (DOMINO_DB_TEST_URL)', async function () {
    const url = process.env['DOMINO_DB_TEST_URL']
    if (url === undefined || url.trim() === '') {
      // Pending, not passed: the tool needs a T-SQL server; .ci/run provides one.
      console.log('    (DOMINO_DB_TEST_URL is not set: lines-parameter-cost.js did not run)')
      this.skip()
    }
    const env = { ...envWithout('DOMINO_DB_TEST_URL'), BENCH_DOMINO_DB_URL: url }
    const args = ['--lines', '5,200', '--orders', '4', '--warmup-orders', '1', '--pool', '2', '--concurrency', '2']
    const run = await runScript(LINES_PARAMETER_COST, args, env)
    // The tool's own verdict: every way the server has wrote the store's values (a known fault of the server's,
    // reported as such, does not fail it); exit 1 when a supported way failed or wrote other values.
    expect(run.code, `${failure(run)}\nstdout:\n${run.stdout}`).to.equal(0)
    expect(run.stdout).to.include('checks: passed')
    for (const lines of ['5', '200']) {
      const scalar = rowsOf(run.stdout, '(a) typed scalar parameters').find((r) => r['lines'] === lines)
      expect(scalar?.['rows'], `(a) at ${lines} lines`).to.match(/^exact \(\d+ values\)$/)
      expect(Number(scalar?.['orders/s']), `(a) at ${lines} lines: orders/s`).to.be.greaterThan(0)
    }
    // (b) and (c) each either measured, with its rows checked, or reported as not supported by this server.
    for (const way of ['(b) table-valued parameter', '(c) one JSON parameter']) {
      const rows = rowsOf(run.stdout, way)
      if (rows.length === 0) expect(run.stdout, way).to.include(`- ${way}: NOT SUPPORTED here`)
      // A server that failed the tool's TVP probe (the T-SQL engine) has what its TVP wrote reported, not failed.
      else
        for (const r of rows)
          expect(r['rows'], way).to.match(
            /^(exact \(|WRONG: JSON escapes kept in \d+ |WRONG \(this server's TVP\): |FAILED \(this server's TVP\): )/,
          )
    }
  })

  it('refuses lines-parameter-cost.js without a database or with a bad option, exit code 2', async () => {
    const noUrl = await runScript(LINES_PARAMETER_COST, [], envWithout('BENCH_DOMINO_DB_URL'))
    expect(noUrl.code).to.equal(2)
    expect(noUrl.stderr).to.include('BENCH_DOMINO_DB_URL is not set')
    const badLines = await runScript(LINES_PARAMETER_COST, ['--lines', '5,x'], envWithout('BENCH_DOMINO_DB_URL'))
    expect(badLines.code).to.equal(2)
    expect(badLines.stderr).to.include('--lines must be a whole number from 1 to 4000, got "x"')
  })

  it('runs console-pages.js on a small journal: every page answers 200', async () => {
    const run = await runScript(CONSOLE_PAGES, ['--entries', '200', '--orders', '20', '--runs', '1'], envWithout())
    expect(run.code, failure(run)).to.equal(0)
    for (const page of [
      'Today (page)',
      'Today (API)',
      'Order (API)',
      'Journal, first page (page)',
      'Journal entry with body (page)',
    ]) {
      expect(row(run.stdout, page), `no row for "${page}"`).to.not.equal(undefined)
    }
  })
})
