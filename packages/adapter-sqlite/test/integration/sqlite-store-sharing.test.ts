import { expect } from 'chai'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { OriginalOrderId, RepositoryError } from '@domino-sm/core'
import { createdReceipt, receiptFor } from '@domino-sm/testkit'
import { openSqliteStore, type SqliteStore } from '@domino-sm/adapter-sqlite'
import { orderCreated, statusUpdate } from '../support/order-events.js'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const run = async <A>(task: TE.TaskEither<RepositoryError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`${result.left._tag}: ${result.left.reason}`)
  return result.right
}

const at = new Date('2026-05-24T09:00:00.123Z')
const require = createRequire(import.meta.url)

const create = (store: SqliteStore, key: string) => {
  const event = orderCreated(key)
  return store.repository.createOrGet(event, createdReceipt(event, at))
}
const update = (store: SqliteStore, eventType: string, key: string) => {
  const { update: event, rawBody } = statusUpdate(eventType, key)
  return store.repository.applyUpdate(event, receiptFor(eventType, rawBody, at))
}

describe('SqliteOrderRepository on one shared file', () => {
  let database: TempDatabase
  const opened: SqliteStore[] = []
  const open = async (busyTimeoutMs?: number): Promise<SqliteStore> => {
    const store = await openSqliteStore(
      busyTimeoutMs === undefined ? { path: database.path } : { path: database.path, busyTimeoutMs },
    )
    opened.push(store)
    return store
  }

  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    database.remove()
  })

  it('creates one order under 50 concurrent creates split across two instances on the same file', async () => {
    const [a, b] = [await open(), await open()]
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => run(create(i % 2 === 0 ? a : b, 'H-SHARED-1'))),
    )
    expect(results.filter((r) => r.result._tag === 'Created')).to.have.length(1)
    expect(new Set(results.map((r) => r.result.order.number))).to.deep.equal(new Set(['1']))
    expect(new Set(results.map((r) => r.journal.id)).size).to.equal(50)
    const raw = new Database(database.path, { readonly: true })
    expect(raw.prepare('SELECT count(*) FROM orders').pluck().get()).to.equal(1)
    expect(
      raw.prepare('SELECT outcome, count(*) AS n FROM journal GROUP BY outcome ORDER BY outcome').all(),
    ).to.deep.equal([
      { outcome: 'created', n: 1 },
      { outcome: 'duplicate', n: 49 },
    ])
    raw.close()
  })

  it('numbers the orders of both instances from one counter, without gaps or repeats', async () => {
    const [a, b] = [await open(), await open()]
    const keys = Array.from({ length: 20 }, (_, i) => `H-NUM-${i}`)
    const results = await Promise.all(keys.map((key, i) => run(create(i % 2 === 0 ? a : b, key))))
    const numbers = results.map((r) => Number(r.result.order.number)).sort((x, y) => x - y)
    expect(numbers).to.deep.equal(keys.map((_, i) => i + 1))
  })

  it('applies, at creation, an update one instance kept pending for an order another instance creates', async () => {
    const [a, b] = [await open(), await open()]
    expect((await run(update(a, 'order.paid', 'H-PENDING-1'))).result.outcome).to.equal('pending')
    expect((await run(update(b, 'order.received', 'H-PENDING-1'))).result.outcome).to.equal('pending')
    const { result: created } = await run(create(b, 'H-PENDING-1'))
    expect(created._tag === 'Created' ? created.pendingApplied.map((p) => p.outcome) : []).to.deep.equal([
      'applied',
      'applied',
    ])
    expect(created.order.status).to.equal('handed_to_courier')
  })

  it('keeps orders, pending updates and the journal across close and reopen', async () => {
    const first = await open()
    const { result: created } = await run(create(first, 'H-DURABLE-1'))
    await run(update(first, 'order.paid', 'H-DURABLE-2'))
    await first.close()

    const second = await open()
    expect(second.migrationsApplied).to.deep.equal([])
    expect(await run(second.repository.findOrder('H-DURABLE-1' as OriginalOrderId))).to.deep.equal(
      O.some(created.order),
    )
    expect(await run(second.repository.listJournal('H-DURABLE-1'))).to.have.length(1)
    const { result: later } = await run(create(second, 'H-DURABLE-2'))
    expect(later.order.number).to.equal('2')
    expect(later.order.status).to.equal('paid')
  })

  it('answers StoreTimeout at the budget while another connection holds the write lock, without blocking the event loop', async () => {
    const store = await open(300)
    const other = new Database(database.path)
    other.exec('BEGIN IMMEDIATE')
    try {
      let ticks = 0
      const ticker = setInterval(() => {
        ticks += 1
      }, 10)
      const started = Date.now()
      const result = await create(store, 'H-LOCKED-1')()
      const waited = Date.now() - started
      clearInterval(ticker)
      expect(E.isLeft(result) ? result.left._tag : 'Right').to.equal('StoreTimeout')
      expect(waited).to.be.within(250, 1000)
      // The event loop kept running while the worker waited (a blocked loop would have ticked about once).
      expect(ticks).to.be.at.least(10)
      // Readers are not blocked by a writer in WAL mode.
      expect(E.isRight(await store.ping()())).to.equal(true)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    // Timed out means not written: the key is still free, and no journal entry was left behind.
    expect(E.isRight(await store.repository.findOrder('H-LOCKED-1' as OriginalOrderId)())).to.equal(true)
    expect(await run(store.repository.listJournal('H-LOCKED-1'))).to.deep.equal([])
    expect((await run(create(store, 'H-LOCKED-1'))).result._tag).to.equal('Created')
  })

  it('commits an operation that got the lock after its answerBy, and journals it as answered 503', async () => {
    const store = await open(2000)
    const other = new Database(database.path)
    other.exec('BEGIN IMMEDIATE')
    setTimeout(() => {
      other.exec('ROLLBACK')
      other.close()
    }, 300)
    const event = orderCreated('H-DUE-1')
    const started = Date.now()
    const { result, journal } = await run(
      store.repository.createOrGet(event, createdReceipt(event, new Date(started), new Date(started + 100))),
    )
    expect(result._tag).to.equal('Created')
    expect(journal.httpStatus).to.equal(503)
    expect((await run(store.repository.listJournal('H-DUE-1'))).map((r) => r.httpStatus)).to.deep.equal([503])
  })

  it('waits for a writer that releases the lock within the budget instead of failing', async () => {
    const store = await open(1000)
    const worker = new Worker(
      `const { parentPort } = require('node:worker_threads')
       const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))})
       const db = new Database(${JSON.stringify(database.path)}, { timeout: 1000 })
       db.exec('BEGIN IMMEDIATE')
       parentPort.postMessage('locked')
       const until = Date.now() + 300
       while (Date.now() < until) {}
       db.exec('COMMIT')
       db.close()`,
      { eval: true },
    )
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    await new Promise((resolve) => worker.once('message', resolve))
    const started = Date.now()
    const result = await create(store, 'H-WAIT-1')()
    const waited = Date.now() - started
    await exited
    expect(E.isRight(result)).to.equal(true)
    expect(waited).to.be.at.least(50)
  })

  it('answers StoreUnavailable once closed', async () => {
    const store = await open()
    await store.close()
    await store.close()
    const result = await store.repository.findOrder('H-CLOSED' as OriginalOrderId)()
    expect(E.isLeft(result) ? result.left._tag : 'Right').to.equal('StoreUnavailable')
    expect(E.isLeft(await store.ping()())).to.equal(true)
  })

  it('lets the writes in flight commit when it is closed', async () => {
    const store = await open()
    const writes = Array.from({ length: 20 }, (_, i) => create(store, `H-DRAIN-${i}`)())
    const closing = store.close()
    const results = await Promise.all(writes)
    await closing
    expect(results.filter(E.isRight)).to.have.length(20)
    const raw = new Database(database.path, { readonly: true })
    expect(raw.prepare('SELECT count(*) FROM orders').pluck().get()).to.equal(20)
    raw.close()
  })
})
