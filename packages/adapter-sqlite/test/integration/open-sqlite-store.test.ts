import { expect } from 'chai'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openSqliteStore, SqliteOpenError } from '@domino-sm/adapter-sqlite'
import { openDatabase, resolveSqliteSettings } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const thrownBy = async (open: () => Promise<{ readonly close: () => Promise<void> }>): Promise<unknown> => {
  try {
    await (await open()).close()
  } catch (error) {
    return error
  }
  return undefined
}

describe('opening the SQLite store', () => {
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  it('configures the connection: WAL, the busy timeout, synchronous and foreign keys', () => {
    for (const [synchronous, level] of [
      ['FULL', 2],
      ['NORMAL', 1],
    ] as const) {
      const db = openDatabase(resolveSqliteSettings({ path: database.path, busyTimeoutMs: 1234, synchronous }))
      try {
        expect(db.pragma('journal_mode', { simple: true })).to.equal('wal')
        expect(db.pragma('busy_timeout', { simple: true })).to.equal(1234)
        expect(db.pragma('synchronous', { simple: true })).to.equal(level)
        expect(db.pragma('foreign_keys', { simple: true })).to.equal(1)
      } finally {
        db.close()
      }
    }
  })

  it('creates the file and migrates it on first open, and finds it current on the next', async () => {
    const first = await openSqliteStore({ path: database.path })
    expect(first.migrationsApplied).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8])
    await first.close()
    const second = await openSqliteStore({ path: database.path })
    expect(second.migrationsApplied).to.deep.equal([])
    await second.close()
  })

  it('creates a new file readable by its owner only, and its WAL files likewise', async () => {
    const store = await openSqliteStore({ path: database.path })
    try {
      expect(statSync(database.path).mode & 0o777).to.equal(0o600)
      expect(statSync(`${database.path}-wal`).mode & 0o777).to.equal(0o600)
    } finally {
      await store.close()
    }
  })

  it('refuses invalid settings with a SqliteOpenError', async () => {
    const error = await thrownBy(() => openSqliteStore({ path: database.path, busyTimeoutMs: 60_000 }))
    expect(error).to.be.instanceOf(SqliteOpenError)
    expect((error as Error).message).to.contain('busyTimeoutMs')
  })

  it('refuses a file in a directory that does not exist, naming the path and the cause', async () => {
    const path = join(database.path, 'no', 'such', 'dir', 'hook.sqlite')
    const error = await thrownBy(() => openSqliteStore({ path }))
    expect(error).to.be.instanceOf(SqliteOpenError)
    expect((error as Error).message)
      .to.contain(path)
      .and.to.contain('directory does not exist')
  })

  it('refuses a file that is not a database, with its SQLite code', async () => {
    writeFileSync(database.path, 'this is not a database file, just some text that is long enough to have a header')
    const error = await thrownBy(() => openSqliteStore({ path: database.path }))
    expect(error).to.be.instanceOf(SqliteOpenError)
    expect((error as Error).message).to.contain('SQLITE_NOTADB')
  })

  it('refuses a database that cannot use WAL (an in-memory one)', async () => {
    expect(await thrownBy(() => openSqliteStore({ path: ':memory:' })))
      .to.be.instanceOf(SqliteOpenError)
      .with.property('message')
      .that.contains('WAL')
  })

  it('refuses a database migrated by newer code', async () => {
    const raw = new Database(database.path)
    raw.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    )
    raw.exec("INSERT INTO schema_migrations VALUES (99, 'from the future', '2030-01-01T00:00:00.000Z')")
    raw.close()
    const error = await thrownBy(() => openSqliteStore({ path: database.path }))
    expect(error).to.be.instanceOf(SqliteOpenError)
    expect((error as Error).message).to.contain('version 99')
  })
})
