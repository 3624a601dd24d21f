/**
 * Measures the SQLite store for the README (not run by mocha):
 * `npx tsc -b packages/adapter-sqlite/test && node packages/adapter-sqlite/dist-test/bench/repository-throughput.js`
 * - statements per operation (the worker's code path, run in this thread on a connection that logs every statement);
 * - the repository alone (through the worker): orders/s at 1 and 32 concurrent callers, per-call latency, and the
 *   main thread's event-loop delay meanwhile (perf_hooks.monitorEventLoopDelay);
 * - the same with the write lock held for 1 s by another process;
 * - the structured-clone cost of one call and its answer.
 * With `sustained [orders] [maxWalMiB]` it runs only a long run of creates at 32 callers (default 100,000), for the
 * WAL's peak size (sampled every 10 ms) and the calls' p99 under sustained writes.
 */
import { spawn } from 'node:child_process'
import { statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import { createdReceipt, receiptFor } from '@domino-sm/testkit'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import {
  ALL_MIGRATIONS,
  migrate,
  StoreOperations,
  WriteBatcher,
  type WriteMode,
} from '@domino-sm/adapter-sqlite/internals'
import { orderCreated, statusUpdate } from '../support/order-events.js'
import { tempDatabase } from '../support/temp-database.js'

const require = createRequire(import.meta.url)
const ms = (ns: number): string => (ns / 1e6).toFixed(1)
const walSize = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size
  } catch {
    return 0
  }
}
const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

const statementsPerOperation = async (): Promise<void> => {
  const temp = tempDatabase()
  let count = 0
  const db = new Database(temp.path, {
    verbose: () => {
      count += 1
    },
  })
  db.pragma('journal_mode = WAL')
  migrate(db, ALL_MIGRATIONS, () => new Date())
  const ops = new StoreOperations(db)
  const s = ops.statements
  const batcher = new WriteBatcher({
    begin: () => s.begin.run(),
    commit: () => s.commit.run(),
    rollback: () => s.rollback.run(),
    inTransaction: () => db.inTransaction,
    savepoint: (work) => ops.savepoint(work),
  })
  const one = (work: (mode: WriteMode) => unknown): Promise<unknown> =>
    new Promise((resolve) => batcher.enqueue({ expiresAt: Date.now() + 1000, work, settle: resolve }))
  const N = 200
  const measure = async (
    label: string,
    work: (i: number) => (mode: WriteMode) => unknown,
    together: boolean,
  ): Promise<void> => {
    count = 0
    if (together) await Promise.all(Array.from({ length: N }, (_, i) => one(work(i))))
    else for (let i = 0; i < N; i += 1) await one(work(i))
    console.log(`statements per ${label}: ${(count / N).toFixed(2)}`)
  }
  const created = Array.from({ length: N }, (_, i) => orderCreated(`H-ST-${i}`))
  const paid = Array.from({ length: N }, (_, i) => statusUpdate('order.paid', `H-ST-${i}`))
  const at = new Date()
  await measure(
    'new order.created, journal included, one per commit',
    (i) => (mode) => ops.createOrGet(created[i]!, createdReceipt(created[i]!, at), mode),
    false,
  )
  await measure(
    'duplicate order.created, journal included, one per commit',
    (i) => (mode) => ops.createOrGet(created[i]!, createdReceipt(created[i]!, at), mode),
    false,
  )
  await measure(
    'order.paid (applied), journal included, one per commit',
    (i) => () => ops.applyUpdate(paid[i]!.update, receiptFor('order.paid', paid[i]!.rawBody, at)),
    false,
  )
  const more = Array.from({ length: N }, (_, i) => orderCreated(`H-ST2-${i}`))
  await measure(
    `new order.created, ${N} in one group commit`,
    (i) => (mode) => ops.createOrGet(more[i]!, createdReceipt(more[i]!, at), mode),
    true,
  )
  db.close()
  temp.remove()
}

