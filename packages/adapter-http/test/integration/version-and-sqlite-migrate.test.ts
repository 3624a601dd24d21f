import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { readBuildInfo } from '@domino-sm/adapter-http'
import { runCli } from '../support/spawn-cli.js'

describe('command line: --version and migrate on SQLite', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sm-cli-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  for (const flag of ['--version', '-V']) {
    it(`\`${flag}\` prints the version and the commit of build-info.json, and exits 0`, async () => {
      const { version, commit } = readBuildInfo()
      const run = await runCli([flag])
      expect(run.code).to.equal(0)
      expect(run.stdout).to.equal(`domino-sbermarket-hook ${version} (commit ${commit})\n`)
    })
  }

  it('`migrate` with STORE=sqlite creates and migrates the file under DATA_DIR, then finds nothing to apply', async () => {
    const first = await runCli(['migrate'], { STORE: 'sqlite', DATA_DIR: dir })
    expect(first.stderr).to.equal('')
    expect(first.code).to.equal(0)
    expect(first.stdout).to.match(/^sqlite .*orders\.sqlite: applied 1, 2, /)
    expect(existsSync(join(dir, 'orders.sqlite'))).to.equal(true)
    const again = await runCli(['migrate'], { STORE: 'sqlite', DATA_DIR: dir })
    expect(again.code).to.equal(0)
    expect(again.stdout).to.match(/orders\.sqlite: nothing to apply\n$/)
  })

  it('`migrate` with STORE=memory says there is nothing to migrate and exits 2', async () => {
    const run = await runCli(['migrate'], { STORE: 'memory', DATA_DIR: dir })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('STORE=memory keeps no schema')
  })

  it('`migrate` without STORE and without a Domino database creates no SQLite file: it names the missing setting and exits 2', async () => {
    const run = await runCli(['migrate'], { DATA_DIR: dir })
    expect(run.code).to.equal(2)
    expect(run.stderr).to.contain('configuration error:')
    expect(run.stderr).to.contain(
      'the SQL Server host is missing: set DOMINO_DB_URL (the connection string) or DOMINO_DB_SERVER',
    )
    expect(existsSync(join(dir, 'orders.sqlite'))).to.equal(false)
  })
})
