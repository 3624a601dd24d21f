import { randomBytes } from 'node:crypto'
import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseDominoDbSettings } from '@domino-sm/adapter-domino-db'
import { runCli } from '../support/spawn-cli.js'
import { dropTestSchema } from '../support/sql-server-schema.js'

const NO_DATABASE = {
  DOMINO_DB_URL: 'Server=db.example,1433;Database=Domino;User Id=admin;Password=p',
  DOMINO_DB_SCHEMA: 'sm',
}

describe('command line: change-queue and grants --consumer', () => {
  it('`grants --consumer LOGIN` prints the consumer role rights and the login made its member, and connects nowhere', async () => {
    const run = await runCli(['grants', '--consumer', 'DominoAssemblyJob'], NO_DATABASE)
    expect(run.code).to.equal(0)
    expect(run.stdout.split('\n').filter((line) => line.startsWith('GRANT'))).to.deep.equal([
      'GRANT EXECUTE ON OBJECT::[sm].[take_order_changes] TO [sm_consumer];',
      'GRANT SELECT ON OBJECT::[sm].[order_header] TO [sm_consumer];',
      'GRANT SELECT ON OBJECT::[sm].[order_line] TO [sm_consumer];',
    ])
    expect(run.stdout).to.contain('ALTER ROLE [sm_consumer] ADD MEMBER [DominoAssemblyJob];')
  })

  it('lists change-queue in the help and keeps the shipped spelling handoff out of it', async () => {
    const help = await runCli(['--help'], NO_DATABASE)
    expect(help.code).to.equal(0)
    expect(help.stdout).to.match(/^ {2}change-queue /m)
    expect(help.stdout).to.not.contain('handoff')
  })

  it('refuses a consumer login or name that is not a plain name, and a missing one, with exit code 2', async () => {
    for (const args of [
      ['grants', '--consumer', 'a]; DROP USER b; --'],
      ['grants', '--consumer'],
      ['change-queue', 'add-consumer', 'a b'],
      ['change-queue', 'add-consumer'],
      ['change-queue', 'nonsense'],
      ['handoff', 'add-consumer', 'a b'],
      ['handoff', 'nonsense'],
    ]) {
      const run = await runCli(args, NO_DATABASE)
      expect(run.code, args.join(' ')).to.equal(2)
      expect(run.stdout, args.join(' ')).to.equal('')
    }
  })

  const url = process.env['DOMINO_DB_TEST_URL']
  if (url !== undefined && url.trim() !== '') {
    it('adds, lists and removes consumers on a fresh schema after `migrate`', async function () {
      this.timeout(120_000)
      const schema = `sm_test_${randomBytes(5).toString('hex')}`
      const env = { DOMINO_DB_URL: url, DOMINO_DB_SCHEMA: schema }
      try {
        expect((await runCli(['migrate'], env)).code).to.equal(0)
        const added = await runCli(['change-queue', 'add-consumer', 'erp-assembly'], env)
        expect(added.code, added.stderr).to.equal(0)
        expect(added.stdout).to.contain('consumer erp-assembly added')
        expect((await runCli(['change-queue', 'add-consumer', 'erp-assembly'], env)).stdout).to.contain(
          'exists already',
        )
        const listed = await runCli(['change-queue', 'consumers'], env)
        expect(listed.code).to.equal(0)
        expect(listed.stdout).to.match(/^erp-assembly\s+0\s+-\s+/m)
        const removed = await runCli(['change-queue', 'remove-consumer', 'erp-assembly'], env)
        expect(removed.code).to.equal(0)
        expect(removed.stdout).to.contain('removed, with the 0 changes it had not taken')
        expect((await runCli(['change-queue', 'remove-consumer', 'erp-assembly'], env)).code).to.equal(1)
        expect((await runCli(['change-queue', 'consumers'], env)).stdout).to.contain('no consumers registered')
        // The spelling it shipped under (hidden, program.ts) reaches the same queue.
        expect((await runCli(['handoff', 'add-consumer', 'erp-sales'], env)).code).to.equal(0)
        expect((await runCli(['change-queue', 'consumers'], env)).stdout).to.match(/^erp-sales\s+0\s+-\s+/m)
        expect((await runCli(['handoff', 'remove-consumer', 'erp-sales'], env)).code).to.equal(0)
      } finally {
        const parsed = parseDominoDbSettings(env)
        if (E.isRight(parsed)) await dropTestSchema(parsed.right)
      }
    })
  }
})
