import { chmod, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'chai'
import { SECRET_NAMES } from '@domino-sm/adapter-http'
import { findExecutable } from '../support/find-executable.js'
import { runCommand } from '../system/support/installed-service.js'

const SYSTEMD_DIR = fileURLToPath(new URL('../../../../deploy/systemd/', import.meta.url))
const LAUNCHER = fileURLToPath(new URL('../../../../scripts/release/launcher.sh', import.meta.url))
const UNIT = 'domino-sbermarket-hook@.service'
/** The highest overall exposure `systemd-analyze security` may give the unit (0 is the best, 10 the worst). */
const MAX_EXPOSURE = 2.5
const SYSTEMD_INSTALL = 'apt-get install -y --no-install-recommends systemd'

/**
 * deploy/systemd, checked by systemd's own tools offline (no running systemd is needed): `systemd-analyze verify`
 * and `security --offline=true` on an instance of the template, in a scratch root that holds the host's own
 * system units (the default dependencies every service has) and the release's launcher where the unit runs it;
 * `systemd-sysusers` creates the service's user in another scratch root.
 */
describe('the systemd units in deploy/systemd (systemd-analyze)', () => {
  let analyze: string | undefined
  let root: string

  before(async function () {
    analyze = findExecutable('systemd-analyze', 'SYSTEMD_ANALYZE_BIN', '/usr/bin/systemd-analyze')
    if (analyze === undefined) {
      console.log(
        `      skipped: the unit checks need systemd-analyze (none on the PATH, SYSTEMD_ANALYZE_BIN unset). Install Debian's package with \`${SYSTEMD_INSTALL}\` (.ci/run does).`,
      )
      this.skip()
    }
    root = await mkdtemp(join(tmpdir(), 'sm-systemd-'))
    await cp('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true })
    await mkdir(join(root, 'etc/systemd/system'), { recursive: true })
    await cp(join(SYSTEMD_DIR, UNIT), join(root, 'etc/systemd/system', UNIT))
    const bin = join(root, 'opt/domino-sbermarket-hook/current/bin')
    await mkdir(bin, { recursive: true })
    await cp(LAUNCHER, join(bin, 'domino-sbermarket-hook'))
    await chmod(join(bin, 'domino-sbermarket-hook'), 0o755)
  })

  after(async () => {
    if (root !== undefined) await rm(root, { recursive: true, force: true })
  })

  const tool = (): string => {
    if (analyze === undefined) throw new Error('systemd-analyze missing')
    return analyze
  }

  it('`systemd-analyze verify` finds nothing to say about an instance of the template', async () => {
    const run = await runCommand(tool(), ['verify', `--root=${root}`, 'domino-sbermarket-hook@8081.service'])
    console.log(
      `      systemd-analyze verify: exit ${run.code}, ${run.stdout.length + run.stderr.length} characters of findings`,
    )
    expect(run.stderr + run.stdout).to.equal('')
    expect(run.code).to.equal(0)
  })

  it(`\`systemd-analyze security --offline=true\` rates the unit's exposure ${MAX_EXPOSURE} or lower`, async () => {
    const run = await runCommand(tool(), [
      'security',
      '--offline=true',
      `--root=${root}`,
      '--no-pager',
      'domino-sbermarket-hook@8081.service',
    ])
    const match = /Overall exposure level for domino-sbermarket-hook@8081\.service: (\d+(?:\.\d+)?)/.exec(run.stdout)
    expect(match, `no overall exposure in:\n${run.stdout}\n${run.stderr}`).to.not.equal(null)
    const exposure = Number(match?.[1])
    const open = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('✗'))
      .map((line) => line.replace(/\s{2,}.*$/, ''))
    console.log(`      overall exposure ${exposure} (open: ${open.join(', ')})`)
    expect(exposure).to.be.at.most(MAX_EXPOSURE)
  })

  it('runs as its own user, restarts on failure, stops within TimeoutStopSec above the default SHUTDOWN_GRACE_MS, and takes its secrets as credentials', async () => {
    const unit = await readFile(join(SYSTEMD_DIR, UNIT), 'utf8')
    const settings = (name: string): string[] =>
      [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1] ?? '')
    expect(settings('User')).to.deep.equal(['domino-sbermarket-hook'])
    expect(settings('Restart')).to.deep.equal(['on-failure'])
    expect(settings('CapabilityBoundingSet')).to.deep.equal([''])
    expect(settings('ProtectSystem')).to.deep.equal(['strict'])
    const stopSeconds = Number(settings('TimeoutStopSec')[0])
    const env = await readFile(join(SYSTEMD_DIR, 'hook.env.example'), 'utf8')
    const graceMs = Number(/^SHUTDOWN_GRACE_MS=(\d+)$/m.exec(env)?.[1])
    expect(graceMs).to.equal(10000) // the service's default (README, "Configuration"), written out in the template
    expect(stopSeconds * 1000).to.be.greaterThan(graceMs)
    expect(/^STORE=domino-db$/m.test(env)).to.equal(true)
    // Each secret the configuration resolves (SECRET_NAMES), from the credential store under its own variable's name,
    // and never from an environment file.
    expect(SECRET_NAMES).to.include('OPERATOR_TOKENS')
    for (const secret of SECRET_NAMES) {
      expect(settings('LoadCredential')).to.include(`${secret}:domino-sbermarket-hook.${secret}`)
      expect(new RegExp(`^${secret}=`, 'm').test(env), secret).to.equal(false)
    }
  })

  it('`systemd-sysusers` creates the service user, with no login shell, from the sysusers.d file', async function () {
    const sysusers = findExecutable('systemd-sysusers', 'SYSTEMD_SYSUSERS_BIN', '/usr/bin/systemd-sysusers')
    if (sysusers === undefined) {
      console.log(`      skipped: needs systemd-sysusers. Install Debian's package with \`${SYSTEMD_INSTALL}\`.`)
      this.skip()
    }
    const target = await mkdtemp(join(tmpdir(), 'sm-sysusers-'))
    try {
      await mkdir(join(target, 'etc'))
      const run = await runCommand(sysusers ?? '', [
        `--root=${target}`,
        join(SYSTEMD_DIR, 'domino-sbermarket-hook.sysusers.conf'),
      ])
      expect(run.code, run.stderr).to.equal(0)
      const passwd = await readFile(join(target, 'etc/passwd'), 'utf8')
      expect(passwd).to.match(
        /^domino-sbermarket-hook:x:\d+:\d+:[^:]*:\/var\/lib\/domino-sbermarket-hook:\/usr\/sbin\/nologin$/m,
      )
      expect(await readFile(join(target, 'etc/group'), 'utf8')).to.match(/^domino-sbermarket-hook:x:\d+:$/m)
    } finally {
      await rm(target, { recursive: true, force: true })
    }
  })
})
