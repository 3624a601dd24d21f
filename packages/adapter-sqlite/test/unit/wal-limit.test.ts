import { expect } from 'chai'
import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { WalLimit } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const walSize = (path: string): number => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0

describe('WalLimit (the WAL bound of the store thread)', () => {
  let database: TempDatabase
  let db: Database.Database
  let clock: number
  let limit: WalLimit
  beforeEach(() => {
    database = tempDatabase()
    db = new Database(database.path)
    db.pragma('journal_mode = WAL')
    db.pragma('wal_autocheckpoint = 0')
    db.pragma('busy_timeout = 0')
    db.pragma('journal_size_limit = 65536')
    db.exec('CREATE TABLE t (v TEXT NOT NULL)')
    clock = 1_000_000
    limit = new WalLimit(db, `${database.path}-wal`, 256 * 1024, () => clock)
  })
  afterEach(() => {
    db.close()
    database.remove()
  })

  /** `n` commits of ~4 KB each: with no checkpoint, the WAL grows by about 2 pages a commit. */
  const write = (n: number): void => {
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
    for (let i = 0; i < n; i += 1) insert.run('x'.repeat(4000))
  }

  it('does nothing under the bound', () => {
    write(10)
    limit.check()
    expect(limit.stats).to.deep.equal({ restarts: 0, busy: 0, failed: 0 })
  })

  it('past the bound restarts the WAL, which the next commit truncates to journal_size_limit', () => {
    write(100)
    expect(walSize(database.path)).to.be.above(256 * 1024)
    limit.check()
    expect(limit.stats).to.deep.equal({ restarts: 1, busy: 0, failed: 0 })
    write(1)
    expect(walSize(database.path)).to.be.at.most(65536)
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).to.equal(101)
  })

  it('leaves a WAL a reader still needs, waits only briefly, and tries again after a backoff', () => {
    write(100)
    const reader = new Database(database.path, { readonly: true })
    try {
      reader.exec('BEGIN')
      reader.prepare('SELECT count(*) FROM t').get()
      write(10)
      const started = Date.now()
      limit.check()
      expect(Date.now() - started).to.be.below(500)
      expect(limit.stats).to.deep.equal({ restarts: 1, busy: 1, failed: 0 })
      limit.check()
      expect(limit.stats.restarts, 'no second try before the backoff').to.equal(1)
      reader.exec('COMMIT')
      clock += 25
      limit.check()
      expect(limit.stats).to.deep.equal({ restarts: 2, busy: 1, failed: 0 })
      write(1)
      expect(walSize(database.path)).to.be.at.most(65536)
    } finally {
      reader.close()
    }
  })
})
