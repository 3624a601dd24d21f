import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseAppConfig } from '@domino-sm/adapter-http'

describe('parseAppConfig', () => {
  it('fills every default', () => {
    const parsed = parseAppConfig({})
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right).to.deep.include({
      host: '127.0.0.1',
      port: 8080,
      internalHost: '127.0.0.1',
      internalPort: 8081,
      hookTokens: [],
      hookDeadlineMs: 4000,
      bodyLimitBytes: 1048576,
      dataDir: './data',
      logLevel: 'info',
      store: 'sqlite',
      shutdownGraceMs: 10000,
      trustProxy: false,
    })
    expect(parsed.right).to.not.have.property('adminToken')
  })

  it('reads every variable', () => {
    const parsed = parseAppConfig({
      HOST: '0.0.0.0',
      PORT: '9000',
      INTERNAL_HOST: '10.0.0.5',
      INTERNAL_PORT: '9100',
      SBERMARKET_HOOK_TOKENS: ' aaaaaaaaaaaaaaaa , bbbbbbbbbbbbbbbb ,',
      ADMIN_TOKEN: 'cccccccccccccccc',
      HOOK_DEADLINE_MS: '2500',
      BODY_LIMIT: '512kb',
      DATA_DIR: '/var/lib/hook',
      LOG_LEVEL: 'DEBUG',
      STORE: 'memory',
      SHUTDOWN_GRACE_MS: '0',
      TRUST_PROXY: 'yes',
    })
    if (E.isLeft(parsed)) throw new Error(parsed.left.join('; '))
    expect(parsed.right).to.deep.include({
      host: '0.0.0.0',
      port: 9000,
      internalHost: '10.0.0.5',
      internalPort: 9100,
      hookTokens: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      adminToken: 'cccccccccccccccc',
      hookDeadlineMs: 2500,
      bodyLimitBytes: 512 * 1024,
      dataDir: '/var/lib/hook',
      logLevel: 'debug',
      store: 'memory',
      shutdownGraceMs: 0,
      trustProxy: true,
    })
  })

  it('chooses the Domino database when DOMINO_DB_URL is set and STORE is not', () => {
    const parsed = parseAppConfig({ DOMINO_DB_URL: 'Server=db;Database=domino;User Id=hook;Password=p' })
    expect(E.isRight(parsed) && parsed.right.store).to.equal('domino-db')
    expect(E.isRight(parsed) && parsed.right.dominoDb).to.deep.include({
      server: 'db',
      database: 'domino',
      user: 'hook',
      password: 'p',
      poolMax: 10,
    })
  })

  it('refuses one port for the hook and the internal listener, and a bad INTERNAL_PORT, with clear messages', () => {
    const clash = parseAppConfig({ PORT: '8081' })
    expect(clash).to.deep.equal(
      E.left([
        'INTERNAL_PORT and PORT must differ (both 8081): the hook and the internal routes (/readyz, /metrics, /admin) listen apart',
      ]),
    )
    expect(parseAppConfig({ PORT: '9000', INTERNAL_PORT: '9000' })._tag).to.equal('Left')
    expect(parseAppConfig({ INTERNAL_PORT: 'internal' })).to.deep.equal(
      E.left(['INTERNAL_PORT must be a whole number from 0 to 65535, got "internal"']),
    )
    expect(parseAppConfig({ PORT: 'x', INTERNAL_PORT: '-1' })).to.deep.equal(
      E.left([
        'PORT must be a whole number from 0 to 65535, got "x"',
        'INTERNAL_PORT must be a whole number from 0 to 65535, got "-1"',
      ]),
    )
    expect(parseAppConfig({ INTERNAL_HOST: 'http://10.0.0.5' })).to.deep.equal(
      E.left(['INTERNAL_HOST must be an IP address or a host name, got "http://10.0.0.5"']),
    )
    expect(parseAppConfig({ INTERNAL_HOST: '10.0.0.5:9000' })._tag).to.equal('Left')
    for (const host of ['::1', '0.0.0.0', 'localhost', 'monitoring.internal'])
      expect(parseAppConfig({ INTERNAL_HOST: host })._tag, host).to.equal('Right')
    // 0 asks the kernel for a free port each: no clash.
    const both0 = parseAppConfig({ PORT: '0', INTERNAL_PORT: '0' })
    expect(E.isRight(both0) && [both0.right.port, both0.right.internalPort]).to.deep.equal([0, 0])
  })

  it('refuses STORE=domino-db without its database, rather than start with nowhere to write', () => {
    expect(parseAppConfig({ STORE: 'domino-db' })).to.deep.equal(
      E.left([
        'STORE=domino-db needs its database: set DOMINO_DB_URL, the connection string (or DOMINO_DB_SERVER and the other DOMINO_DB_* settings)',
      ]),
    )
    expect(parseAppConfig({ STORE: 'domino-db', DOMINO_DB_URL: '  ' })._tag, 'a blank URL is no URL').to.equal('Left')
    expect(
      parseAppConfig({ STORE: 'DOMINO-DB', DOMINO_DB_URL: 'Server=db;Database=domino;User Id=hook;Password=p' })._tag,
    ).to.equal('Right')
    expect(
      parseAppConfig({
        STORE: 'domino-db',
        DOMINO_DB_SERVER: 'db',
        DOMINO_DB_DATABASE: 'domino',
        DOMINO_DB_USER: 'hook',
        DOMINO_DB_PASSWORD: 'p',
      })._tag,
    ).to.equal('Right')
    // With an address, what else is missing is named part by part (store-config.test.ts).
    expect(parseAppConfig({ STORE: 'domino-db', DOMINO_DB_SERVER: 'db' })._tag).to.equal('Left')
    expect(parseAppConfig({ STORE: 'sqlite' })._tag, 'the embedded store needs no database').to.equal('Right')
  })

  it('collects one clear message per bad value', () => {
    const parsed = parseAppConfig({
      PORT: '70000',
      SBERMARKET_HOOK_TOKENS: 'has space in it 123456',
      ADMIN_TOKEN: 'short',
      HOOK_DEADLINE_MS: '5000',
      BODY_LIMIT: 'lots',
      LOG_LEVEL: 'loud',
      STORE: 'postgres',
      TRUST_PROXY: 'maybe',
    })
    if (E.isRight(parsed)) throw new Error('expected problems')
    expect(parsed.left).to.deep.equal([
      'PORT must be a whole number from 0 to 65535, got "70000"',
      'SBERMARKET_HOOK_TOKENS: tokens may hold only visible ASCII characters (no spaces)',
      'ADMIN_TOKEN: every token must have at least 16 characters (got one of 5)',
      'HOOK_DEADLINE_MS must be a whole number from 50 to 4900, got "5000"',
      'BODY_LIMIT: expected a size like 1048576, 512kb or 1mb, got "lots"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
      'STORE must be one of memory, sqlite, domino-db, got "postgres"',
      'TRUST_PROXY must be true or false, got "maybe"',
    ])
  })
})
