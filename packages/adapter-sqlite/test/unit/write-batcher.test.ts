import { expect } from 'chai'
import Database from 'better-sqlite3'
import {
  isBusy,
  MAX_WRITES_PER_COMMIT,
  WriteBatcher,
  type TransactionControl,
  type WriteOutcome,
} from '@domino-sm/adapter-sqlite/internals'
import type { RepositoryError } from '@domino-sm/core'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

describe('WriteBatcher (group commit with budgets)', () => {
  let temp: TempDatabase
  let db: Database.Database
  let batcher: WriteBatcher
  let statements: string[]
  beforeEach(() => {
    temp = tempDatabase()
    statements = []
    db = new Database(temp.path, { verbose: (sql) => statements.push(String(sql)) })
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 0')
    db.exec('CREATE TABLE item (n INTEGER PRIMARY KEY)')
    const [begin, commit, rollback, sp, release, rollbackTo] = [
      'BEGIN IMMEDIATE',
      'COMMIT',
      'ROLLBACK',
      'SAVEPOINT s',
      'RELEASE s',
      'ROLLBACK TO s',
    ].map((sql) => db.prepare(sql))
    const tx: TransactionControl = {
      begin: () => begin?.run(),
      commit: () => commit?.run(),
      rollback: () => rollback?.run(),
      inTransaction: () => db.inTransaction,
      savepoint: (work) => {
        sp?.run()
        try {
          const result = work()
          release?.run()
          return result
        } catch (error) {
          rollbackTo?.run()
          release?.run()
          throw error
        }
      },
    }
    batcher = new WriteBatcher(tx)
    statements.length = 0
  })
  afterEach(() => {
    db.close()
    temp.remove()
  })

  const insertStatement = () => db.prepare('INSERT INTO item (n) VALUES (?)')
  const stored = (): number[] => db.prepare('SELECT n FROM item ORDER BY n').pluck().all() as number[]
  const write = (work: () => unknown, budgetMs = 1000): Promise<WriteOutcome> =>
    new Promise((settle) => batcher.enqueue({ expiresAt: Date.now() + budgetMs, work, settle }))

  it('commits the writes queued in one tick together, once, in order, with no savepoint per write', async () => {
    const insert = insertStatement()
    const order: number[] = []
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        write(() => {
          order.push(n)
          return insert.run(n).changes
        }),
      ),
    )
    expect(outcomes.every((o) => o.ok && o.value === 1)).to.equal(true)
    expect(order).to.deep.equal(Array.from({ length: 50 }, (_, n) => n))
    expect(batcher.stats).to.deep.include({ commits: 1, writes: 50, safeReruns: 0 })
    expect(statements.filter((s) => /SAVEPOINT|RELEASE/.test(s))).to.deep.equal([])
    expect(statements.filter((s) => /BEGIN|COMMIT/.test(s))).to.deep.equal(['BEGIN IMMEDIATE', 'COMMIT'])
    expect(stored()).to.have.length(50)
  })

  it('runs a group again with savepoints when one write throws: only that one fails, the others stay', async () => {
    const insert = insertStatement()
    const outcomes = await Promise.all([
      write(() => insert.run(1)),
      write(() => insert.run(1)),
      write(() => insert.run(2)),
    ])
    expect(outcomes.map((o) => o.ok)).to.deep.equal([true, false, true])
    expect(String((outcomes[1] as { error: unknown }).error)).to.contain('UNIQUE')
    expect(stored()).to.deep.equal([1, 2])
    expect(batcher.stats).to.deep.include({ commits: 1, safeReruns: 1 })
  })

  it('undoes every statement of a failed write, not just the one that threw', async () => {
    const insert = insertStatement()
    const outcomes = await Promise.all([
      write(() => {
        insert.run(10)
        insert.run(11)
        throw new Error('decided to fail')
      }),
      write(() => insert.run(12)),
    ])
    expect(outcomes.map((o) => o.ok)).to.deep.equal([false, true])
    expect(stored()).to.deep.equal([12])
  })

  it('splits a queue longer than one commit may carry, and settles every write', async () => {
    const insert = insertStatement()
    const count = MAX_WRITES_PER_COMMIT * 2 + 3
    await Promise.all(Array.from({ length: count }, (_, n) => write(() => insert.run(n))))
    expect(batcher.stats).to.deep.include({ commits: 3, writes: count })
    expect(stored()).to.have.length(count)
  })

  it("waits for a lock held elsewhere without blocking, and answers StoreTimeout at each write's own budget", async () => {
    const insert = insertStatement()
    const other = new Database(temp.path)
    other.prepare('BEGIN IMMEDIATE').run()
    const started = Date.now()
    const settledAt: number[] = []
    const timed = (budget: number, n: number) =>
      write(() => insert.run(n), budget).then((o) => {
        settledAt.push(Date.now() - started)
        return o
      })
    let ticks = 0
    const ticker = setInterval(() => {
      ticks += 1
    }, 5)
    const outcomes = await Promise.all([timed(100, 1), timed(300, 2)])
    clearInterval(ticker)
    other.prepare('ROLLBACK').run()
    other.close()
    expect(outcomes.map((o) => o.ok)).to.deep.equal([false, false])
    expect(outcomes.map((o) => (o.ok ? '' : (o.error as RepositoryError)._tag))).to.deep.equal([
      'StoreTimeout',
      'StoreTimeout',
    ])
    expect(settledAt[0]).to.be.within(95, 200)
    expect(settledAt[1]).to.be.within(295, 400)
    expect(ticks).to.be.at.least(20)
    expect(batcher.stats.lockRetries).to.be.at.least(10)
    expect(stored()).to.deep.equal([])
  })

  it('commits the waiting writes as soon as the other connection lets go of the lock', async () => {
    const insert = insertStatement()
    const other = new Database(temp.path)
    other.prepare('BEGIN IMMEDIATE').run()
    setTimeout(() => {
      other.prepare('COMMIT').run()
      other.close()
    }, 100)
    const started = Date.now()
    const outcomes = await Promise.all([write(() => insert.run(1)), write(() => insert.run(2))])
    expect(outcomes.every((o) => o.ok)).to.equal(true)
    expect(Date.now() - started).to.be.within(95, 300)
    expect(stored()).to.deep.equal([1, 2])
  })

  it('classifies the lock error as busy', () => {
    const other = new Database(temp.path)
    other.prepare('BEGIN IMMEDIATE').run()
    try {
      expect(() => db.prepare('BEGIN IMMEDIATE').run())
        .to.throw()
        .that.satisfies(isBusy)
    } finally {
      other.prepare('ROLLBACK').run()
      other.close()
    }
  })
})
