import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import mssql from 'mssql'
import { migrate, openDominoDbStore, type DominoDbStore, type SchemaName } from '@domino-sm/adapter-domino-db'
import {
  loadMigrations,
  MAX_PENDING_PER_BATCH,
  openConnectionPool,
  outsideTransaction,
  renderMigration,
  splitBatches,
  withBudget,
} from '@domino-sm/adapter-domino-db/internals'
import type { OrderRepository } from '@domino-sm/core'
import {
  aStatusReported,
  aStatusReportedByOrderUuid,
  aWeighedWirePosition,
  aWirePosition,
  anOrderChanged,
  anOrderCreated,
  anOrderCreatedByOrderUuid,
  createdReceipt,
  FIXTURE_NAMES,
  fullOrderPayload,
  loadFixture,
  newRequestId,
  receiptFor,
  uniqueOrderId,
  type WirePositionJson,
} from '@domino-sm/testkit'
import { uniqueOrderUuid } from '@domino-sm/testkit/contract'
import { installDriverRecorder } from './driver-recorder.js'
import {
  dropSchema,
  freshSchemaName,
  migratedSchema,
  openAdminPool,
  testServerUrl,
  testSettings,
  warmStore,
  type MigratedSchema,
} from './sql-server-harness.js'
import {
  describeSummary,
  describeViolations,
  normalisedText,
  summarise,
  TextTally,
  violationsOf,
  type SentRequest,
} from './statement-text-check.js'

/**
 * Customer data of the test fixtures and builders (names, phones, e-mails, addresses, comments, product names and
 * codes): none of it may occur in any statement text of the adapter. Only strings that no T-SQL text could hold by
 * itself: with a character outside identifiers and numbers, or a long run of digits (a phone, a product code).
 */
const customerData = (): readonly string[] => {
  const found = new Set<string>(['Ёлкина Мария', 'Иван «Ёжиков»', '89000000000'])
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.length >= 4 && (/[^A-Za-z0-9_.:-]/.test(value) || /^[0-9]{7,}$/.test(value))) found.add(value)
    } else if (Array.isArray(value)) value.forEach(walk)
    else if (typeof value === 'object' && value !== null) Object.values(value).forEach(walk)
  }
  walk(fullOrderPayload('K'))
  walk([aWirePosition(), aWeighedWirePosition()])
  for (const name of FIXTURE_NAMES) walk(loadFixture(name).payload)
  return [...found]
}

// Installed when this file loads, before any test of the run starts: every request the adapter sends in this mocha
// process is seen, whichever test file sends it (`npm test` runs every package's tests in one process).
const recorder = installDriverRecorder()
const CUSTOMER_DATA = customerData()
const tally = new TextTally(CUSTOMER_DATA)
/** Texts a test below sends on purpose with a value spliced in, to show the check fails them; counted apart. */
const deliberate = new Set<string>()
let deliberateSeen = 0
recorder.listen((request) => {
  if ([...deliberate].some((text) => request.text.includes(text))) deliberateSeen += 1
  else tally.add(request)
})

const url = testServerUrl()

// A root-level hook: mocha runs it after every test of the run, of every file, so it judges the whole suite.
after(function () {
  const summary = tally.summary()
  const counts = recorder.counts()
  console.log('\n  Statement texts of the adapter over this run (driver recorder):')
  for (const line of describeSummary(summary)) console.log(`    ${line}`)
  console.log(
    `    requests seen by the wrapper: ${counts.wrapper}, by mssql's diagnostics channels: ${counts.channels}; ` +
      `bulk or prepared: ${counts.unrecorded}; deliberate bad statements set aside: ${deliberateSeen}`,
  )
  const own = [...counts.notAdapter.entries()].map(([file, n]) => `${file} ${n}`).join(', ')
  console.log(`    the tests' own SQL, called from the test files, not checked: ${own === '' ? 'none' : own}`)
  if (url === undefined) console.log('    (DOMINO_DB_TEST_URL is not set: no SQL Server test ran, nothing was sent)')
  expect(counts.channels, 'every request the driver reports was seen with its values').to.equal(counts.wrapper)
  expect(counts.unrecorded, 'bulk loads and prepared statements of the adapter').to.equal(0)
  if (url !== undefined && summary.requests === 0)
    throw new Error('DOMINO_DB_TEST_URL is set but no request of the adapter was recorded: the recorder is broken')
  if (summary.violations.length > 0) {
    throw new Error(
      `${summary.violations.length} value(s) of requests found in statement texts:\n${describeViolations(summary.violations)}`,
    )
  }
})

const run = async <A>(task: TE.TaskEither<unknown, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`operation failed: ${JSON.stringify(result.left)}`)
  return result.right
}

