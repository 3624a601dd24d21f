import { expect } from 'chai'
import { ORDER_STATUSES, OUTCOMES } from '@domino-sm/core'
import { loadMigrations } from '@domino-sm/adapter-domino-db/internals'

/**
 * The values of the last `CHECK (column IN (...))` the shipped migrations give a column, in version order: the
 * list a migrated database enforces. (The T-SQL test engine cannot read `sys.check_constraints.definition`, so the
 * list is read where it is written; the contract suite shows on a server that every one of core's values is stored.)
 */
const lastCheckList = async (column: string): Promise<string[]> => {
  const pattern = new RegExp(`\\b${column}\\s+IN\\s*\\(([^)]*)\\)`, 'gi')
  const lists = (await loadMigrations()).flatMap((migration) =>
    [...migration.sql.matchAll(pattern)].map((m) => m[1] ?? ''),
  )
  const last = lists[lists.length - 1]
  if (last === undefined) throw new Error(`no CHECK (${column} IN (...)) in the migrations`)
  return [...last.matchAll(/N'([^']*)'/g)].map((m) => m[1] ?? '').sort()
}

/** A status or outcome added to core passes every unit test and fails in production when SQL Server refuses it. */
describe('the SQL Server schema and the domain', () => {
  it("allows exactly core's order statuses and journal outcomes", async () => {
    expect(await lastCheckList('status')).to.deep.equal([...ORDER_STATUSES].sort())
    expect(await lastCheckList('outcome')).to.deep.equal([...OUTCOMES].sort())
  })
})
