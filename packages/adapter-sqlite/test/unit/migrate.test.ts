import { expect } from 'chai'
import Database from 'better-sqlite3'
import { ALL_MIGRATIONS, migrate, SchemaTooNewError } from '@domino-sm/adapter-sqlite/internals'

const now = () => new Date('2026-05-24T09:00:00Z')
const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[]

describe('migrate', () => {
  let db: Database.Database
  beforeEach(() => {
    db = new Database(':memory:')
  })
  afterEach(() => db.close())

  it('applies every migration to an empty database and records each once', () => {
    expect(migrate(db, ALL_MIGRATIONS, now)).to.deep.equal(ALL_MIGRATIONS.map((m) => m.version))
    expect(tables(db)).to.include.members([
      'journal',
      'order_lines',
      'order_number_counter',
      'orders',
      'pending_updates',
      'schema_migrations',
    ])
    expect(db.prepare('SELECT version, name, applied_at FROM schema_migrations').all()).to.deep.equal(
      ALL_MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: '2026-05-24T09:00:00.000Z' })),
    )
  })

  it('does nothing on a database that is current', () => {
    migrate(db, ALL_MIGRATIONS, now)
    expect(migrate(db, ALL_MIGRATIONS, now)).to.deep.equal([])
    expect(db.prepare('SELECT count(*) FROM order_number_counter').pluck().get()).to.equal(1)
  })

  it('applies only the migrations newer than the database, in version order', () => {
    migrate(db, ALL_MIGRATIONS, now)
    const next = [
      { version: 101, name: 'third', sql: 'ALTER TABLE t2 ADD COLUMN b TEXT' },
      { version: 100, name: 'second', sql: 'CREATE TABLE t2 (a TEXT)' },
    ]
    expect(migrate(db, [...ALL_MIGRATIONS, ...next], now)).to.deep.equal([100, 101])
  })

  it('rolls a failing migration back whole, leaving the version where it was', () => {
    migrate(db, ALL_MIGRATIONS, now)
    const broken = {
      version: 100,
      name: 'broken',
      sql: 'CREATE TABLE half (a TEXT); INSERT INTO no_such_table VALUES (1);',
    }
    expect(() => migrate(db, [...ALL_MIGRATIONS, broken], now)).to.throw(Database.SqliteError)
    expect(tables(db)).not.to.include('half')
    expect(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get()).to.equal(
      ALL_MIGRATIONS.at(-1)?.version,
    )
  })

  it('refuses a database migrated by newer code', () => {
    migrate(db, [...ALL_MIGRATIONS, { version: 99, name: 'future', sql: 'SELECT 1' }], now)
    expect(() => migrate(db, ALL_MIGRATIONS, now)).to.throw(SchemaTooNewError, 'version 99')
  })
})
