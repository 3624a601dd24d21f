import { expect } from 'chai'
import Database from 'better-sqlite3'
import { ORDER_STATUSES, OUTCOMES } from '@domino-sm/core'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

/** The quoted values of `column IN (...)` in a table's CREATE statement, as SQLite keeps it after every migration. */
const checkList = (db: Database.Database, table: string, column: string): string[] => {
  const sql =
    db
      .prepare<[string], string>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .pluck()
      .get(table) ?? ''
  const list = new RegExp(`\\b${column}\\s+IN\\s*\\(([^)]*)\\)`, 'i').exec(sql)?.[1]
  if (list === undefined) throw new Error(`no CHECK (${column} IN (...)) in ${table}`)
  return [...list.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '').sort()
}

/**
 * A status or outcome added to core passes every unit test and fails in production when the database refuses it:
 * the migrated schema's CHECK lists must be exactly core's lists.
 */
describe('the SQLite schema and the domain', () => {
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  it("allows exactly core's order statuses and journal outcomes", async () => {
    await (await openSqliteStore({ path: database.path })).close()
    const db = new Database(database.path, { readonly: true })
    try {
      expect(checkList(db, 'orders', 'status')).to.deep.equal([...ORDER_STATUSES].sort())
      expect(checkList(db, 'journal', 'outcome')).to.deep.equal([...OUTCOMES].sort())
    } finally {
      db.close()
    }
  })
})
