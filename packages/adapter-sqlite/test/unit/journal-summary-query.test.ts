import { expect } from 'chai'
import Database from 'better-sqlite3'
import {
  ALL_MIGRATIONS,
  JOURNAL_SUMMARY_SQL,
  migrate,
  ORDERS_FOR_REVIEW_SQL,
} from '@domino-sm/adapter-sqlite/internals'

const planOf = (db: Database.Database, sql: string, ...params: unknown[]): string =>
  db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((row) => row.detail)
    .join('\n')

describe('the counting queries of the SQLite store (their plans)', () => {
  let db: Database.Database
  before(() => {
    db = new Database(':memory:')
    migrate(db, ALL_MIGRATIONS, () => new Date('2026-05-24T09:00:00Z'))
  })
  after(() => db.close())

  it('counts a time range from the covering index journal_by_received alone (no journal row read)', () => {
    const plan = planOf(db, JOURNAL_SUMMARY_SQL, {
      since: '2026-01-01T00:00:00.000Z',
      until: '2026-01-02T00:00:00.000Z',
      at_least: 3200,
      prefix: 'support.',
      prefix_length: 8,
    })
    expect(plan).to.contain('USING COVERING INDEX journal_by_received (received_at>? AND received_at<?)')
  })

  it('lists the marked orders from orders_for_review, already in order (no sort)', () => {
    const plan = planOf(db, ORDERS_FOR_REVIEW_SQL, 100)
    expect(plan).to.contain('USING INDEX orders_for_review')
    expect(plan).to.not.contain('TEMP B-TREE')
  })
})