/** `count` positions, their codes, names and prices taken from `n`, so that every order sends other values. */
const positions = (count: number, n: number): WirePositionJson[] =>
  Array.from({ length: count }, (_, i) =>
    aWirePosition({
      id: `46${String(n).padStart(5, '0')}${String(i).padStart(6, '0')}`,
      name: `Товар ${n}-${i}`,
      price: `${100 + n}.${String(i % 100).padStart(2, '0')}`,
    }),
  )

/**
 * One order's life through every kind of operation: a status before its order (pending), one keyed by its orderUUID
 * alone (pending under it), the create with both keys that consumes them, a duplicate create, a status, a change, a
 * status and a create keyed by the orderUUID alone that reach the order, the edge's answer journaled after the
 * commit, a rejected request journaled, and the reads. Customer values and orderUUIDs differ per order.
 */
const orderLife = async (repository: OrderRepository, n: number, lines: number): Promise<void> => {
  const key = uniqueOrderId('G')
  const uuid = uniqueOrderUuid(`shop${n}`)
  const payload = {
    originalOrderId: key,
    orderUUID: uuid,
    customer: { name: `Покупатель Номер ${n}`, phone: `+7903${String(n).padStart(7, '0')}` },
    positions: positions(lines, n),
  }
  const early = aStatusReported('order.paid', key)
  expect(
    (await run(repository.applyUpdate(early.update, receiptFor('order.paid', early.rawBody, new Date())))).result
      .outcome,
  ).to.equal('pending')
  const earlyByUuid = aStatusReportedByOrderUuid('order.paid', uuid)
  expect(
    (await run(repository.applyUpdate(earlyByUuid.update, receiptFor('order.paid', earlyByUuid.rawBody, new Date()))))
      .result.outcome,
  ).to.equal('pending')
  const event = anOrderCreated(payload)
  const receipt = createdReceipt(event, new Date())
  expect((await run(repository.createOrGet(event, receipt))).result._tag).to.equal('Created')
  expect((await run(repository.createOrGet(event, createdReceipt(event, new Date())))).result._tag).to.equal(
    'AlreadyExists',
  )
  const received = aStatusReported('order.received', key)
  expect(
    (await run(repository.applyUpdate(received.update, receiptFor('order.received', received.rawBody, new Date()))))
      .result.outcome,
  ).to.equal('applied')
  const changed = anOrderChanged({ ...payload, comment: `Изменение ${n}` })
  expect(
    (await run(repository.applyUpdate(changed.update, receiptFor('order.changed', changed.rawBody, new Date())))).result
      .outcome,
  ).to.equal('applied')
  const cancelled = aStatusReportedByOrderUuid('order.cancelled', uuid, {
    cancellation: { slug: 'out_of_stock', description: `Причина ${n}` },
  })
  expect(
    (await run(repository.applyUpdate(cancelled.update, receiptFor('order.cancelled', cancelled.rawBody, new Date()))))
      .result.outcome,
  ).to.equal('applied')
  const createdByUuid = anOrderCreatedByOrderUuid(uuid, payload)
  expect(
    (await run(repository.createOrGet(createdByUuid, createdReceipt(createdByUuid, new Date())))).result,
  ).to.include({ _tag: 'AlreadyExists' })
  const answered = {
    requestId: receipt.requestId,
    receivedAt: receipt.receivedAt,
    eventType: 'order.created',
    originalOrderId: key,
    rawBody: receipt.rawBody,
    outcome: 'failed',
    httpStatus: 503,
    durationMs: 5000,
    detail: `answered 503 (${n})`,
  } as const
  await run(repository.recordJournal(answered))
  await run(
    repository.recordJournal({
      ...answered,
      requestId: newRequestId(),
      outcome: 'rejected',
      httpStatus: 400,
      rawBody: `{"bad":${n}}`,
      detail: `rejected ${n}`,
    }),
  )
  await run(repository.findOrder(event.originalOrderId))
  await run(repository.listJournal(key))
}

const textsOf = (requests: readonly SentRequest[]): Set<string> => new Set(requests.map((r) => normalisedText(r.text)))

