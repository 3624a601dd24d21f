/**
 * A rough measurement of createOrGet on a temp file, for the README and the issue note (not run by mocha):
 * `npx tsc -b packages/adapter-sqlite/test && node packages/adapter-sqlite/dist-test/bench/create-or-get-latency.js`
 */
import * as E from 'fp-ts/lib/Either.js'
import { openSqliteStore, type SqliteSynchronous } from '@domino-sm/adapter-sqlite'
import { orderCreated } from '../support/order-events.js'
import { runWorkers } from '../support/spawn-workers.js'
import { tempDatabase } from '../support/temp-database.js'

const N = 1000

const summary = (label: string, durations: readonly number[]): string => {
  const sorted = [...durations].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  const total = durations.reduce((a, b) => a + b, 0)
  return `${label.padEnd(44)} n=${durations.length} total=${total.toFixed(0)}ms mean=${(total / durations.length).toFixed(3)}ms ` +
    `p50=${at(0.5).toFixed(3)} p99=${at(0.99).toFixed(3)} max=${at(1).toFixed(3)}`
}

const singleProcess = async (synchronous: SqliteSynchronous): Promise<void> => {
  const database = tempDatabase()
  const store = openSqliteStore({ path: database.path, synchronous })
  const events = Array.from({ length: N }, (_, i) => orderCreated(`H-BENCH-${i}`))
  for (const pass of ['new', 'duplicate'] as const) {
    const durations: number[] = []
    for (const event of events) {
      const started = performance.now()
      const result = await store.repository.createOrGet(event, new Date())()
      durations.push(performance.now() - started)
      if (E.isLeft(result)) throw new Error(result.left.reason)
      if ((result.right._tag === 'Created') !== (pass === 'new')) throw new Error(`unexpected ${result.right._tag}`)
    }
    console.log(summary(`1 process, synchronous=${synchronous}, ${pass}`, durations))
  }
  await store.close()
  database.remove()
}

const fourProcesses = async (): Promise<void> => {
  const database = tempDatabase()
  const started = performance.now()
  const reports = await runWorkers(database.path, 4, 'open-first', 'H-MP-BENCH', N)
  const wall = performance.now() - started
  const errors = reports.flatMap((r) => r.errors)
  console.log(summary('4 processes x same 1000 keys, FULL, all calls', reports.flatMap((r) => r.durationsMs)))
  console.log(`4 processes: wall ${wall.toFixed(0)}ms incl. start-up, ${reports.flatMap((r) => r.results).filter((r) => r.tag === 'Created').length} created, ${errors.length} errors`)
  database.remove()
}

await singleProcess('FULL')
await singleProcess('NORMAL')
await fourProcesses()
