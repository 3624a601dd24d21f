/**
 * One "instance of the service" for the multi-process tests, run as a child node process:
 * `node store-worker.js <database path> <open-first|open-on-go> <key prefix> <key count> <seed>`.
 * It prints `ready` and waits for a line on stdin, so that all children start together; it opens the store before
 * that (`open-first`: the creates race) or after it (`open-on-go`: the opens and their migrations race). Then it
 * runs createOrGet for every key `<prefix>-0 .. <prefix>-(count-1)` in an order shuffled by `seed`, prints one
 * JSON line with what it got, and exits.
 */
import { createInterface } from 'node:readline'
import * as E from 'fp-ts/lib/Either.js'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { createdReceipt } from '@domino-sm/testkit'
import { orderCreated } from './order-events.js'

/** What a worker reports on its last line of stdout. */
export interface WorkerReport {
  readonly pid: number
  readonly migrationsApplied: readonly number[]
  readonly results: readonly {
    readonly key: string
    readonly tag: 'Created' | 'AlreadyExists'
    readonly number: string
  }[]
  readonly errors: readonly string[]
  /** How long each createOrGet took, in call order, in milliseconds (lock waits included). */
  readonly durationsMs: readonly number[]
}

const [path, when, prefix, countText, seedText] = process.argv.slice(2)
if (
  path === undefined ||
  (when !== 'open-first' && when !== 'open-on-go') ||
  prefix === undefined ||
  countText === undefined ||
  seedText === undefined
) {
  throw new Error('usage: store-worker <database path> <open-first|open-on-go> <key prefix> <key count> <seed>')
}

// A small deterministic shuffle, so that each worker meets the keys in its own order.
const shuffled = <A>(items: readonly A[], seed: number): A[] => {
  const result = [...items]
  let state = seed + 1
  for (let i = result.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2147483648
    const j = state % (i + 1)
    const a = result[i] as A
    result[i] = result[j] as A
    result[j] = a
  }
  return result
}

const keys = shuffled(
  Array.from({ length: Number(countText) }, (_, i) => `${prefix}-${i}`),
  Number(seedText),
)
const events = keys.map((key) => orderCreated(key))

const early = when === 'open-first' ? await openSqliteStore({ path }) : undefined
process.stdout.write('ready\n')
const lines = createInterface({ input: process.stdin })
lines.once('line', () => {
  lines.close()
  void (async () => {
    const store = early ?? (await openSqliteStore({ path }))
    const results: WorkerReport['results'][number][] = []
    const errors: string[] = []
    const durationsMs: number[] = []
    const at = new Date()
    for (const event of events) {
      const started = performance.now()
      const result = await store.repository.createOrGet(event, createdReceipt(event, at))()
      durationsMs.push(performance.now() - started)
      if (E.isLeft(result)) errors.push(`${result.left._tag}: ${result.left.reason}`)
      else
        results.push({
          key: event.originalOrderId,
          tag: result.right.result._tag,
          number: result.right.result.order.number,
        })
      // A service does network I/O between transactions; without a pause, one process that loops on the lock
      // can take it again before the others' busy handlers wake (SQLite's lock is not fair), and nothing interleaves.
      await new Promise((resolve) => setTimeout(resolve, 0))
    }
    await store.close()
    const report: WorkerReport = {
      pid: process.pid,
      migrationsApplied: store.migrationsApplied,
      results,
      errors,
      durationsMs,
    }
    process.stdout.write(`${JSON.stringify(report)}\n`)
  })()
})