if (url !== undefined) {
  describe('SQL Server adapter: no value of a request in any statement text', () => {
    let fixture: MigratedSchema | undefined
    let store: DominoDbStore | undefined

    before(async function () {
      this.timeout(120_000)
      fixture = await migratedSchema(url, { DOMINO_DB_POOL_MAX: '2', DOMINO_DB_POOL_MIN: '2' })
      store = await openDominoDbStore(fixture.settings, { now: () => new Date() })
      await warmStore(store.repository, 2)
    })

    after(async function () {
      this.timeout(60_000)
      await store?.close()
      await fixture?.drop()
    })

    it('sends the same statement texts for 4 orders and for 12 more (lines fixed at 3): the texts do not grow with the orders', async function () {
      this.timeout(300_000)
      if (store === undefined) throw new Error('not set up')
      const N = 4
      const first = recorder.collect()
      for (let n = 0; n < N; n += 1) await orderLife(store.repository, n, 3)
      await run(store.repository.stats())
      const afterN = first.stop()
      const second = recorder.collect()
      for (let n = N; n < 4 * N; n += 1) await orderLife(store.repository, n, 3)
      await run(store.repository.stats())
      const after3N = second.stop()
      const textsN = textsOf(afterN)
      const textsAll = new Set([...textsN, ...textsOf(after3N)])
      console.log(
        `      ${N} orders: ${afterN.length} requests, ${textsN.size} distinct texts; ${3 * N} more: ${after3N.length} requests, ${textsAll.size} distinct texts in all`,
      )
      for (const line of describeSummary(summarise([...afterN, ...after3N], CUSTOMER_DATA)))
        console.log(`        ${line}`)
      expect(after3N.length - 1, 'three times the orders, three times the requests (stats once each)').to.equal(
        3 * (afterN.length - 1),
      )
      expect(
        [...textsAll].filter((t) => !textsN.has(t)),
        'texts that appeared only with more orders',
      ).to.deep.equal([])
      expect(summarise([...afterN, ...after3N], CUSTOMER_DATA).violations).to.deep.equal([])
    })

    it('varies a text with the number of lines of an order only (one text per line count of a chunk), never with the values', async function () {
      this.timeout(300_000)
      if (store === undefined) throw new Error('not set up')
      const repository = store.repository
      const create = async (lines: number, n: number): Promise<void> => {
        const event = anOrderCreated({
          originalOrderId: uniqueOrderId('L'),
          customer: { name: `Клиент ${n}` },
          positions: positions(lines, n),
        })
        expect((await run(repository.createOrGet(event, createdReceipt(event, new Date())))).result._tag).to.equal(
          'Created',
        )
      }
      const measure = async (counts: readonly number[], from: number): Promise<Set<string>> => {
        const window = recorder.collect()
        for (const [i, lines] of counts.entries()) await create(lines, from + i)
        return textsOf(window.stop())
      }
      const once = await measure([1, 2, 5, 150, 151], 100)
      const again = await measure([1, 2, 5, 150, 151, 1, 2, 5], 200)
      const lineCounts = await measure([1, 2, 5, 150, 151, 7], 300)
      const added = [...lineCounts].filter((t) => !once.has(t))
      console.log(
        `      creates of 1, 2, 5, 150, 151 lines: ${once.size} distinct texts; the same line counts again (8 orders): ${[...again].filter((t) => !once.has(t)).length} new; ` +
          `one more line count (7): ${added.length} new`,
      )
      expect(
        [...again].filter((t) => !once.has(t)),
        'the same line counts, other orders: no new text',
      ).to.deep.equal([])
      expect(added.length, 'a new line count: one new text (the write request with its chunk of lines)').to.equal(1)
    })

    it('expires pending updates with texts that follow the shape of a batch (keys, rows), never its values', async function () {
      this.timeout(300_000)
      const own = await migratedSchema(url, { DOMINO_DB_POOL_MAX: '2', DOMINO_DB_POOL_MIN: '1' })
      const retentionStore = await openDominoDbStore(own.settings, { now: () => new Date() })
      try {
        const repository = retentionStore.repository
        // Rows per key of each batch: (1 key, 1 row), (2, 2), (1, 3), (3, 4).
        const shapes: readonly (readonly number[])[] = [[1], [1, 1], [3], [2, 1, 1]]
        const batch = async (shape: readonly number[], round: number): Promise<readonly SentRequest[]> => {
          const day = new Date(Date.UTC(1980 + round, 0, 1, 12))
          for (const rows of shape) {
            const key = uniqueOrderId('R')
            for (let i = 0; i < rows; i += 1) {
              const type = i % 2 === 0 ? 'order.paid' : 'order.received'
              const status = aStatusReported(type, key)
              await run(repository.applyUpdate(status.update, receiptFor(type, status.rawBody, day)))
            }
          }
          const window = recorder.collect()
          const policy = {
            clearBodiesReceivedBefore: new Date(Date.UTC(1970, 0, 1)),
            expirePendingReceivedBefore: new Date(day.getTime() + 86_400_000),
            now: new Date(),
            batchSize: MAX_PENDING_PER_BATCH,
          }
          const report = await run(repository.applyRetention(policy))
          expect(report.pendingExpired).to.equal(shape.reduce((a, b) => a + b, 0))
          return window.stop().filter((r) => r.composer.startsWith('operations/retention-operation.js'))
        }
        const first: SentRequest[] = []
        for (const [i, shape] of shapes.entries()) first.push(...(await batch(shape, i)))
        const second: SentRequest[] = []
        for (const [i, shape] of shapes.entries()) second.push(...(await batch(shape, shapes.length + i)))
        const texts = textsOf(first)
        const added = [...textsOf(second)].filter((t) => !texts.has(t))
        console.log(
          `      retention of 4 batch shapes: ${first.length} requests, ${texts.size} distinct texts; the same shapes with other keys and values: ${added.length} new ` +
            `(the DELETE of a batch has one text per (keys, rows) and its journal INSERT one per rows: up to ${MAX_PENDING_PER_BATCH} rows per batch)`,
        )
        expect(added, 'the same shapes, other orders: no new text').to.deep.equal([])
        expect(summarise([...first, ...second], CUSTOMER_DATA).violations).to.deep.equal([])
      } finally {
        await retentionStore.close()
        await own.drop()
      }
    })

    it('migrates two schemas with the same texts once the schema name is set aside: only the validated name varies, the values are parameters', async function () {
      this.timeout(180_000)
      if (fixture === undefined) throw new Error('not set up')
      const admin = await openAdminPool(fixture.settings)
      const schemas = [freshSchemaName(), freshSchemaName()] as SchemaName[]
      try {
        const shipped = await loadMigrations()
        const perSchema: { schema: SchemaName; requests: readonly SentRequest[] }[] = []
        for (const schema of schemas) {
          const window = recorder.collect()
          await migrate(admin, { schema })
          perSchema.push({ schema, requests: window.stop() })
        }
        const bySchema = perSchema.map(
          ({ schema, requests }) =>
            new Set(requests.map((r) => `${r.method} ${r.text.split(schema).join('{schema}')}`)),
        )
        const [a, b] = bySchema
        expect([...(a ?? [])].sort()).to.deep.equal([...(b ?? [])].sort())
        for (const { schema, requests } of perSchema) {
          const expected = new Set(
            shipped.flatMap((m) => {
              const sql = renderMigration(m, schema)
              if (E.isLeft(sql)) throw new Error(sql.left)
              return splitBatches(sql.right)
            }),
          )
          const batches = requests.filter((r) => r.method === 'batch')
          expect(batches.length, 'one batch per shipped batch').to.equal(expected.size)
          for (const batch of batches) {
            expect(expected.has(batch.text), 'a DDL batch is a shipped batch with the schema name filled in').to.equal(
              true,
            )
            expect(Object.keys(batch.params), 'DDL batches carry no value').to.deep.equal([])
          }
          const queries = requests.filter((r) => r.method !== 'batch')
          expect(queries.length, 'the lock and state read, then one INSERT per migration').to.equal(1 + shipped.length)
          expect(
            queries.every((q) => Object.keys(q.params).length > 0),
            'every query binds its values',
          ).to.equal(true)
          expect(summarise(requests, CUSTOMER_DATA).violations).to.deep.equal([])
        }
        console.log(
          `      migrate: ${perSchema[0]?.requests.length ?? 0} requests per schema, ${a?.size ?? 0} distinct texts, the same on both schemas once the name is set aside`,
        )
      } finally {
        for (const schema of schemas) await dropSchema(admin, schema)
        await admin.close()
      }
    })

    it('would fail a statement with a value spliced into its text: the recorder sees it at the adapter door and the check names it', async function () {
      this.timeout(60_000)
      if (fixture === undefined) throw new Error('not set up')
      const name = 'Иван Петров'
      const spliced = `SELECT N'${name}' AS name, @name AS bound WHERE 4817 = @wait;`
      deliberate.add(spliced)
      const { pool, close } = await openConnectionPool(
        testSettings(url, fixture.schema, { DOMINO_DB_POOL_MAX: '1', DOMINO_DB_POOL_MIN: '0' }),
        'serve',
      )
      const window = recorder.collect()
      try {
        await withBudget(10_000, (budget) =>
          outsideTransaction(pool, budget, {
            text: spliced,
            params: [
              { name: 'name', type: mssql.NVarChar(100), value: name },
              { name: 'wait', type: mssql.Int(), value: 4817 },
            ],
          }),
        )
      } finally {
        await close()
      }
      const seen = window.stop().filter((r) => r.text.endsWith(spliced))
      expect(seen.length, 'the recorder saw the request').to.equal(1)
      const violations = seen.flatMap((r) => violationsOf(r, CUSTOMER_DATA))
      console.log(
        `      the spliced statement: ${violations.length} violations: ${violations.map((v) => `${v.parameter} (${v.why})`).join('; ')}`,
      )
      expect(violations.map((v) => v.parameter).sort()).to.deep.equal(['(fixture)', '(none)', '@name', '@wait'])
    })
  })
}
