import { expect } from 'chai'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { OriginalOrderId, RepositoryError } from '@domino-sm/core'
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

describe('SqliteOrderRepository on one shared file', () => {
  let database: TempDatabase
  const opened: SqliteStore[] = []
  const open = (busyTimeoutMs?: number): SqliteStore => {
    const store = openSqliteStore(busyTimeoutMs === undefined ? { path: database.path } : { path: database.path, busyTimeoutMs })
    opened.push(store)
    return store
  }

  beforeEach(() => { database = tempDatabase() })
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close()
    database.remove()
  })

  it('creates one order under 50 concurrent creates split across two instances on the same file', async () => {
    const [a, b] = [open(), open()]
    const event = orderCreated('H-SHARED-1')
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => run((i % 2 === 0 ? a : b).repository.createOrGet(event, at))))
    expect(results.filter((r) => r._tag === 'Created')).to.have.length(1)
    expect(new Set(results.map((r) => r.order.number))).to.deep.equal(new Set(['1']))
    const raw = new Database(database.path, { readonly: true })
    expect(raw.prepare('SELECT count(*) FROM orders').pluck().get()).to.equal(1)
    raw.close()
  })

  it('numbers the orders of both instances from one counter, without gaps or repeats', async () => {
    const [a, b] = [open(), open()]
    const keys = Array.from({ length: 20 }, (_, i) => `H-NUM-${i}`)
    const results = await Promise.all(keys.map((key, i) => run((i % 2 === 0 ? a : b).repository.createOrGet(orderCreated(key), at))))
    const numbers = results.map((r) => Number(r.order.number)).sort((x, y) => x - y)
    expect(numbers).to.deep.equal(keys.map((_, i) => i + 1))
  })

  it('applies, at creation, an update one instance kept pending for an order another instance creates', async () => {
    const [a, b] = [open(), open()]
    const paid = statusUpdate('order.paid', 'H-PENDING-1')
    const received = statusUpdate('order.received', 'H-PENDING-1')
    expect((await run(a.repository.applyUpdate(paid.update, paid.rawBody, at))).outcome).to.equal('pending')
    expect((await run(b.repository.applyUpdate(received.update, received.rawBody, at))).outcome).to.equal('pending')
    const created = await run(b.repository.createOrGet(orderCreated('H-PENDING-1'), at))
    expect(created._tag === 'Created' ? created.pendingApplied.map((p) => p.outcome) : []).to.deep.equal(['applied', 'applied'])
    expect(created.order.status).to.equal('handed_to_courier')
  })

  it('keeps orders, pending updates and the journal across close and reopen', async () => {
    const first = open()
    const created = await run(first.repository.createOrGet(orderCreated('H-DURABLE-1'), at))
    const paid = statusUpdate('order.paid', 'H-DURABLE-2')
    await run(first.repository.applyUpdate(paid.update, paid.rawBody, at))
    await run(first.repository.recordJournal({
      receivedAt: at, eventType: 'order.created', originalOrderId: 'H-DURABLE-1', rawBody: '{}', outcome: 'created', httpStatus: 200, durationMs: 2, detail: null,
    }))
    await first.close()

    const second = open()
    expect(second.migrationsApplied).to.deep.equal([])
    expect(await run(second.repository.findOrder('H-DURABLE-1' as OriginalOrderId))).to.deep.equal(O.some(created.order))
    expect(await run(second.repository.listJournal('H-DURABLE-1'))).to.have.length(1)
    const later = await run(second.repository.createOrGet(orderCreated('H-DURABLE-2'), at))
    expect(later.order.number).to.equal('2')
    expect(later.order.status).to.equal('paid')
  })

  it('answers StoreTimeout after the busy timeout when another process holds the write lock', async () => {
    const store = open(100)
    const other = new Database(database.path)
    other.exec('BEGIN IMMEDIATE')
    try {
      const started = Date.now()
      const result = await store.repository.createOrGet(orderCreated('H-LOCKED-1'), at)()
      const waited = Date.now() - started
      expect(E.isLeft(result) ? result.left._tag : 'Right').to.equal('StoreTimeout')
      expect(waited).to.be.at.least(90)
      expect(E.isLeft(await store.repository.recordJournal({
        receivedAt: at, eventType: null, originalOrderId: null, rawBody: null, outcome: 'failed', httpStatus: 503, durationMs: 1, detail: null,
      })())).to.equal(true)
      // Readers are not blocked by a writer in WAL mode.
      expect(E.isRight(await store.ping()())).to.equal(true)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    expect(E.isRight(await store.repository.createOrGet(orderCreated('H-LOCKED-1'), at)())).to.equal(true)
  })

  it('waits for a writer that releases the lock within the busy timeout instead of failing', async () => {
    const store = open(1000)
    // better-sqlite3 blocks this thread while it waits for the lock, so the other writer runs in a worker thread.
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
    await new Promise((resolve) => worker.once('message', resolve))
    const started = Date.now()
    const result = await store.repository.createOrGet(orderCreated('H-WAIT-1'), at)()
    const waited = Date.now() - started
    await new Promise((resolve) => worker.once('exit', resolve))
    expect(E.isRight(result)).to.equal(true)
    expect(waited).to.be.at.least(50)
  })

  it('answers StoreUnavailable once closed', async () => {
    const store = open()
    await store.close()
    await store.close()
    const result = await store.repository.findOrder('H-CLOSED' as OriginalOrderId)()
    expect(E.isLeft(result) ? result.left._tag : 'Right').to.equal('StoreUnavailable')
    expect(E.isLeft(await store.ping()())).to.equal(true)
  })
})
