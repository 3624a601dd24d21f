import { expect } from 'chai'
import Database from 'better-sqlite3'
import { GroupCommit, MAX_WRITES_PER_COMMIT } from '@domino-sm/adapter-sqlite/internals'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

describe('GroupCommit', () => {
  let temp: TempDatabase
  let db: Database.Database
  let group: GroupCommit
  beforeEach(() => {
    temp = tempDatabase()
    db = new Database(temp.path)
    db.pragma('journal_mode = WAL')
    db.exec('CREATE TABLE item (n INTEGER PRIMARY KEY)')
    group = new GroupCommit(db)
  })
  afterEach(() => {
    db.close()
    temp.remove()
  })

  const insert = (n: number) => () => db.prepare('INSERT INTO item (n) VALUES (?)').run(n).changes
  const stored = (): number[] => db.prepare('SELECT n FROM item ORDER BY n').pluck().all() as number[]

  it('commits the writes queued in one tick together, once, in the order they were queued', async () => {
    const order: number[] = []
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, n) =>
        group.run(() => {
          order.push(n)
          return insert(n)()
        }),
      ),
    )
    expect(results).to.deep.equal(Array(50).fill(1))
    expect(order).to.deep.equal(Array.from({ length: 50 }, (_, n) => n))
    expect(group.stats).to.deep.equal({ commits: 1, writes: 50 })
    expect(stored()).to.have.length(50)
  })

  it('rolls back only the write that failed; the others of its commit stay', async () => {
    const outcomes = await Promise.allSettled([group.run(insert(1)), group.run(insert(1)), group.run(insert(2))])
    expect(outcomes.map((o) => o.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).to.contain('UNIQUE')
    expect(stored()).to.deep.equal([1, 2])
    expect(group.stats.commits).to.equal(1)
  })

  it('undoes every statement of a failed write, not just the one that threw', async () => {
    const twoThenFail = () => {
      insert(10)()
      insert(11)()
      throw new Error('decided to fail')
    }
    const outcomes = await Promise.allSettled([group.run(twoThenFail), group.run(insert(12))])
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'fulfilled'])
    expect(stored()).to.deep.equal([12])
  })

  it('resolves a write only once its commit is on disk: another connection sees it', async () => {
    await group.run(insert(5))
    const reader = new Database(temp.path, { readonly: true })
    try {
      expect(reader.prepare('SELECT count(*) FROM item').pluck().get()).to.equal(1)
    } finally {
      reader.close()
    }
  })

  it('splits a queue longer than one commit may carry, and settles every write', async () => {
    const count = MAX_WRITES_PER_COMMIT * 2 + 3
    await Promise.all(Array.from({ length: count }, (_, n) => group.run(insert(n))))
    expect(group.stats).to.deep.equal({ commits: 3, writes: count })
    expect(stored()).to.have.length(count)
  })

  it('fails every write of a batch that cannot take the write lock, and writes none of them', async () => {
    const other = new Database(temp.path)
    db.pragma('busy_timeout = 50')
    other.prepare('BEGIN IMMEDIATE').run()
    try {
      const outcomes = await Promise.allSettled([group.run(insert(1)), group.run(insert(2))])
      expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected'])
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).to.match(/SQLITE_BUSY|database is locked/)
    } finally {
      other.prepare('ROLLBACK').run()
      other.close()
    }
    expect(stored()).to.deep.equal([])
    expect(group.stats.commits).to.equal(0)
  })
})
