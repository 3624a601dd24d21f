import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import mssql from 'mssql'
import { changeQueueConsumers, openDominoDbStore, type DominoDbStore } from '@domino-sm/adapter-domino-db'
import { classifySqlError, errorFacts, mssqlConfig, queueTableName } from '@domino-sm/adapter-domino-db/internals'
import type { JournalRecord, OrderUpdate, OriginalOrderId, RepositoryError, StoreStats } from '@domino-sm/core'
import {
  PERSONAL_DATA_ERASED_EVENT_TYPE,
  personalDataErasedBody,
  REVIEW_CLEARED_EVENT_TYPE,
  reviewClearedBody,
} from '@domino-sm/core/internals'
import {
  aStatusReported,
  anOrderChanged,
  anOrderCreated,
  anUnreadableChange,
  createdReceipt,
  receiptFor,
  seededRandom,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { inConsumerTransaction, queuedRows, takeChanges, type TakenChange } from './consumer-session.js'
import {
  consumerName,
  isTsqlEngine,
  migratedSchema,
  pendingBecause,
  testServerUrl,
  type MigratedSchema,
} from './sql-server-harness.js'

const url = testServerUrl()

const ok = async <A>(task: TE.TaskEither<RepositoryError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`${result.left._tag}: ${result.left.reason}`)
  return result.right
}

/** What a consumer should see of one key: its changes in commit order, as (kind, status after). */
type Expected = Map<string, string[]>

const note = (expected: Expected, key: string, kind: string, status: string): void => {
  const list = expected.get(key) ?? []
  list.push(`${kind}:${status}`)
  expected.set(key, list)
}

/** The changes of one key as a consumer received them, in the order given. */
const byKey = (received: readonly TakenChange[]): Expected => {
  const seen: Expected = new Map()
  for (const change of received) note(seen, change.originalOrderId, change.changeKind, change.status)
  return seen
}

/** The status an applied status event leaves (docs/contract.md). */
const STATUS_AFTER: Readonly<Record<string, string>> = {
  'order.paid': 'paid',
  'order.received': 'handed_to_courier',
  'order.delivered': 'delivered',
}

/**
 * The changes a consumer must receive for one key, from the key's journal (oldest first): an entry `created`,
 * `review`, or `applied` is a change of the order; the status after it follows the status events applied (and the
 * pending ones, at the create).
 */
const expectedFromJournal = (records: readonly JournalRecord[]): string[] => {
  let status = 'new'
  let pendingStatus: string | undefined
  const changes: string[] = []
  for (const record of records) {
    const type = record.eventType ?? ''
    if (record.outcome === 'pending') pendingStatus = STATUS_AFTER[type] ?? pendingStatus
    else if (record.outcome === 'created') {
      status = pendingStatus ?? status
      changes.push(`created:${status}`)
    } else if (record.outcome === 'review') changes.push(`review_marked:${status}`)
    else if (record.outcome === 'applied') {
      if (type === 'order.changed') changes.push(`changed:${status}`)
      else if (type === REVIEW_CLEARED_EVENT_TYPE) changes.push(`review_cleared:${status}`)
      else {
        status = STATUS_AFTER[type] ?? status
        changes.push(`status:${status}`)
      }
    }
  }
  return changes
}

const total = (expected: Expected): number => [...expected.values()].reduce((sum, list) => sum + list.length, 0)

/** Compares what a consumer received with what was committed: missing, twice, out of order per key. */
const audit = (expected: Expected, received: readonly TakenChange[]) => {
  const ids = new Map<number, number>()
  for (const change of received) ids.set(change.changeId, (ids.get(change.changeId) ?? 0) + 1)
  const twice = [...ids.values()].filter((n) => n > 1).length
  const seen = byKey(received)
  let missing = 0
  const outOfOrder: string[] = []
  for (const [key, list] of expected) {
    const got = seen.get(key) ?? []
    missing += Math.max(
      0,
      list.length - new Set(received.filter((c) => c.originalOrderId === key).map((c) => c.changeId)).size,
    )
    if (JSON.stringify(got) !== JSON.stringify(list))
      outOfOrder.push(`${key}: expected ${list.join(' ')}; got ${got.join(' ')}`)
  }
  const unexpected = [...seen.keys()].filter((key) => !expected.has(key))
  return { twice, missing, outOfOrder, unexpected }
}

