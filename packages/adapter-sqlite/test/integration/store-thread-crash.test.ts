import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { createdReceipt } from '@domino-sm/testkit'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import {
  ALL_MIGRATIONS,
  migrate,
  openDatabase,
  resolveSqliteSettings,
  SqliteOrderRepository,
  StoreWorkerClient,
} from '@domino-sm/adapter-sqlite/internals'
import { orderCreated } from '../support/order-events.js'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

describe('the store thread', () => {
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  const openWithClient = async () => {
    const settings = resolveSqliteSettings({ path: database.path })
    const db = openDatabase(settings)
    migrate(db, ALL_MIGRATIONS, () => new Date())
    db.close()
    const client = new StoreWorkerClient(settings, settings.checkpointEveryMs)
    await client.whenReady()
    return { client, repository: new SqliteOrderRepository(client, settings.busyTimeoutMs) }
  }

  it('fails the calls in flight with StoreUnavailable when it dies, and a new one serves the next call', async () => {
    const { client, repository } = await openWithClient()
    try {
      const event = orderCreated('H-CRASH-1')
      const inFlight = Array.from({ length: 10 }, () =>
        repository.createOrGet(event, createdReceipt(event, new Date()))(),
      )
      await client.killStoreThread()
      const results = await Promise.all(inFlight)
      // Some may have committed before the kill; the others failed as unavailable, none hung.
      for (const result of results) if (E.isLeft(result)) expect(result.left._tag).to.equal('StoreUnavailable')
      const after = await repository.createOrGet(event, createdReceipt(event, new Date()))()
      expect(E.isRight(after)).to.equal(true)
      expect(client.stats.restarts).to.equal(1)
    } finally {
      await client.close()
    }
  })

  it('never runs a call answered StoreUnavailable on the thread started after it (calls wait a turn)', async () => {
    const { client, repository } = await openWithClient()
    try {
      const events = Array.from({ length: 10 }, (_, i) => orderCreated(`H-CRASH-TURN-${i}`))
      // Made in the turn the thread is killed: sent at the end of that turn, to a thread being terminated. (Whether
      // the outbox is still unsent when the exit is seen depends on timing; the check below holds either way.)
      const inFlight = events.map((event) => repository.createOrGet(event, createdReceipt(event, new Date()))())
      const killed = client.killStoreThread()
      const results = await Promise.all(inFlight)
      await killed
      const probe = orderCreated('H-CRASH-TURN-PROBE')
      expect(E.isRight(await repository.createOrGet(probe, createdReceipt(probe, new Date()))())).to.equal(true)
      await new Promise((resolve) => setTimeout(resolve, 50))
      const failed = events.filter((_, i) => E.isLeft(results[i] ?? E.right(undefined)))
      for (const event of failed) {
        const found = await repository.findOrder(event.originalOrderId)()
        const written = !(E.isRight(found) && found.right._tag === 'None')
        expect(written, `${event.originalOrderId} answered StoreUnavailable but was written`).to.equal(false)
      }
      for (const result of results) if (E.isLeft(result)) expect(result.left._tag).to.equal('StoreUnavailable')
    } finally {
      await client.close()
    }
  })

  it('does not keep the process alive when idle, and close stops both threads', async () => {
    const store = await openSqliteStore({ path: database.path })
    const started = Date.now()
    await store.close()
    expect(Date.now() - started).to.be.below(2000)
  })

  it('keeps the WAL small with its own checkpoints while the request connection never checkpoints', async () => {
    const store = await openSqliteStore({ path: database.path, checkpointEveryMs: 20 })
    try {
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          Array.from({ length: 200 }, (_, i) => {
            const event = orderCreated(`H-WAL-${round}-${i}`)
            return store.repository.createOrGet(event, createdReceipt(event, new Date()))()
          }),
        )
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      const { statSync } = await import('node:fs')
      // 1000 orders of ~4 pages each without a checkpoint would leave a WAL of several MB.
      expect(statSync(`${database.path}-wal`).size).to.be.below(2 * 1024 * 1024)
    } finally {
      await store.close()
    }
  })
})
