import { expect } from 'chai'
import Database from 'better-sqlite3'
import { ALL_MIGRATIONS } from '@domino-sm/adapter-sqlite/internals'
import { runWorkers } from '../support/spawn-workers.js'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const PROCESSES = 4

describe('SqliteOrderRepository shared by 4 processes', function () {
  this.timeout(60_000)
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  it('migrates a new file once when 4 processes open it at the same moment', async () => {
    const reports = await runWorkers(database.path, PROCESSES, 'open-on-go', 'H-OPEN', 0)
    const latest = ALL_MIGRATIONS.map((m) => m.version)
    expect(reports.filter((r) => r.migrationsApplied.length > 0).map((r) => r.migrationsApplied)).to.deep.equal([
      latest,
    ])
    const db = new Database(database.path, { readonly: true })
    try {
      expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all()).to.deep.equal(latest)
      expect(db.prepare('SELECT count(*) FROM order_number_counter').pluck().get()).to.equal(1)
      expect(db.pragma('journal_mode', { simple: true })).to.equal('wal')
    } finally {
      db.close()
    }
  })

  it('creates exactly one order per key, with distinct numbers, when 4 processes create the same 200 keys at once', async () => {
    const keys = 200
    const reports = await runWorkers(database.path, PROCESSES, 'open-first', 'H-MP', keys)
    expect(reports.flatMap((r) => r.errors)).to.deep.equal([])
    const all = reports.flatMap((r) => r.results)
    expect(all).to.have.length(PROCESSES * keys)
    const numberOf = new Map<string, Set<string>>()
    for (const r of all) numberOf.set(r.key, (numberOf.get(r.key) ?? new Set()).add(r.number))
    expect(numberOf.size).to.equal(keys)
    for (const [key, numbers] of numberOf) expect(numbers.size, key).to.equal(1)
    expect(all.filter((r) => r.tag === 'Created')).to.have.length(keys)
    // More than one process created orders, so the creates really interleaved across processes.
    expect(reports.filter((r) => r.results.some((x) => x.tag === 'Created')).length).to.be.greaterThan(1)
    const db = new Database(database.path, { readonly: true })
    try {
      expect(db.prepare('SELECT count(*) FROM orders').pluck().get()).to.equal(keys)
      expect(db.prepare('SELECT count(DISTINCT number) FROM orders').pluck().get()).to.equal(keys)
      expect(db.prepare('SELECT last_value FROM order_number_counter').pluck().get()).to.equal(keys)
    } finally {
      db.close()
    }
  })
})
