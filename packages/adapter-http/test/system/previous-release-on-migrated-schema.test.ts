import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseDominoDbSettings } from '@domino-sm/adapter-domino-db'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { dropTestSchema } from '../support/sql-server-schema.js'
import { fetchOrder } from './support/admin-client.js'
import { postHook, REPO_ROOT, runCommand, startServe } from './support/installed-service.js'

/**
 * The previous builds an instance may still run while the current `migrate` runs: the previous release, the last
 * landed commit before this release's work (README, "Upgrading"), on both stores; and, on SQL Server, the last tree
 * that sends the connection guard as text before each procedure call (the procedures of migrations 0011-0013), which
 * must keep serving once migration 0014 has put the same guard inside those procedures.
 */
const PREVIOUS_BUILDS: readonly {
  readonly commit: string
  readonly what: string
  readonly stores: readonly ('sqlite' | 'domino-db')[]
}[] = [
  { commit: 'b6414cc', what: 'the previous release', stores: ['sqlite', 'domino-db'] },
  {
    commit: '8a2b2b9',
    what: 'the tree before migration 0014, which sends the guard before each procedure call',
    stores: ['domino-db'],
  },
]
/** The packages of a running service; the previous release is built from their sources at that commit. */
const SERVICE_PACKAGES = ['core', 'store-memory', 'adapter-sqlite', 'adapter-domino-db', 'adapter-http']
const TOKEN = randomBytes(24).toString('base64url')
const ADMIN = randomBytes(24).toString('base64url')
const CURRENT_CLI = join(REPO_ROOT, 'packages/adapter-http/dist/cli/main.js')

/**
 * The upgrade's promise (README, "Upgrading"; docs/domino-integration.md §3): migrations only add, so `migrate` runs
 * first and the instances are then rolled one by one, the old ones still serving on the migrated schema. Here the
 * previous release's service packages are exported from git (`git archive`), compiled with today's compiler against
 * today's node_modules (its own packages linked in place of today's), and its `serve` keeps serving while the CURRENT
 * `migrate` runs beside it (`rollingUpgrade` below). It prints how many migrations each release ships: while they are
 * the same, the test shows the procedure runs, and the first new migration is what it then checks.
 */
