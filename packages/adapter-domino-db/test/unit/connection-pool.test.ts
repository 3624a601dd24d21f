import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { parseDominoDbSettings, type DominoDbSettings } from '@domino-sm/adapter-domino-db'
import { migrationConfig, mssqlConfig } from '@domino-sm/adapter-domino-db/internals'

const settings = (url: string, extra: Record<string, string> = {}): DominoDbSettings => {
  const parsed = parseDominoDbSettings({ DOMINO_DB_URL: url, ...extra })
  if (E.isLeft(parsed)) throw new Error(parsed.left.join())
  return parsed.right
}

describe('mssqlConfig', () => {
  it('sets XACT_ABORT ON for every pooled connection, waits for a connection within the budget, and leaves the driver only a backstop', () => {
    const config = mssqlConfig(
      settings('Server=db,1433;Database=Domino;User Id=hook;Password=p', {
        DOMINO_DB_REQUEST_TIMEOUT_MS: '2500',
        DOMINO_DB_POOL_MAX: '8',
      }),
    )
    expect(config.options?.abortTransactionOnError).to.equal(true)
    // Each operation's budget cancels its request; the driver's limit is the backstop of the warm-up at start.
    expect(config.requestTimeout).to.equal(30_000)
    expect(config.pool?.acquireTimeoutMillis).to.equal(2500)
    expect(config.pool?.max).to.equal(8)
    // A new order's write in one TDS packet, not three (driver/connection-pool.ts).
    expect(config.options?.packetSize).to.equal(16_384)
    expect(config).to.deep.include({ server: 'db', port: 1433, database: 'Domino', user: 'hook', password: 'p' })
  })

  it('passes a named instance instead of a port', () => {
    const config = mssqlConfig(settings('Server=db\\DOMINO;Database=Domino;User Id=hook;Password=p'))
    expect(config.options?.instanceName).to.equal('DOMINO')
    expect(config).to.not.have.property('port')
  })

  it('gives migrate one connection and a long request timeout', () => {
    const config = migrationConfig(settings('Server=db;Database=Domino;User Id=admin;Password=p'))
    expect(config.pool?.max).to.equal(1)
    expect(config.requestTimeout).to.be.greaterThan(60_000)
    expect(config.options?.abortTransactionOnError).to.equal(true)
  })
})
