import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig } from '@domino-sm/adapter-http'

const URL = 'Server=db01,1433;Database=Domino;User Id=SberMarketOrdersHook;Password=p'

const problemsOf = (env: Record<string, string>, requireDominoDb = false): readonly string[] => {
  const parsed = parseAppConfig(env, { requireDominoDb })
  if (E.isRight(parsed)) throw new Error('expected a configuration error')
  return parsed.left
}

describe("parseAppConfig: the stores' settings, parsed at start with the rest", () => {
  it('parses DOMINO_DB_* into the config when the store is domino-db, and names each bad value with the others', () => {
    const problems = problemsOf({
      DOMINO_DB_URL: URL,
      DOMINO_DB_POOL_MAX: 'ten',
      DOMINO_DB_SCHEMA: 'sm; DROP',
      PORT: 'eighty',
    })
    expect(problems.some((p) => p.startsWith('PORT must be a whole number'))).to.equal(true)
    expect(problems.some((p) => p.startsWith('DOMINO_DB_POOL_MAX: expected a whole number'))).to.equal(true)
    expect(problems.some((p) => p.startsWith('DOMINO_DB_SCHEMA'))).to.equal(true)
  })

  it('STORE=domino-db without a database names what is missing', () => {
    // No address at all: one message, which says where the database goes (app-config.test.ts).
    expect(problemsOf({ STORE: 'domino-db' })).to.deep.equal([
      'STORE=domino-db needs its database: set DOMINO_DB_URL, the connection string (or DOMINO_DB_SERVER and the other DOMINO_DB_* settings)',
    ])
    // An address without the rest: each missing part by name.
    const problems = problemsOf({ STORE: 'domino-db', DOMINO_DB_SERVER: 'db' })
    expect(problems).to.include('the database is missing: set Database= in DOMINO_DB_URL or DOMINO_DB_DATABASE')
    expect(problems).to.include('the SQL login is missing: set User Id= in DOMINO_DB_URL or DOMINO_DB_USER')
    expect(problems).to.include('the password is missing: set Password= in DOMINO_DB_URL or DOMINO_DB_PASSWORD')
  })

  it('leaves DOMINO_DB_* alone for another store, unless the command needs them (migrate, grants, change-queue)', () => {
    const sqlite = parseAppConfig({ STORE: 'sqlite', DOMINO_DB_PORT: 'x' })
    expect(E.isRight(sqlite) && sqlite.right.dominoDb).to.equal(undefined)
    expect(problemsOf({ STORE: 'sqlite', DOMINO_DB_PORT: 'x' }, true).join()).to.contain('DOMINO_DB_PORT')
    const forMigrate = parseAppConfig({ DOMINO_DB_URL: URL, DOMINO_DB_SCHEMA: 'sm_hook' }, { requireDominoDb: true })
    expect(E.isRight(forMigrate) && forMigrate.right.dominoDb?.schema).to.equal('sm_hook')
  })

  it('keeps the store budget under the hook deadline configured', () => {
    expect(
      problemsOf({ DOMINO_DB_URL: URL, HOOK_DEADLINE_MS: '1000', DOMINO_DB_REQUEST_TIMEOUT_MS: '1500' }),
    ).to.deep.equal(['DOMINO_DB_REQUEST_TIMEOUT_MS (1500) must stay under HOOK_DEADLINE_MS (1000)'])
    const ok = parseAppConfig({ DOMINO_DB_URL: URL, HOOK_DEADLINE_MS: '2000', DOMINO_DB_REQUEST_TIMEOUT_MS: '1500' })
    expect(E.isRight(ok) && ok.right.dominoDb?.requestTimeoutMs).to.equal(1500)
  })

  it('puts no part of a password holding ; = quotes or braces into any message', () => {
    const secret = `Pa;ss=w"o'r{d}}x`
    const fragments = ['Pa;', 'ss=', 'w"o', "o'r", 'r{d', 'd}}x', '}}x']
    for (const env of [
      { DOMINO_DB_URL: `Server=db01;Database=Domino;User Id=u;Password=${secret}` },
      { DOMINO_DB_URL: `Server=db01;Database=Domino;User Id=u;Password=${secret};Pooling=maybe;Encrypt=sometimes` },
      { DOMINO_DB_URL: `mssql://u:${encodeURIComponent(secret).slice(0, 8)}?${secret}@db01/Domino` },
      { DOMINO_DB_URL: 'Server=db01;Database=Domino;User Id=u', DOMINO_DB_PASSWORD: secret, DOMINO_DB_PORT: secret },
      { DOMINO_DB_URL: `Server=db01;Database=Domino;User Id=u;Password={${secret}`, DOMINO_DB_PASSWORD: secret },
    ]) {
      const parsed = parseAppConfig(env)
      const text = E.isLeft(parsed) ? parsed.left.join('\n') : ''
      expect(text, env.DOMINO_DB_URL).to.not.equal('')
      for (const fragment of fragments) expect(text, `${env.DOMINO_DB_URL}: ${text}`).to.not.contain(fragment)
    }
  })

  it('reads the four SQLite settings that serve could not set before, with their defaults', () => {
    const defaults = parseAppConfig({})
    expect(E.isRight(defaults) && defaults.right.sqlite).to.deep.equal({
      busyTimeoutMs: 1500,
      synchronous: 'FULL',
      checkpointEveryMs: 200,
      maxWalBytes: 16 * 1024 * 1024,
    })
    const set = parseAppConfig({
      SQLITE_BUSY_TIMEOUT_MS: '2500',
      SQLITE_SYNCHRONOUS: 'normal',
      SQLITE_CHECKPOINT_EVERY_MS: '1000',
      SQLITE_MAX_WAL_BYTES: '64mb',
    })
    expect(E.isRight(set) && set.right.sqlite).to.deep.equal({
      busyTimeoutMs: 2500,
      synchronous: 'NORMAL',
      checkpointEveryMs: 1000,
      maxWalBytes: 64 * 1024 * 1024,
    })
    expect(
      problemsOf({
        SQLITE_BUSY_TIMEOUT_MS: '5000',
        SQLITE_SYNCHRONOUS: 'OFF',
        SQLITE_CHECKPOINT_EVERY_MS: 'often',
        SQLITE_MAX_WAL_BYTES: '2048mb',
      }),
    ).to.deep.equal([
      'SQLITE_BUSY_TIMEOUT_MS must be from 0 to 4000, got "5000"',
      'SQLITE_CHECKPOINT_EVERY_MS: expected a whole number, got "often"',
      'SQLITE_MAX_WAL_BYTES must be from 65536 to 1073741824, got "2048mb"',
      'SQLITE_SYNCHRONOUS must be FULL or NORMAL, got "OFF"',
    ])
  })
})