for (const { commit: PREVIOUS_RELEASE, what, stores } of PREVIOUS_BUILDS)
  describe(`${what} (${PREVIOUS_RELEASE}) serves on a schema migrated by this one`, function () {
    this.timeout(10 * 60 * 1000)
    let work: string
    let previousCli: string

    before(async function () {
      const known = await runCommand('git', ['cat-file', '-e', `${PREVIOUS_RELEASE}^{commit}`], { cwd: REPO_ROOT })
      if (known.code !== 0) {
        console.log(
          `      pending: commit ${PREVIOUS_RELEASE} is not in this clone (a shallow clone?); fetch the history (git fetch --unshallow) to run it`,
        )
        this.skip()
      }
      work = mkdtempSync(join(tmpdir(), 'sm-previous-'))
      const previous = join(work, 'previous')
      mkdirSync(previous)
      const archive = join(work, 'previous.tar')
      const exported = await runCommand(
        'git',
        [
          'archive',
          '--format=tar',
          '-o',
          archive,
          PREVIOUS_RELEASE,
          'tsconfig.base.json',
          ...SERVICE_PACKAGES.map((p) => `packages/${p}`),
        ],
        { cwd: REPO_ROOT },
      )
      if (exported.code !== 0) throw new Error(`git archive: ${exported.stderr}`)
      const unpacked = await runCommand('tar', ['-xf', archive, '-C', previous])
      if (unpacked.code !== 0) throw new Error(`tar: ${unpacked.stderr}`)
      // Today's dependencies, with the previous release's own packages as @domino-sm/*.
      const modules = join(previous, 'node_modules')
      mkdirSync(join(modules, '@domino-sm'), { recursive: true })
      for (const entry of readdirSync(join(REPO_ROOT, 'node_modules'))) {
        if (entry !== '@domino-sm' && entry !== '.bin' && !entry.startsWith('.'))
          symlinkSync(join(REPO_ROOT, 'node_modules', entry), join(modules, entry))
      }
      for (const pkg of SERVICE_PACKAGES) symlinkSync(join(previous, 'packages', pkg), join(modules, '@domino-sm', pkg))
      const started = Date.now()
      const built = await runCommand(
        process.execPath,
        [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/adapter-http/tsconfig.json'],
        { cwd: previous },
      )
      if (built.code !== 0)
        throw new Error(
          `the previous release does not compile against today's dependencies:\n${built.stdout}${built.stderr}`,
        )
      console.log(`      ${PREVIOUS_RELEASE} exported and compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`)
      previousCli = join(previous, 'packages/adapter-http/dist/cli/main.js')
      const domino = (root: string): number =>
        readdirSync(join(root, 'packages/adapter-domino-db/migrations')).filter((f) => /^\d{4}_\w+\.sql$/.test(f))
          .length
      const sqlite = (root: string): number =>
        readdirSync(join(root, 'packages/adapter-sqlite/src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
          /(^|\/)\d{3}-[a-z0-9-]+\.ts$/.test(f),
        ).length
      console.log(
        `      migrations shipped: Domino ${domino(previous)} in ${PREVIOUS_RELEASE}, ${domino(REPO_ROOT)} now; SQLite ${sqlite(previous)} in ${PREVIOUS_RELEASE}, ${sqlite(REPO_ROOT)} now`,
      )
    })

    after(() => {
      if (work !== undefined) rmSync(work, { recursive: true, force: true })
    })

    /**
     * The upgrade as README "Upgrading" runs it, on the store `env` names: an instance of the previous release serving on
     * its own schema (made by its own `migrate`, or on SQLite by its first open of the file); the CURRENT `migrate` while
     * it serves; then that instance creates, pays and repeats an order. Then an instance of the previous release started
     * only now, on the migrated schema (one restarted during the roll, or a roll back): it serves and reads the order,
     * except on SQLite when the current migrate applied a SQLite migration, where it must refuse with the store's own
     * message (README, "Upgrading", the SQLite limit). Last, the current serve reads the order back and delivers it
     * (on SQL Server through the status write's procedure, migration 0012), answers SberMarket's retry of its
     * order.created and creates a new order (on SQL Server request 1 of both is the procedure of migration 0013). Built
     * at the tree before migration 0014, the previous instance's create, payment and retry are its text guard, then the
     * call of a procedure that 0014 altered beside it to open with the same guard; the current serve calls them alone.
     */
    const rollingUpgrade = async (env: NodeJS.ProcessEnv, store: 'sqlite' | 'domino-db'): Promise<void> => {
      if (store === 'domino-db') {
        const own = await runCommand(process.execPath, [previousCli, 'migrate'], { cwd: work, env })
        expect(own.code, own.stderr).to.equal(0)
      }
      const key = uniqueOrderId('PREV')
      const expected = (number: string) => ({ originalOrderId: key, number, status: 'paid' })
      let number: string
      let appliedNow: string
      const old = await startServe(process.execPath, [previousCli, 'serve'], work, env)
      try {
        const migrated = await runCommand(process.execPath, [CURRENT_CLI, 'migrate'], { cwd: work, env })
        expect(migrated.code, migrated.stderr).to.equal(0)
        appliedNow = migrated.stdout.trim()
        console.log(`      ${store}: the current migrate, beside a serving ${PREVIOUS_RELEASE}: ${appliedNow}`)
        const created = await postHook(old.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)
        expect(created.status, JSON.stringify(created.json)).to.equal(200)
        number = (created.json as { number: string }).number
        expect(created.json).to.deep.equal({ status: 'created', number })
        expect((await postHook(old.hookUrl, TOKEN, statusBody('order.paid', key).body)).status).to.equal(200)
        expect(await postHook(old.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)).to.deep.equal({
          status: 200,
          json: { status: 'created', number },
        })
        expect(await fetchOrder(old.adminOrigin, ADMIN, key)).to.include(expected(number))
      } finally {
        await old.stop()
      }
      if (store === 'sqlite' && !appliedNow.endsWith('nothing to apply')) {
        const refusal = await startServe(process.execPath, [previousCli, 'serve'], work, env).then(
          async (started) => {
            await started.stop()
            return 'it started'
          },
          (error: Error) => error.message,
        )
        expect(refusal).to.match(/this code knows up to/)
      } else {
        const restarted = await startServe(process.execPath, [previousCli, 'serve'], work, env)
        try {
          expect(await fetchOrder(restarted.adminOrigin, ADMIN, key)).to.include(expected(number))
        } finally {
          await restarted.stop()
        }
      }
      const current = await startServe(process.execPath, [CURRENT_CLI, 'serve'], work, env)
      try {
        expect(await fetchOrder(current.adminOrigin, ADMIN, key)).to.include(expected(number))
        // This release's own status event on the order the previous release paid (on SQL Server the procedures
        // hook_read_state_for_update of migration 0015 and hook_status_write of 0012, which the current migrate added
        // beside the serving instance).
        expect((await postHook(current.hookUrl, TOKEN, statusBody('order.delivered', key).body)).status).to.equal(200)
        expect(await fetchOrder(current.adminOrigin, ADMIN, key)).to.include({
          ...expected(number),
          status: 'delivered',
        })
        // This release's request 1 of a create (on SQL Server the procedure hook_probe_create of migration 0013): the
        // retry of the order the previous release created, then a new order.
        expect(await postHook(current.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: key }).body)).to.deep.equal({
          status: 200,
          json: { status: 'created', number },
        })
        const newKey = uniqueOrderId('NEXT')
        const next = await postHook(current.hookUrl, TOKEN, orderCreatedBody({ originalOrderId: newKey }).body)
        expect(next.status, JSON.stringify(next.json)).to.equal(200)
        expect((next.json as { status: string }).status).to.equal('created')
        expect((next.json as { number: string }).number).to.not.equal(number)
      } finally {
        await current.stop()
      }
    }

    const baseEnv = (settings: Readonly<Record<string, string>>): NodeJS.ProcessEnv => ({
      PATH: process.env['PATH'] ?? '',
      PORT: '0',
      INTERNAL_PORT: '0',
      SBERMARKET_HOOK_TOKENS: TOKEN,
      ADMIN_TOKEN: ADMIN,
      ...settings,
    })

    if (stores.includes('sqlite'))
      it('on SQLite: the current migrate beside a serving previous release, which then creates, pays and repeats an order', async () => {
        await rollingUpgrade(baseEnv({ STORE: 'sqlite', DATA_DIR: join(work, 'data') }), 'sqlite')
      })

    if (stores.includes('domino-db'))
      it('on SQL Server (DOMINO_DB_TEST_URL): the current migrate beside a serving previous release, which then creates, pays and repeats an order', async function () {
        const url = process.env['DOMINO_DB_TEST_URL']
        if (url === undefined || url.trim() === '') {
          console.log(
            '      pending: DOMINO_DB_TEST_URL names no SQL Server (docs/domino-integration.md; .ci/run sets it)',
          )
          this.skip()
        }
        const schema = `sm_test_${randomBytes(5).toString('hex')}`
        const settings = parseDominoDbSettings({ DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema })
        if (E.isLeft(settings)) throw new Error(settings.left.join('; '))
        const env = baseEnv({
          STORE: 'domino-db',
          DOMINO_DB_URL: url ?? '',
          DOMINO_DB_SCHEMA: schema,
          DATA_DIR: join(work, 'data-sql'),
        })
        try {
          await rollingUpgrade(env, 'domino-db')
        } finally {
          await dropTestSchema(settings.right)
        }
      })
  })
