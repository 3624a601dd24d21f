import { expect } from 'chai'
import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { createdReceipt } from '@domino-sm/testkit'
import { openSqliteStore, type SqliteStore } from '@domino-sm/adapter-sqlite'
import { orderCreated } from '../support/order-events.js'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const MiB = 1024 * 1024
const walSize = (path: string): number => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0

/** `total` creates from 32 callers at once, none waiting for another: sustained writes. Returns the WAL's peak size. */
const sustainedCreates = async (store: SqliteStore, path: string, prefix: string, total: number): Promise<number> => {
  let peak = 0
  const sampler = setInterval(() => {
    peak = Math.max(peak, walSize(path))
  }, 2)
  let next = 0
  try {
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const event = orderCreated(`${prefix}-${next++}`)
          const result = await store.repository.createOrGet(event, createdReceipt(event, new Date()))()
          if (E.isLeft(result)) throw new Error(result.left.reason)
        }
      }),
    )
  } finally {
    clearInterval(sampler)
  }
  return Math.max(peak, walSize(path))
}

describe('the WAL bound under sustained writes', function () {
  this.timeout(60_000)
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  // No PASSIVE round in these tests (the first would come after a minute): the bound alone keeps the WAL small.
  const open = (maxWalBytes: number) => openSqliteStore({ path: database.path, checkpointEveryMs: 60_000, maxWalBytes })

  it('grows without a bound when nothing restarts it (the test can see the defect)', async () => {
    const store = await open(1024 * MiB)
    try {
      expect(await sustainedCreates(store, database.path, 'H-WAL-FREE', 2000)).to.be.above(8 * MiB)
    } finally {
      await store.close()
    }
  })

  it('stays near maxWalBytes: the store thread restarts it between group commits', async () => {
    const store = await open(512 * 1024)
    try {
      // One group commit (up to 256 creates) can add about 1 MiB past the bound before the check that follows it.
      expect(await sustainedCreates(store, database.path, 'H-WAL-BOUND', 2000)).to.be.below(3 * MiB)
    } finally {
      await store.close()
    }
  })

  it('keeps answering while a reader elsewhere holds an old snapshot, and bounds the WAL again once it ends', async () => {
    const store = await open(256 * 1024)
    const reader = new Database(database.path)
    try {
      await sustainedCreates(store, database.path, 'H-WAL-R0', 200)
      reader.exec('BEGIN')
      reader.prepare('SELECT count(*) FROM orders').get()
      // The snapshot pins the WAL: no restart can happen, writes go on and the WAL grows past the bound.
      const started = Date.now()
      expect(await sustainedCreates(store, database.path, 'H-WAL-R1', 1000)).to.be.above(2 * MiB)
      expect(Date.now() - started).to.be.below(20_000)
      reader.exec('COMMIT')
      // Past the backoff (at most 1 s) the next checks restart it; journal_size_limit truncates it to a quarter of the bound.
      await new Promise((resolve) => setTimeout(resolve, 1100))
      await sustainedCreates(store, database.path, 'H-WAL-R2', 300)
      expect(walSize(database.path)).to.be.below(2 * MiB)
    } finally {
      reader.close()
      await store.close()
    }
  })

  it('leaves a checkpointed, empty WAL at close while another connection keeps the file open', async () => {
    const store = await open(1024 * MiB)
    const other = new Database(database.path)
    try {
      other.prepare('SELECT count(*) FROM orders').get()
      await sustainedCreates(store, database.path, 'H-WAL-CLOSE', 500)
      expect(walSize(database.path)).to.be.above(1 * MiB)
      await store.close()
      expect(walSize(database.path)).to.equal(0)
      expect(other.prepare('SELECT count(*) FROM orders').pluck().get()).to.equal(500)
    } finally {
      other.close()
    }
  })
})
