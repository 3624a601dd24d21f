import { expect } from 'chai'
import Database from 'better-sqlite3'
import { OUTCOMES } from '@domino-sm/core'
import { ALL_MIGRATIONS, migrate } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const now = () => new Date('2026-05-24T09:00:00Z')
const UP_TO_3 = ALL_MIGRATIONS.filter((m) => m.version <= 3)

interface JournalRow {
  readonly id: number
  readonly outcome: string
  readonly detail: string | null
  readonly raw_body: string | null
}

describe('migration 4: review marks, marking codes, the journal outcome review', () => {
  let database: TempDatabase
  let db: Database.Database
  beforeEach(() => {
    database = tempDatabase()
    db = new Database(database.path)
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    migrate(db, UP_TO_3, now)
  })
  afterEach(() => {
    db.close()
    database.remove()
  })

  const journal = (): JournalRow[] =>
    db
      .prepare<[], JournalRow>(
        'SELECT j.id, j.outcome, j.detail, b.raw_body FROM journal AS j LEFT JOIN journal_body AS b ON b.journal_id = j.id ORDER BY j.id',
      )
      .all()

  it('keeps every order, line and journal entry (ids, bodies, the id high-water mark), and accepts the outcome review', () => {
    db.exec(`INSERT INTO orders (original_order_id, number, status, payment_methods_json, payload_json, created_at, updated_at)
      VALUES ('H1', '1', 'new', '[]', '{"originalOrderId":"H1"}', '2026-05-24T09:00:00.000Z', '2026-05-24T09:00:00.000Z')`)
    db.exec(`INSERT INTO order_lines (order_id, line_no, sku, name, quantity_thousandths, price_kopecks, weight, replaced_by_sku)
      VALUES (1, 1, 'A', 'Молоко "3.2%"', 1000, 100, '1000', NULL), (1, 2, 'B', NULL, 455, 34900, NULL, 'C')`)
    const insert = db.prepare(
      'INSERT INTO journal (id, received_at, outcome, http_status, duration_ms, detail, stored_at) VALUES (?, ?, ?, 200, 1, ?, ?)',
    )
    const body = db.prepare('INSERT INTO journal_body (journal_id, received_at, raw_body) VALUES (?, ?, ?)')
    for (const [id, outcome, raw] of [
      [3, 'created', '{"n":"Иван"}'],
      [7, 'expired', null],
      [9, 'pending', '{}'],
    ] as const) {
      insert.run(id, '2026-05-24T09:00:00.000Z', outcome, `d${id}`, '2026-05-24T09:00:00.001Z')
      if (raw !== null) body.run(id, '2026-05-24T09:00:00.000Z', raw)
    }
    db.prepare("UPDATE sqlite_sequence SET seq = 500 WHERE name = 'journal'").run()
    const before = journal()
    const ordersBefore = db.prepare('SELECT * FROM orders ORDER BY id').all()
    const linesBefore = db.prepare('SELECT * FROM order_lines ORDER BY order_id, line_no').all()

    // Every migration after 3 runs over the data, the later ones too (each added its own number here before).
    expect(migrate(db, ALL_MIGRATIONS, now)).to.deep.equal(
      ALL_MIGRATIONS.filter((m) => m.version > 3).map((m) => m.version),
    )

    expect(journal()).to.deep.equal(before)
    expect(db.pragma('foreign_key_check')).to.deep.equal([])
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").pluck().get()).to.equal(500)
    expect(db.prepare("SELECT count(*) FROM sqlite_sequence WHERE name LIKE 'journal_%'").pluck().get()).to.equal(0)
    // Every old column of every order and line is unchanged; the new ones are NULL (no mark, no codes).
    // (Migrations 6 and 7, run here too, add personal_data_erased_at and order_uuid: NULL as well.)
    const unmarked = {
      review_reasons_json: null,
      review_marked_at: null,
      review_unapplied_change_json: null,
      personal_data_erased_at: null,
      order_uuid: null,
    }
    expect(db.prepare('SELECT * FROM orders ORDER BY id').all()).to.deep.equal(
      ordersBefore.map((o) => ({ ...(o as object), ...unmarked })),
    )
    expect(db.prepare('SELECT * FROM order_lines ORDER BY order_id, line_no').all()).to.deep.equal(
      linesBefore.map((l) => ({ ...(l as object), marking_codes_json: null })),
    )
    expect(linesBefore).to.have.length(2)
    db.prepare(
      "INSERT INTO journal (received_at, outcome, http_status, duration_ms, stored_at) VALUES ('x', 'review', 200, 1, 'x')",
    ).run()
    expect(db.prepare('SELECT max(id) FROM journal').pluck().get()).to.equal(501)
    expect(() =>
      db
        .prepare(
          "INSERT INTO journal (received_at, outcome, http_status, duration_ms, stored_at) VALUES ('x', 'bogus', 200, 1, 'x')",
        )
        .run(),
    ).to.throw(/CHECK/)
    // The CHECK list is core's OUTCOMES, every one of them.
    const anyOutcome = db.prepare(
      "INSERT INTO journal (received_at, outcome, http_status, duration_ms, stored_at) VALUES ('x', ?, 200, 1, 'x')",
    )
    for (const outcome of OUTCOMES) expect(() => anyOutcome.run(outcome), outcome).not.to.throw()
    // A body still refers to its entry: the foreign key survived the rebuild.
    expect(() =>
      db.prepare("INSERT INTO journal_body (journal_id, received_at, raw_body) VALUES (99999, 'x', '{}')").run(),
    ).to.throw(/FOREIGN KEY/)
    expect(
      db
        .prepare(
          "SELECT count(*) FROM sqlite_schema WHERE name IN ('orders_for_review', 'journal_by_order', 'journal_body_by_received')",
        )
        .pluck()
        .get(),
    ).to.equal(3)
    // The index holds only marked orders (a partial index), for the jobs that hold them back.
    expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'orders_for_review'").pluck().get()).to.match(
      /WHERE review_marked_at IS NOT NULL$/,
    )
  })
})