const depthOf = (stats: StoreStats, consumer: string): number | undefined =>
  stats.tables.find((t) => t.table === queueTableName(consumer))?.rows

/** Takes everything a consumer has queued (what an earlier test left), so that a test starts from an empty queue. */
const drain = async (pool: mssql.ConnectionPool, schema: string, consumer: string): Promise<void> => {
  while (
    (
      await inConsumerTransaction(pool, async (transaction) => ({
        value: await takeChanges(transaction, schema, consumer, 1000),
        commit: true,
      }))
    ).length > 0
  );
}

const sessionPool = (fixture: MigratedSchema): Promise<mssql.ConnectionPool> =>
  new mssql.ConnectionPool({
    ...mssqlConfig(fixture.settings),
    requestTimeout: 60_000,
    pool: { max: 1, min: 0 },
  }).connect()

if (url !== undefined) {
  describe('SQL Server adapter: the change queue (take_order_changes) loses nothing and repeats nothing', () => {
    let fixture: MigratedSchema | undefined
    let stores: DominoDbStore[] = []
    let sessions: mssql.ConnectionPool[] = []
    const erp = consumerName('erp-assembly')
    const copy = consumerName('audit')

    before(async function () {
      this.timeout(120_000)
      fixture = await migratedSchema(url, {
        DOMINO_DB_POOL_MAX: '3',
        DOMINO_DB_POOL_MIN: '2',
        DOMINO_DB_REQUEST_TIMEOUT_MS: '3900',
      })
      const consumers = changeQueueConsumers(fixture.admin, fixture.settings.schema)
      expect(await consumers.add(erp)).to.equal('added')
      expect(await consumers.add(erp)).to.equal('exists')
      expect(await consumers.add(copy)).to.equal('added')
      // Two hook instances on one schema: two stores, each with its own pool.
      stores = [
        await openDominoDbStore(fixture.settings, { now: () => new Date() }),
        await openDominoDbStore(fixture.settings, { now: () => new Date() }),
      ]
      sessions = [await sessionPool(fixture), await sessionPool(fixture)]
    })

    after(async function () {
      this.timeout(60_000)
      for (const store of stores) await store.close()
      for (const session of sessions) await session.close()
      await fixture?.drop()
    })

    it('gives every committed change to each of two sessions of one consumer exactly once, in order per key, while two hook instances write and a quarter of the takes roll back; a second consumer gets its own full copy; retention deletes none', async function () {
      this.timeout(600_000)
      if (fixture === undefined || stores.length !== 2 || sessions.length !== 2) throw new Error('not set up')
      const { admin, schema } = fixture
      const random = seededRandom(16)
      const expected: Expected = new Map()
      const keysPerWriter = 10
      let orders = 0
      let writing = true

      // Each key's operations run one after another (what SberMarket sends for one order), alternating the two
      // instances; four keys are in flight at once. An operation the store answers with a timeout or unavailability
      // is sent again, as SberMarket does after a 503 (the machine is shared: an operation may miss its budget, and
      // may still have committed). What committed is what the journal says, entry by entry: that is what a consumer
      // must receive.
      const keys: string[] = []
      let retries = 0
      const sent = async <A>(task: () => TE.TaskEither<RepositoryError, A>): Promise<void> => {
        for (let attempt = 1; ; attempt += 1) {
          const result = await task()()
          if (E.isRight(result)) return
          if ((result.left._tag !== 'StoreTimeout' && result.left._tag !== 'StoreUnavailable') || attempt >= 5)
            throw new Error(`${result.left._tag}: ${result.left.reason}`)
          retries += 1
        }
      }
      const writer = async (w: number): Promise<void> => {
        for (let k = 0; k < keysPerWriter; k += 1) {
          const key = uniqueOrderId(`Q${w}`)
          keys.push(key)
          const store = (i: number): DominoDbStore => stores[(w + k + i) % 2] as DominoDbStore
          const update = (
            i: number,
            case_: { readonly update: OrderUpdate; readonly rawBody: string },
            eventType: string,
          ): Promise<void> =>
            sent(() => store(i).repository.applyUpdate(case_.update, receiptFor(eventType, case_.rawBody, new Date())))
          if (k % 4 === 1) await update(0, aStatusReported('order.paid', key), 'order.paid') // pending: no change until the create
          const event = anOrderCreated({ originalOrderId: key })
          await sent(() => store(1).repository.createOrGet(event, createdReceipt(event, new Date())))
          orders += 1
          await sent(() => store(2).repository.createOrGet(event, createdReceipt(event, new Date()))) // a duplicate: no change
          await update(3, anOrderChanged({ originalOrderId: key, comment: `change ${k}` }), 'order.changed')
          if (k % 3 === 0) {
            await update(4, anUnreadableChange({ originalOrderId: key, positions: 'нет' }), 'order.changed')
            const cleared: OrderUpdate = {
              _tag: 'ReviewCleared',
              originalOrderId: key as OriginalOrderId,
              note: 'settled',
            }
            await update(5, { update: cleared, rawBody: reviewClearedBody(key, 'settled') }, REVIEW_CLEARED_EVENT_TYPE)
          }
          if (k % 4 !== 1) await update(6, aStatusReported('order.paid', key), 'order.paid')
          await update(7, aStatusReported('order.received', key), 'order.received')
          await update(8, aStatusReported('order.delivered', key), 'order.delivered')
          await update(9, aStatusReported('order.paid', key), 'order.paid') // stale after delivery: no change
        }
      }

      // Two sessions of one consumer: transactions of random size, a quarter rolled back. A job has its changes
      // when take_order_changes returns them inside its transaction, and does its work there, before its commit
      // (docs/domino-integration.md §4): the order per key is the order in which the takes of committed transactions
      // returned. The order in which the commits' acknowledgements reach this process is not that order: a session
      // whose commit released its locks may be answered after another session has already taken the key's next
      // changes and committed (the likely cause of one failure of this test, in a full run, when it asserted that
      // order: one key's later change before its earlier ones). That order is counted and printed, not asserted.
      const acknowledgedOrder: TakenChange[] = []
      const takesReturned: { readonly seq: number; readonly taken: readonly TakenChange[] }[] = []
      let takeSeq = 0
      const counts = { takes: 0, committed: 0, rolledBack: 0, rowsGivenBack: 0, emptyTakes: 0, deadlockVictims: 0 }
      const session = async (pool: mssql.ConnectionPool): Promise<void> => {
        let emptyStreak = 0
        while (writing || emptyStreak < 3) {
          const max = 1 + Math.floor(random() * 12)
          const rollBack = random() < 0.25
          let taken: TakenChange[]
          let seq: number
          try {
            ;({ taken, seq } = await inConsumerTransaction(pool, async (transaction) => {
              const value = await takeChanges(transaction, schema, erp, max)
              takeSeq += 1
              return { value: { taken: value, seq: takeSeq }, commit: !rollBack }
            }))
          } catch (error) {
            // The server rolled the take back (a consumer retries): possible on the T-SQL engine, where two sessions'
            // DELETEs wait for each other's rows (it ignores READPAST and UPDLOCK); SQL Server's sessions never wait.
            if (classifySqlError('take', error)._tag !== 'Deadlock') throw error
            counts.deadlockVictims += 1
            continue
          }
          counts.takes += 1
          if (taken.length === 0) {
            counts.emptyTakes += 1
            emptyStreak += 1
            await new Promise((resolve) => setTimeout(resolve, 20))
            continue
          }
          emptyStreak = 0
          expect(taken.length).to.be.at.most(max)
          if (rollBack) {
            counts.rolledBack += 1
            counts.rowsGivenBack += taken.length
          } else {
            counts.committed += 1
            acknowledgedOrder.push(...taken)
            takesReturned.push({ seq, taken })
          }
        }
      }

      const writers = Promise.all([0, 1, 2, 3].map(writer)).finally(() => {
        writing = false
      })
      const consumers = Promise.all(sessions.map(session))
      // Retention while everything runs (once a quarter of the orders are written): every journal body cleared; it
      // must not touch a change.
      while (writing && orders < keysPerWriter) await new Promise((resolve) => setTimeout(resolve, 20))
      const midway = await ok(
        (stores[0] as DominoDbStore).repository.applyRetention({
          clearBodiesReceivedBefore: new Date(Date.now() + 60_000),
          expirePendingReceivedBefore: new Date(Date.UTC(1999, 0, 1)),
          now: new Date(),
          batchSize: 100,
        }),
      )
      await writers
      await consumers
      // What a session may have left when both stopped (one rolled back as the other gave up): taken by one session.
      let drained = 0
      for (;;) {
        const rest = await inConsumerTransaction(sessions[0] as mssql.ConnectionPool, async (transaction) => ({
          value: await takeChanges(transaction, schema, erp, 100),
          commit: true,
        }))
        if (rest.length === 0) break
        drained += rest.length
        acknowledgedOrder.push(...rest)
        takeSeq += 1
        takesReturned.push({ seq: takeSeq, taken: rest })
      }
      const inTakeOrder = [...takesReturned].sort((a, b) => a.seq - b.seq).flatMap((take) => take.taken)

      // What committed, by the journal of each key (its entries are written in the transaction of the change, in
      // the key's commit order).
      for (const key of keys) {
        for (const change of expectedFromJournal(await ok((stores[0] as DominoDbStore).repository.listJournal(key)))) {
          const [kind = '', status = ''] = change.split(':')
          note(expected, key, kind, status)
        }
      }
      // Retention after the run, with every cutoff in the future: the second consumer's queue keeps every change.
      const changes = total(expected)
      const before = await ok((stores[1] as DominoDbStore).repository.stats())
      await ok(
        (stores[1] as DominoDbStore).repository.applyRetention({
          clearBodiesReceivedBefore: new Date(Date.now() + 60_000),
          expirePendingReceivedBefore: new Date(Date.now() + 60_000),
          now: new Date(),
          batchSize: 100,
        }),
      )
      const after = await ok((stores[1] as DominoDbStore).repository.stats())
      expect(depthOf(before, copy), 'queue depth of the second consumer before retention').to.equal(changes)
      expect(depthOf(after, copy), 'retention deleted a change not taken').to.equal(changes)
      expect(depthOf(after, erp), 'the first consumer took everything').to.equal(0)

      // The second consumer: one session, random batches, all committed.
      const copyReceived: TakenChange[] = []
      for (;;) {
        const max = 1 + Math.floor(random() * 40)
        const taken = await inConsumerTransaction(sessions[1] as mssql.ConnectionPool, async (transaction) => ({
          value: await takeChanges(transaction, schema, copy, max),
          commit: true,
        }))
        if (taken.length === 0) break
        copyReceived.push(...taken)
      }

      const first = audit(expected, inTakeOrder)
      const acknowledged = audit(expected, acknowledgedOrder)
      const second = audit(expected, copyReceived)
      console.log(
        `      ${orders} orders by 2 hook instances, ${changes} changes; consumer ${erp} (2 sessions): ${counts.takes} takes, ${counts.committed} committed, ` +
          `${counts.rolledBack} rolled back (${counts.rowsGivenBack} rows given back), ${counts.emptyTakes} empty, ${counts.deadlockVictims} deadlock victims, ${drained} drained at the end; ` +
          `received ${inTakeOrder.length}: missing ${first.missing}, twice ${first.twice}, out of order ${first.outOfOrder.length} ` +
          `(by the order the commits were acknowledged here: ${acknowledged.outOfOrder.length}); ` +
          `consumer ${copy}: received ${copyReceived.length}: missing ${second.missing}, twice ${second.twice}, out of order ${second.outOfOrder.length}; ` +
          `retention cleared ${midway.bodiesCleared} bodies meanwhile and deleted no change; ${retries} operations sent again after a store timeout`,
      )
      for (const key of acknowledged.outOfOrder) console.log(`      acknowledged out of take order: ${key}`)
      expect(orders).to.equal(4 * keysPerWriter)
      expect(counts.rolledBack, 'some takes rolled back').to.be.greaterThan(0)
      for (const result of [first, second]) {
        expect(result.twice, 'changes received twice').to.equal(0)
        expect(result.missing, 'changes never received').to.equal(0)
        expect(result.unexpected, 'changes of keys never written').to.deep.equal([])
        expect(result.outOfOrder, 'keys whose changes arrived out of order').to.deep.equal([])
      }
      expect(inTakeOrder.length).to.equal(changes)
      expect(copyReceived.length).to.equal(changes)
      expect(await queuedRows(admin, schema, erp)).to.equal(0)
      expect(await queuedRows(admin, schema, copy)).to.equal(0)
    })

    it("tells every consumer of an erasure of a customer's personal data, as of any other change", async function () {
      this.timeout(60_000)
      if (fixture === undefined || stores.length !== 2 || sessions.length !== 2) throw new Error('not set up')
      const { schema } = fixture
      const [a] = sessions as [mssql.ConnectionPool, mssql.ConnectionPool]
      for (const consumer of [erp, copy]) await drain(a, schema, consumer)
      const repository = (stores[0] as DominoDbStore).repository
      const key = uniqueOrderId('E')
      const event = anOrderCreated({ originalOrderId: key })
      await ok(repository.createOrGet(event, createdReceipt(event, new Date())))
      await ok(
        repository.erasePersonalData(
          key as OriginalOrderId,
          receiptFor(PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody(key, 'customer asked'), new Date()),
        ),
      )
      for (const consumer of [erp, copy]) {
        const taken = await inConsumerTransaction(a, async (transaction) => ({
          value: await takeChanges(transaction, schema, consumer, 10),
          commit: true,
        }))
        expect(
          taken.map((c) => [c.originalOrderId, c.changeKind]),
          consumer,
        ).to.deep.equal([
          [key, 'created'],
          [key, 'erased'],
        ])
      }
    })

    it('gives a rolled-back take back in order, keeps a key whole across two sessions, and refuses a call outside a transaction or of an unknown consumer', async function () {
      this.timeout(60_000)
      if (fixture === undefined || stores.length !== 2 || sessions.length !== 2) throw new Error('not set up')
      const { schema } = fixture
      const [a, b] = sessions as [mssql.ConnectionPool, mssql.ConnectionPool]
      for (const consumer of [erp, copy]) await drain(a, schema, consumer)
      const repository = (stores[0] as DominoDbStore).repository
      const first = uniqueOrderId('R')
      const second = uniqueOrderId('R')
      for (const key of [first, second]) {
        const event = anOrderCreated({ originalOrderId: key })
        await ok(repository.createOrGet(event, createdReceipt(event, new Date())))
      }
      const paid = aStatusReported('order.paid', first)
      await ok(repository.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, new Date())))
      // Queue of erp: first:created, second:created, first:status. Session A takes the oldest row and holds it while
      // session B takes; then A rolls back, and takes again. Whatever B got, the changes of `first` must come in order
      // and every change once. On SQL Server B skips A's row and the key it holds: it gets second:created at once.
      // On the T-SQL engine B's DELETE waits for A's row, and after A's rollback takes all three, in order.
      const label = (c: TakenChange): string =>
        `${c.originalOrderId === first ? 'first' : 'second'}:${c.changeKind}:${c.status}`
      const held = new mssql.Transaction(a)
      await held.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
      let meanwhile: Promise<TakenChange[] | Error>
      try {
        const taken = await takeChanges(held, schema, erp, 1)
        expect(taken.map(label)).to.deep.equal(['first:created:new'])
        // Settled to a value at once, so that a failure is reported by the assertion below, not as an unhandled rejection.
        meanwhile = inConsumerTransaction(b, async (transaction) => ({
          value: await takeChanges(transaction, schema, erp, 10),
          commit: true,
        })).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
      } finally {
        await held.rollback()
      }
      const tookByB = await meanwhile
      if (tookByB instanceof Error) throw tookByB
      const byB = tookByB.map(label)
      const again = (
        await inConsumerTransaction(a, async (transaction) => ({
          value: await takeChanges(transaction, schema, erp, 10),
          commit: true,
        }))
      ).map(label)
      console.log(
        `      while session A held first:created, session B took [${byB.join(', ')}]; after A's rollback A took [${again.join(', ')}]`,
      )
      const all = [...byB, ...again]
      expect([...all].sort()).to.deep.equal(['first:created:new', 'first:status:paid', 'second:created:new'])
      expect(all.filter((c) => c.startsWith('first:'))).to.deep.equal(['first:created:new', 'first:status:paid'])
      if (!(await isTsqlEngine(fixture.admin))) expect(byB).to.deep.equal(['second:created:new'])
      await inConsumerTransaction(a, async (transaction) => ({
        value: await takeChanges(transaction, schema, copy, 1000),
        commit: true,
      }))

      const outside = await a
        .request()
        .input('consumer', mssql.NVarChar(64), erp)
        .input('max', mssql.Int(), 1)
        .query(`EXEC [${schema}].[take_order_changes] @consumer = @consumer, @max = @max;`)
        .then(
          () => undefined,
          (e: unknown) => e,
        )
      expect(errorFacts(outside).number, 'outside a transaction').to.equal(50021)
      const unknown = await inConsumerTransaction(a, async (transaction) => ({
        value: await takeChanges(transaction, schema, 'nobody', 1).then(
          () => undefined,
          (e: unknown) => e,
        ),
        commit: false,
      }))
      expect(errorFacts(unknown).number, 'an unknown consumer').to.equal(50023)
      const tooMany = await inConsumerTransaction(a, async (transaction) => ({
        value: await takeChanges(transaction, schema, erp, 1001).then(
          () => undefined,
          (e: unknown) => e,
        ),
        commit: false,
      }))
      expect(errorFacts(tooMany).number, '@max over 1000').to.equal(50022)
    })

    it('lets a second session take the next changes at once while a first holds the oldest (READPAST)', async function () {
      this.timeout(60_000)
      if (fixture === undefined || stores.length !== 2 || sessions.length !== 2) throw new Error('not set up')
      const { schema, admin } = fixture
      const [a, b] = sessions as [mssql.ConnectionPool, mssql.ConnectionPool]
      for (const consumer of [erp, copy]) await drain(a, schema, consumer)
      const repository = (stores[1] as DominoDbStore).repository
      const keys = [uniqueOrderId('P'), uniqueOrderId('P'), uniqueOrderId('P')]
      for (const key of keys) {
        const event = anOrderCreated({ originalOrderId: key })
        await ok(repository.createOrGet(event, createdReceipt(event, new Date())))
      }
      const held = new mssql.Transaction(a)
      await held.begin(mssql.ISOLATION_LEVEL.READ_COMMITTED)
      let meanwhile: TakenChange[] = []
      let waited: unknown
      try {
        expect((await takeChanges(held, schema, erp, 1)).map((c) => c.originalOrderId)).to.deep.equal([keys[0]])
        // SQL Server: READPAST skips the row A holds, so TOP (2) are the next two keys' rows, at once. LOCK_TIMEOUT 1
        // turns any wait for A's row into an error instead of a wait that A's rollback (below) would end.
        await b.request().batch('SET LOCK_TIMEOUT 1;')
        waited = await inConsumerTransaction(b, async (transaction) => {
          const value = await takeChanges(transaction, schema, erp, 2).then(
            (rows) => {
              meanwhile = rows
              return undefined
            },
            (e: unknown) => e,
          )
          return { value, commit: false }
        })
      } finally {
        await b.request().batch('SET LOCK_TIMEOUT -1;')
        await held.rollback()
      }
      await inConsumerTransaction(a, async (transaction) => ({
        value: await takeChanges(transaction, schema, erp, 1000),
        commit: true,
      }))
      await inConsumerTransaction(a, async (transaction) => ({
        value: await takeChanges(transaction, schema, copy, 1000),
        commit: true,
      }))
      const got = meanwhile.map((c) => c.originalOrderId)
      if (waited !== undefined && (await isTsqlEngine(admin))) {
        pendingBecause(
          this,
          `the T-SQL engine ignores READPAST and UPDLOCK: a second session asking for 2 changes while the first held the oldest waited for ` +
            `the held row instead of skipping it (under SET LOCK_TIMEOUT 1: error ${String(errorFacts(waited).number)}, ${(waited as Error).message.slice(0, 60)}). ` +
            'Exactly once and the order per key hold there (the tests above), by waiting; taking the next rows at once runs only on SQL Server',
        )
      }
      expect(waited, 'the second session waited for the first one').to.equal(undefined)
      expect(got).to.deep.equal([keys[1], keys[2]])
    })
  })
}
