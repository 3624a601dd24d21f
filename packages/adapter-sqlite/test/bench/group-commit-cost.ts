/**
 * What one new order costs the store thread, and what bounds a group commit (not run by mocha):
 * `npx tsc -b packages/adapter-sqlite/test && node packages/adapter-sqlite/dist-test/bench/group-commit-cost.js [orders]`
 * - the store thread's write work alone: `createOrGet` of new orders in groups of 32 (the group commit at 32
 *   connections), in this thread on the adapter's schema, with `synchronous = NORMAL` (the statements, no fsync per
 *   commit) and then `FULL` (as the hook runs): CPU and wall microseconds per order, wall milliseconds per group;
 * - the disk's `fdatasync` after appending one group's worth of WAL (the bytes the FULL run's WAL grew by per
 *   group, measured here), 200 times in the OS temp dir: p50, p90, p99, max.
 * A request waits for the group in progress, then for its own: its latency is at least two of these commits.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createdReceipt, uniqueOrderId } from '@domino-sm/testkit'
import {
  ALL_MIGRATIONS,
  migrate,
  openDatabase,
  resolveSqliteSettings,
  StoreOperations,
} from '@domino-sm/adapter-sqlite/internals'
import { orderCreated } from '../support/order-events.js'
import { tempDatabase } from '../support/temp-database.js'

const GROUP = 32
const orders = Number(process.argv[2] ?? 8000)

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

const writeWork = (
  synchronous: 'NORMAL' | 'FULL',
): { cpuUs: number; wallUs: number; groupMs: number; walBytesPerGroup: number } => {
  const database = tempDatabase()
  const settings = resolveSqliteSettings({ path: database.path, synchronous })
  const db = openDatabase(settings)
  migrate(db, ALL_MIGRATIONS, () => new Date())
  // As the store thread's connection: the checkpointer thread, not the commit, copies the WAL back.
  db.pragma('wal_autocheckpoint = 0')
  const ops = new StoreOperations(db)
  const begin = db.prepare('BEGIN IMMEDIATE')
  const commit = db.prepare('COMMIT')
  const calls = (n: number): [ReturnType<typeof orderCreated>, ReturnType<typeof createdReceipt>][] =>
    Array.from({ length: n }, () => {
      const event = orderCreated(uniqueOrderId())
      return [event, { ...createdReceipt(event, new Date()), requestId: crypto.randomUUID() }]
    })
  const run = (items: ReturnType<typeof calls>): void => {
    for (let i = 0; i < items.length; i += GROUP) {
      begin.run()
      for (const [event, receipt] of items.slice(i, i + GROUP)) ops.createOrGet(event, receipt, 'fast')
      commit.run()
    }
  }
  run(calls(1000))
  const measured = calls(orders)
  const walBefore = statSync(`${database.path}-wal`).size
  const cpu = process.cpuUsage()
  const started = performance.now()
  run(measured)
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  const groups = Math.ceil(orders / GROUP)
  const walBytesPerGroup = (statSync(`${database.path}-wal`).size - walBefore) / groups
  db.close()
  database.remove()
  return {
    cpuUs: (used.user + used.system) / orders,
    wallUs: (wallMs * 1000) / orders,
    groupMs: wallMs / groups,
    walBytesPerGroup,
  }
}

const fdatasyncOf = (bytes: number): number[] => {
  const dir = mkdtempSync(join(tmpdir(), 'group-commit-cost-'))
  const fd = openSync(join(dir, 'wal'), 'w')
  const frames = Buffer.alloc(Math.max(4096, Math.round(bytes)), 7)
  const times: number[] = []
  try {
    for (let i = 0; i < 200; i += 1) {
      writeSync(fd, frames)
      const started = performance.now()
      fdatasyncSync(fd)
      times.push(performance.now() - started)
    }
  } finally {
    closeSync(fd)
    rmSync(dir, { recursive: true, force: true })
  }
  return times.sort((a, b) => a - b)
}

const normal = writeWork('NORMAL')
const full = writeWork('FULL')
for (const [name, r] of [
  ['NORMAL', normal],
  ['FULL', full],
] as const)
  console.log(
    `createOrGet, groups of ${GROUP}, synchronous = ${name}: ${r.cpuUs.toFixed(1)} CPU us and ${r.wallUs.toFixed(1)} wall us per order, ${r.groupMs.toFixed(2)} ms per group, WAL +${Math.round(r.walBytesPerGroup / 1024)} KiB per group`,
  )
const sync = fdatasyncOf(full.walBytesPerGroup)
console.log(
  `fdatasync after ${Math.round(full.walBytesPerGroup / 1024)} KiB, 200 times: p50 ${quantile(sync, 0.5).toFixed(2)} ms, p90 ${quantile(sync, 0.9).toFixed(2)} ms, p99 ${quantile(sync, 0.99).toFixed(2)} ms, max ${(sync.at(-1) ?? Number.NaN).toFixed(2)} ms`,
)