const throughput = async (concurrency: number, total: number, maxWalBytes?: number): Promise<void> => {
  const temp = tempDatabase()
  const store = await openSqliteStore({ path: temp.path, ...(maxWalBytes === undefined ? {} : { maxWalBytes }) })
  const events = Array.from({ length: total }, (_, i) => orderCreated(`H-TP-${concurrency}-${i}`))
  const latencies: number[] = []
  let next = 0
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  let walPeak = 0
  const sampler = setInterval(() => {
    walPeak = Math.max(walPeak, walSize(temp.path))
  }, 10)
  await new Promise((resolve) => setTimeout(resolve, 20))
  const started = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const event = events[next++]!
        const t = performance.now()
        const result = await store.repository.createOrGet(event, createdReceipt(event, new Date()))()
        latencies.push(performance.now() - t)
        if (E.isLeft(result)) throw new Error(result.left.reason)
      }
    }),
  )
  const elapsed = performance.now() - started
  loop.disable()
  clearInterval(sampler)
  latencies.sort((a, b) => a - b)
  console.log(
    `repository alone, ${concurrency} concurrent, ${total} new orders: ${((total / elapsed) * 1000).toFixed(0)} orders/s; ` +
      `call p50 ${quantile(latencies, 0.5).toFixed(2)} p99 ${quantile(latencies, 0.99).toFixed(2)} max ${quantile(latencies, 1).toFixed(2)} ms; ` +
      `event-loop delay p99 ${ms(loop.percentile(99))} max ${ms(loop.max)} ms; WAL peak ${(walPeak / 1048576).toFixed(1)} MiB`,
  )
  await store.close()
  console.log(`  WAL after close ${(walSize(temp.path) / 1048576).toFixed(1)} MiB`)
  temp.remove()
}

const locked = async (): Promise<void> => {
  const temp = tempDatabase()
  const store = await openSqliteStore({ path: temp.path })
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});const db=new D(${JSON.stringify(temp.path)});db.exec('BEGIN IMMEDIATE');console.log('locked');setTimeout(()=>{db.exec('ROLLBACK');process.exit(0)},1000)`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise((resolve) => child.stdout.once('data', resolve))
  const loop = monitorEventLoopDelay({ resolution: 1 })
  loop.enable()
  await new Promise((resolve) => setTimeout(resolve, 20))
  const started = performance.now()
  const results = await Promise.all(
    Array.from({ length: 32 }, (_, i) => {
      const event = orderCreated(`H-LK-${i}`)
      return store.repository.createOrGet(event, createdReceipt(event, new Date()))()
    }),
  )
  const elapsed = performance.now() - started
  await new Promise((resolve) => setTimeout(resolve, 20))
  loop.disable()
  console.log(
    `lock held 1 s by another process, 32 creates: done in ${elapsed.toFixed(0)} ms, ${results.filter(E.isLeft).length} failed; event-loop delay max ${ms(loop.max)} ms`,
  )
  await store.close()
  temp.remove()
}

const cloneCost = (): void => {
  const event = orderCreated('H-CLONE-1')
  const message = { op: 'createOrGet', event, receipt: createdReceipt(event, new Date()), id: 1, expiresAt: Date.now() }
  const N = 20_000
  let t = performance.now()
  for (let i = 0; i < N; i += 1) structuredClone(message)
  const there = ((performance.now() - t) / N) * 1000
  const answer = {
    id: 1,
    ok: true,
    value: {
      result: { _tag: 'Created', order: { ...event, number: '1', status: 'new' }, pendingApplied: [] },
      journal: { id: 1, httpStatus: 200, detail: null },
    },
  }
  t = performance.now()
  for (let i = 0; i < N; i += 1) structuredClone(answer)
  const back = ((performance.now() - t) / N) * 1000
  console.log(`structured clone of one createOrGet call: ${there.toFixed(1)} us there, ${back.toFixed(1)} us back`)
}

// `sustained [orders] [maxWalMiB]`: only the long run at 32 callers (the WAL's peak and the calls' p99 under
// sustained writes); a large maxWalMiB (1024) leaves the WAL unbounded, for comparison.
const [mode, sustainedOrders = '100000', maxWalMiB] = process.argv.slice(2)
if (mode === 'sustained') {
  await throughput(32, Number(sustainedOrders), maxWalMiB === undefined ? undefined : Number(maxWalMiB) * 1024 * 1024)
} else {
  cloneCost()
  await statementsPerOperation()
  await throughput(1, 2000)
  await throughput(32, 8000)
  await throughput(32, 30000)
  await locked()
}
