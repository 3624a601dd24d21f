import { expect } from 'chai'
import Database from 'better-sqlite3'
import { ALL_MIGRATIONS, migrate, StoreOperations } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const now = () => new Date('2026-05-24T09:00:00Z')
const UP_TO_2 = ALL_MIGRATIONS.filter((m) => m.version <= 2)
const UP_TO_3 = ALL_MIGRATIONS.filter((m) => m.version <= 3)
const ENTRIES = 12_000

interface OldRow {
  readonly id: number
  readonly received_at: string
  readonly event_type: string | null
  readonly original_order_id: string | null
  readonly raw_body: string | null
  readonly outcome: string
  readonly http_status: number
  readonly duration_ms: number
  readonly detail: string | null
  readonly stored_at: string
}

/** Entry `i` of the old journal: ids with gaps, some bodies absent, most under a page, some several pages long. */
const oldRow = (i: number): OldRow => ({
  id: i * 2 + (i % 7 === 0 ? 1 : 0),
  received_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  event_type: i % 11 === 0 ? null : 'order.paid',
  original_order_id: i % 11 === 0 ? null : `H-${i % 500}`,
  raw_body: i % 5 === 0 ? null : `{"n":${i},"name":"Иван Петров"${' '.repeat(i % 97 === 0 ? 9000 : 400 + (i % 300))}}`,
  outcome: i % 13 === 0 ? 'expired' : 'pending',
  http_status: 200,
  duration_ms: i / 8,
  detail: i % 3 === 0 ? `detail ${i}` : null,
  stored_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 5).toISOString(),
})

describe('migration 3: journal bodies in their own table', () => {
  let database: TempDatabase
  let db: Database.Database
  beforeEach(() => {
    database = tempDatabase()
    db = new Database(database.path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    migrate(db, UP_TO_2, now)
  })
  afterEach(() => {
    db.close()
    database.remove()
  })

  const insertOld = (rows: readonly OldRow[]): void => {
    const insert =
      db.prepare(`INSERT INTO journal (id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms, detail, stored_at)
      VALUES (@id, @received_at, @event_type, @original_order_id, @raw_body, @outcome, @http_status, @duration_ms, @detail, @stored_at)`)
    db.transaction(() => rows.forEach((row) => insert.run(row)))()
  }

  it('keeps every entry with its id and every body, in batches, without doubling the file', () => {
    const rows = Array.from({ length: ENTRIES }, (_, i) => oldRow(i + 1))
    insertOld(rows)
    db.prepare("UPDATE sqlite_sequence SET seq = 99999 WHERE name = 'journal'").run()
    db.pragma('wal_checkpoint(TRUNCATE)')
    const pagesBefore = db.pragma('page_count', { simple: true }) as number

    expect(migrate(db, UP_TO_3, now)).to.deep.equal([3])

    const after = db
      .prepare(
        `SELECT j.id, j.received_at, j.event_type, j.original_order_id, b.raw_body, j.outcome, j.http_status, j.duration_ms, j.detail, j.stored_at
      FROM journal AS j LEFT JOIN journal_body AS b ON b.journal_id = j.id ORDER BY j.id`,
      )
      .all()
    expect(after).to.deep.equal(rows)
    expect(db.prepare('SELECT count(*) FROM journal_body').pluck().get()).to.equal(
      rows.filter((r) => r.raw_body !== null).length,
    )
    expect(
      db
        .prepare(
          'SELECT count(*) FROM journal_body AS b JOIN journal AS j ON j.id = b.journal_id WHERE b.received_at <> j.received_at',
        )
        .pluck()
        .get(),
    ).to.equal(0)
    expect(db.prepare("SELECT name FROM pragma_table_info('journal')").pluck().all()).not.to.include('raw_body')
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").pluck().get()).to.equal(99999)
    expect(
      db
        .prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'journal_before_3' OR tbl_name = 'journal_before_3'")
        .pluck()
        .get(),
    ).to.equal(0)
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('journal', 'journal_body') ORDER BY name",
        )
        .pluck()
        .all(),
    ).to.deep.equal(['journal_body_by_received', 'journal_by_order'])
    expect(db.pragma('integrity_check', { simple: true })).to.equal('ok')
    expect(db.pragma('foreign_key_check')).to.deep.equal([])
    // Moved in batches, the rows land on the pages the earlier batches freed: the file does not double.
    expect(db.pragma('page_count', { simple: true })).to.be.below(pagesBefore * 1.15)

    // The store (at the current schema) reads the same records as before, a body or null.
    migrate(db, ALL_MIGRATIONS, now)
    const ops = new StoreOperations(db)
    const records = ops.listJournal('H-42')
    const expected = rows.filter((r) => r.original_order_id === 'H-42')
    expect(records.map((r) => [r.id, r.rawBody, r.detail])).to.deep.equal(
      expected.map((r) => [r.id, r.raw_body, r.detail]),
    )
    expect(
      ops.recordJournal({
        requestId: null,
        receivedAt: now(),
        eventType: null,
        originalOrderId: null,
        rawBody: 'x',
        outcome: 'rejected',
        httpStatus: 400,
        durationMs: 0,
        detail: null,
      }),
    ).to.equal(100000)
  })

  it('migrates an empty journal and keeps its high-water mark', () => {
    insertOld([oldRow(1)])
    db.prepare('DELETE FROM journal').run()
    expect(migrate(db, UP_TO_3, now)).to.deep.equal([3])
    expect(db.prepare('SELECT count(*) FROM journal').pluck().get()).to.equal(0)
    migrate(db, ALL_MIGRATIONS, now)
    const id = new StoreOperations(db).recordJournal({
      requestId: null,
      receivedAt: now(),
      eventType: null,
      originalOrderId: null,
      rawBody: null,
      outcome: 'rejected',
      httpStatus: 400,
      durationMs: 0,
      detail: null,
    })
    expect(id).to.equal(oldRow(1).id + 1)
    expect(db.prepare('SELECT count(*) FROM journal_body').pluck().get()).to.equal(0)
  })
})
