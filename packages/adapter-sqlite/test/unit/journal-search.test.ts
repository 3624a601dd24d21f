import { expect } from 'chai'
import Database from 'better-sqlite3'
import type { JournalQuery } from '@domino-sm/core'
import { ALL_MIGRATIONS, journalSearchSql, migrate } from '@domino-sm/adapter-sqlite/internals'

interface Op {
  readonly opcode: string
  readonly p1: number
  readonly p2: number
}

/**
 * Which columns of `journal_body` a journal query's bytecode reads (SQLite's EXPLAIN: the cursors opened on the
 * table's root page, and every `Column` read through them). A query that reads none never touches a body's
 * overflow pages: an order's history of hundreds of large bodies costs what one of small bodies does.
 */
const bodyColumnsRead = (db: Database.Database, query: JournalQuery): number[] => {
  const root = db
    .prepare<[], { rootpage: number }>("SELECT rootpage FROM sqlite_schema WHERE name = 'journal_body'")
    .get()?.rootpage
  const { sql, params } = journalSearchSql(query)
  const ops = db.prepare<unknown[], Op>(`EXPLAIN ${sql}`).all(...params)
  const cursors = new Set(ops.filter((op) => op.opcode === 'OpenRead' && op.p2 === root).map((op) => op.p1))
  expect(cursors.size, 'the query joins journal_body (for has_body)').to.equal(1)
  return ops.filter((op) => op.opcode === 'Column' && cursors.has(op.p1)).map((op) => op.p2)
}

describe('the journal query of the SQLite store', () => {
  let db: Database.Database
  before(() => {
    db = new Database(':memory:')
    migrate(db, ALL_MIGRATIONS, () => new Date('2026-05-24T09:00:00Z'))
  })
  after(() => db.close())

  const bodiless: readonly JournalQuery[] = [
    { originalOrderId: 'H1', limit: 100, withBodies: false },
    { originalOrderId: 'H1', afterId: 4711, limit: 100, withBodies: false },
    { limit: 1000, withBodies: false },
    {
      ids: [1, 2],
      outcomes: ['failed'],
      since: new Date(0),
      until: new Date(),
      forReview: true,
      limit: 10,
      withBodies: false,
    },
  ]

  it('reads no column of journal_body without bodies (only its rowid, for has_body)', () => {
    for (const query of bodiless) expect(bodyColumnsRead(db, query), JSON.stringify(query)).to.deep.equal([])
  })

  it('reads the body column when bodies are asked for', () => {
    expect(bodyColumnsRead(db, { ids: [1], limit: 1, withBodies: true })).to.have.length(1)
  })

  it("serves an order's history from the index on (original_order_id, id)", () => {
    const { sql, params } = journalSearchSql({ originalOrderId: 'H1', afterId: 4711, limit: 100, withBodies: false })
    const plan = db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => row.detail)
    expect(plan.join('\n')).to.contain('USING INDEX journal_by_order (original_order_id=? AND id>?)')
    expect(plan.join('\n')).to.not.contain('TEMP B-TREE')
  })
})
