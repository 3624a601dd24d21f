import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import {
  describeDominoDbSettings,
  describeDominoDbTarget,
  parseDominoDbSettings,
  type DominoDbSettings,
} from '@domino-sm/adapter-domino-db'

const SECRET = 'S3cr;et=pa"ss'

const settingsOf = (values: Record<string, string | undefined>): DominoDbSettings => {
  const parsed = parseDominoDbSettings(values)
  if (E.isLeft(parsed)) throw new Error(`expected valid settings, got: ${parsed.left.join(' | ')}`)
  return parsed.right
}

const problemsOf = (values: Record<string, string | undefined>): readonly string[] => {
  const parsed = parseDominoDbSettings(values)
  if (E.isRight(parsed)) throw new Error('expected problems, the settings were accepted')
  return parsed.left
}

describe('parseDominoDbSettings', () => {
  it('reads an ADO-style DOMINO_DB_URL with a quoted password and applies the defaults', () => {
    const s = settingsOf({
      DOMINO_DB_URL: `Server=tcp:db01.retail.local,1444;Database=Domino;User Id=SberMarketOrdersHook;Password="S3cr;et=pa""ss";Encrypt=true;TrustServerCertificate=yes`,
    })
    expect(s).to.deep.equal({
      server: 'db01.retail.local',
      port: 1444,
      database: 'Domino',
      user: 'SberMarketOrdersHook',
      password: SECRET,
      encrypt: true,
      trustServerCertificate: true,
      schema: 'sm',
      poolMax: 10,
      poolMin: 10,
      connectTimeoutMs: 5000,
      requestTimeoutMs: 3000,
      appName: 'domino-sbermarket-hook',
    })
  })

  it('reads the synonyms Data Source / Initial Catalog / UID / PWD and a named instance', () => {
    const s = settingsOf({ DOMINO_DB_URL: 'Data Source=DB01\\DOMINO;Initial Catalog=Domino8;UID=hook;PWD={p;w}}d}' })
    expect(s.server).to.equal('DB01')
    expect(s.instanceName).to.equal('DOMINO')
    expect(s).to.not.have.property('port')
    expect(s.database).to.equal('Domino8')
    expect(s.user).to.equal('hook')
    expect(s.password).to.equal('p;w}d')
  })

  it('reads the mssql:// URL form with escaped credentials and flags', () => {
    const s = settingsOf({
      DOMINO_DB_URL: 'mssql://hook%40corp:p%40ss%3Bw@sql.example:1500/Domino?encrypt=false&trustServerCertificate=true',
    })
    expect([s.server, s.port, s.database, s.user, s.password, s.encrypt, s.trustServerCertificate]).to.deep.equal([
      'sql.example',
      1500,
      'Domino',
      'hook@corp',
      'p@ss;w',
      false,
      true,
    ])
  })

  it('reads the discrete settings', () => {
    const s = settingsOf({
      DOMINO_DB_SERVER: 'localhost',
      DOMINO_DB_PORT: '14330',
      DOMINO_DB_DATABASE: 'Domino',
      DOMINO_DB_USER: 'hook',
      DOMINO_DB_PASSWORD: SECRET,
      DOMINO_DB_ENCRYPT: 'false',
      DOMINO_DB_TRUST_SERVER_CERTIFICATE: 'true',
      DOMINO_DB_SCHEMA: 'sm_test_ab12',
      DOMINO_DB_POOL_MAX: '20',
      DOMINO_DB_POOL_MIN: '2',
      DOMINO_DB_CONNECT_TIMEOUT_MS: '2500',
      DOMINO_DB_REQUEST_TIMEOUT_MS: '3500',
    })
    expect(s).to.deep.include({
      server: 'localhost',
      port: 14330,
      schema: 'sm_test_ab12',
      poolMax: 20,
      poolMin: 2,
      connectTimeoutMs: 2500,
      requestTimeoutMs: 3500,
    })
    expect([s.encrypt, s.trustServerCertificate]).to.deep.equal([false, true])
  })

  it('takes the password from DOMINO_DB_PASSWORD when the connection string has none', () => {
    expect(
      settingsOf({ DOMINO_DB_URL: 'Server=h;Database=d;User Id=u', DOMINO_DB_PASSWORD: SECRET }).password,
    ).to.equal(SECRET)
  })

  it('reports every missing piece at once', () => {
    const problems = problemsOf({})
    expect(problems).to.have.length(4)
    expect(problems.join('\n'))
      .to.match(/host/)
      .and.match(/database/)
      .and.match(/login/)
      .and.match(/password/)
  })

  it('refuses a request timeout that does not stay under the 4000 ms hook deadline', () => {
    const base = { DOMINO_DB_URL: `Server=h;Database=d;User Id=u;Password=p` }
    expect(problemsOf({ ...base, DOMINO_DB_REQUEST_TIMEOUT_MS: '4000' }).join()).to.contain('4000 ms')
    expect(settingsOf({ ...base, DOMINO_DB_REQUEST_TIMEOUT_MS: '3999' }).requestTimeoutMs).to.equal(3999)
  })

  it('refuses bad numbers, a pool minimum over the maximum, and a schema that is not a plain identifier', () => {
    const problems = problemsOf({
      DOMINO_DB_URL: 'Server=h;Database=d;User Id=u;Password=p',
      DOMINO_DB_POOL_MAX: '2',
      DOMINO_DB_POOL_MIN: '5',
      DOMINO_DB_CONNECT_TIMEOUT_MS: 'soon',
      DOMINO_DB_SCHEMA: 'sm]; DROP TABLE x; --',
    })
    expect(problems.some((p) => p.startsWith('DOMINO_DB_POOL_MIN (5)'))).to.equal(true)
    expect(problems.some((p) => p.startsWith('DOMINO_DB_CONNECT_TIMEOUT_MS'))).to.equal(true)
    expect(problems.some((p) => p.startsWith('DOMINO_DB_SCHEMA'))).to.equal(true)
  })

  it('refuses giving the connection twice', () => {
    const problems = problemsOf({
      DOMINO_DB_URL: 'Server=h;Database=d;User Id=u;Password=p',
      DOMINO_DB_SERVER: 'other',
    })
    expect(problems.join()).to.contain('DOMINO_DB_SERVER')
  })

  it('never puts the password into a message or into the description for logs', () => {
    const problems = problemsOf({
      DOMINO_DB_URL: `Server=h;Database=d;User Id=u;Password=${SECRET.replace(/[;"=]/g, '')};Bogus=1`,
      DOMINO_DB_PASSWORD: 'other-secret',
    })
    expect(problems.join('\n')).to.not.contain('S3cret')
    expect(problems.join('\n')).to.not.contain('other-secret')
    const s = settingsOf({ DOMINO_DB_URL: `Server=h;Database=d;User Id=u;Password='${SECRET}'` })
    expect(describeDominoDbSettings(s)).to.not.contain('S3cr')
    expect(describeDominoDbSettings(s)).to.contain('schema=sm')
  })

  it('names where the orders go, without login, password or tuning, so that instances on one database describe it alike', () => {
    const a = settingsOf({
      DOMINO_DB_URL: `Server=h,1444;Database=d;User Id=u;Password='${SECRET}'`,
      DOMINO_DB_POOL_MAX: '20',
    })
    const b = settingsOf({ DOMINO_DB_URL: 'Server=h,1444;Database=d;User Id=other;Password=x' })
    expect(describeDominoDbTarget(a)).to.equal('server=h,1444 database=d schema=sm')
    expect(describeDominoDbTarget(b)).to.equal(describeDominoDbTarget(a))
    expect(
      describeDominoDbTarget(settingsOf({ DOMINO_DB_URL: 'Server=h;Database=e;User Id=u;Password=p' })),
    ).to.not.equal(describeDominoDbTarget(a))
  })
})
