import { expect } from 'chai'
import Database from 'better-sqlite3'
import { ALL_MIGRATIONS, migrate } from '@domino-sm/adapter-sqlite/internals'

const now = () => new Date('2026-05-24T09:00:00Z')
/** Up to migration 2: the journal as it rebuilt it (migration 3 moves the bodies out; see its own test). */
const UP_TO_2 = ALL_MIGRATIONS.filter((m) => m.version <= 2)
const row = (id: number, outcome: string) => ({
  id,
  received_at: '2026-05-24T09:00:00.000Z',
  event_type: 'order.paid',
  original_order_id: `H-${id}`,
  raw_body: '{}',
  outcome,
  http_status: 200,
  duration_ms: 1.5,
  detail: null,
  stored_at: '2026-05-24T09:00:00.001Z',
})

describe('migration 2: the journal rebuilt to allow the outcome expired', () => {
  let db: Database.Database
  beforeEach(() => {
    db = new Database(':memory:')
  })
  afterEach(() => db.close())

  const insert = (values: ReturnType<typeof row>) =>
    db
      .prepare(
        'INSERT INTO journal (id, received_at, event_type, original_order_id, raw_body, outcome, http_status, duration_ms, detail, stored_at) VALUES (@id, @received_at, @event_type, @original_order_id, @raw_body, @outcome, @http_status, @duration_ms, @detail, @stored_at)',
      )
      .run(values)

  it('keeps every row with its id, and the AUTOINCREMENT high-water mark', () => {
    migrate(
      db,
      ALL_MIGRATIONS.filter((m) => m.version === 1),
      now,
    )
    for (const r of [row(1, 'created'), row(2, 'pending'), row(7, 'failed')]) insert(r)
    db.prepare("UPDATE sqlite_sequence SET seq = 9 WHERE name = 'journal'").run()
    expect(() => insert(row(8, 'expired'))).to.throw(/CHECK/)
    expect(migrate(db, UP_TO_2, now)).to.deep.equal([2])
    expect(db.prepare('SELECT * FROM journal ORDER BY id').all()).to.deep.equal([
      row(1, 'created'),
      row(2, 'pending'),
      row(7, 'failed'),
    ])
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'journal'").pluck().get()).to.equal(9)
    const next = db
      .prepare(
        "INSERT INTO journal (received_at, outcome, http_status, duration_ms, stored_at) VALUES ('2026-05-24T09:00:00.000Z', 'expired', 200, 0, 'x')",
      )
      .run()
    expect(Number(next.lastInsertRowid)).to.equal(10)
    expect(() => insert(row(20, 'bogus'))).to.throw(/CHECK/)
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'journal_new'").pluck().get()).to.equal(0)
    expect(
      db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('journal', 'pending_updates') ORDER BY name",
        )
        .pluck()
        .all(),
    ).to.deep.equal([
      'journal_bodies_by_received',
      'journal_by_order',
      'pending_updates_by_order',
      'pending_updates_by_received',
    ])
    expect(db.pragma('integrity_check', { simple: true })).to.equal('ok')
  })

  it('migrates an empty journal', () => {
    migrate(
      db,
      ALL_MIGRATIONS.filter((m) => m.version === 1),
      now,
    )
    expect(migrate(db, UP_TO_2, now)).to.deep.equal([2])
    expect(Number(insert(row(1, 'expired')).lastInsertRowid)).to.equal(1)
  })
})
