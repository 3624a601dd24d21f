/**
 * One instance running the retention policy, for the multi-process retention test, as a child process:
 * `node retention-worker.js <database path> <policy as JSON>`. Prints `ready`, waits for a line on stdin so that all
 * children start together, runs `applyRetention` once and prints its report (or the error) as one JSON line.
 */
import { createInterface } from 'node:readline'
import * as E from 'fp-ts/lib/Either.js'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'

const [path, policyJson] = process.argv.slice(2)
if (path === undefined || policyJson === undefined)
  throw new Error('usage: retention-worker <database path> <policy JSON>')
const raw = JSON.parse(policyJson) as {
  clearBodiesReceivedBefore: string
  expirePendingReceivedBefore: string
  now: string
  batchSize: number
}
const policy = {
  clearBodiesReceivedBefore: new Date(raw.clearBodiesReceivedBefore),
  expirePendingReceivedBefore: new Date(raw.expirePendingReceivedBefore),
  now: new Date(raw.now),
  batchSize: raw.batchSize,
}

const store = await openSqliteStore({ path, busyTimeoutMs: 4000 })
process.stdout.write('ready\n')
const lines = createInterface({ input: process.stdin })
lines.once('line', () => {
  lines.close()
  void (async () => {
    const report = await store.repository.applyRetention(policy)()
    await store.close()
    process.stdout.write(`${JSON.stringify(E.isLeft(report) ? { error: report.left } : report.right)}\n`)
  })()
})
