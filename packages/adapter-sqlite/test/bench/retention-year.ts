/**
 * A simulated year of a shop on the SQLite store, with and without the retention policy ("the size of a
 * data directory after a simulated year with retention"). Not run by mocha:
 * `npx tsc -b packages/adapter-sqlite/test && node packages/adapter-sqlite/dist-test/bench/retention-year.js [ordersPerDay] [days] [both|with|without]`
 *
 * Every day: `ordersPerDay` orders, each created (and the create retried once, as SberMarket does when it misses
 * an answer), paid, handed to the courier and delivered: 5 journal entries with bodies, the create's ~1.2 KB with
 * Cyrillic personal data. One order in 50 never comes: its early `order.paid` stays pending. With retention, the
 * policy runs once a simulated day with the defaults (bodies 90 days, pending 30 days), as `serve` would.
 *
 * Prints the files' sizes at the end (the WAL after close, and its peak sampled every 20 ms during the run), the
 * database's size every 30 days (to see whether it stops growing), its free pages and the biggest objects (dbstat).
 */
import { statSync } from 'node:fs'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { retentionPolicyAt } from '@domino-sm/core/internals'
import { createdReceipt, receiptFor } from '@domino-sm/testkit'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { orderCreated, statusUpdate } from '../support/order-events.js'
import { tempDatabase } from '../support/temp-database.js'

const DAY_MS = 24 * 60 * 60 * 1000
const START = Date.UTC(2025, 0, 1, 6, 0, 0)

const must = async <A>(task: TaskEither<unknown, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`store failed: ${JSON.stringify(result.left)}`)
  return result.right
}

const sizeOf = (path: string): number => {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1)

/** Pages, free pages and the biggest objects of the closed file. */
const describeFile = (path: string): string => {
  const db = new Database(path, { readonly: true })
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number
    const pages = db.pragma('page_count', { simple: true }) as number
    const free = db.pragma('freelist_count', { simple: true }) as number
    const objects = db
      .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC LIMIT 6')
      .all() as { name: string; bytes: number }[]
    return `  pages ${pages} of ${pageSize} B, free ${free} (${mib(free * pageSize)} MiB); ${objects.map((o) => `${o.name} ${mib(o.bytes)}`).join(', ')} MiB`
  } finally {
    db.close()
  }
}

const simulate = async (ordersPerDay: number, days: number, retention: boolean): Promise<void> => {
  const temp = tempDatabase()
  // The longest budget: each simulated day sends its 1,500 calls at once, and on a machine shared with other runs
  // a call can queue past the default 1.5 s behind them (a StoreTimeout ends the run).
  const store = await openSqliteStore({ path: temp.path, busyTimeoutMs: 4000 })
  const orders = store.repository
  const started = performance.now()
  let expired = 0
  let cleared = 0
  let walPeak = 0
  let totalPeak = 0
  const sample = (): void => {
    const wal = sizeOf(`${temp.path}-wal`)
    walPeak = Math.max(walPeak, wal)
    totalPeak = Math.max(totalPeak, wal + sizeOf(temp.path))
  }
  const sampler = setInterval(sample, 20)
  const monthly: string[] = []
  try {
    for (let day = 0; day < days; day += 1) {
      const dayStart = START + day * DAY_MS
      const work: Promise<unknown>[] = []
      for (let n = 0; n < ordersPerDay; n += 1) {
        const key = `Y${day}-${n}`
        const at = (minute: number): Date => new Date(dayStart + (n % 600) * 60_000 + minute * 1000)
        const paid = statusUpdate('order.paid', key)
        if (n % 50 === 49) {
          work.push(must(orders.applyUpdate(paid.update, receiptFor('order.paid', paid.rawBody, at(0)))))
          continue
        }
        const event = orderCreated(key)
        work.push(
          (async () => {
            await must(orders.createOrGet(event, createdReceipt(event, at(0))))
            await must(orders.createOrGet(event, createdReceipt(event, at(5))))
            for (const [index, type] of ['order.paid', 'order.received', 'order.delivered'].entries()) {
              const update = statusUpdate(type, key)
              await must(orders.applyUpdate(update.update, receiptFor(type, update.rawBody, at(10 + index))))
            }
          })(),
        )
      }
      await Promise.all(work)
      if (retention) {
        const report = await must(
          orders.applyRetention(
            retentionPolicyAt(new Date(dayStart + 20 * 60 * 60 * 1000), {
              journalBodyDays: 90,
              pendingDays: 30,
              batchSize: 500,
            }),
          ),
        )
        expired += report.pendingExpired
        cleared += report.bodiesCleared
      }
      sample()
      if ((day + 1) % 30 === 0) monthly.push(`${day + 1}:${mib(sizeOf(temp.path))}`)
    }
    const stats = await must(orders.stats())
    await store.close()
    clearInterval(sampler)
    const files = ['', '-wal', '-shm'].map((suffix) => sizeOf(temp.path + suffix))
    const total = files.reduce((a, b) => a + b, 0)
    const rows = stats.tables.map((t) => `${t.table} ${t.rows}`).join(', ')
    process.stdout.write(
      `${retention ? 'with retention   ' : 'without retention'}: ${mib(total)} MiB (database ${mib(files[0] ?? 0)}, WAL ${mib(files[1] ?? 0)} after close, ` +
        `peak WAL ${mib(walPeak)}, peak database+WAL ${mib(totalPeak)}) after ${days} days of ${ordersPerDay} orders/day ` +
        `(${rows}; bodies kept ${stats.journalBodies}; cleared ${cleared}, expired ${expired}) in ${((performance.now() - started) / 1000).toFixed(0)} s\n` +
        `  database MiB by day ${monthly.join(' ')}\n${describeFile(temp.path)}\n`,
    )
  } finally {
    clearInterval(sampler)
    temp.remove()
  }
}

const [perDay = '300', days = '365', which = 'both'] = process.argv.slice(2)
if (which !== 'with') await simulate(Number(perDay), Number(days), false)
if (which !== 'without') await simulate(Number(perDay), Number(days), true)
