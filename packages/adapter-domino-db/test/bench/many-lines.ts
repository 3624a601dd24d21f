import * as E from 'fp-ts/lib/Either.js'
import mssql from 'mssql'
import { migrate, openDominoDbStore } from '@domino-sm/adapter-domino-db'
import { anOrderCreated, aWirePosition, createdReceipt, sessionCpu, uniqueOrderId } from '@domino-sm/testkit'
import {
  dropSchema,
  freshSchemaName,
  openAdminPool,
  testServerUrl,
  testSettings,
} from '../integration/sql-server-harness.js'

/**
 * Where the time of a create of a many-lines order goes on a T-SQL server (`DOMINO_DB_TEST_URL`): for each size, the
 * wall time of `createOrGet`, this process's CPU (the adapter's statement building and the driver's TDS encoding of
 * the parameters), the server's CPU (the local engine's backends of this process's sessions, read from /proc: only
 * on the local engine, which runs on this host), and each request's own time (from `Request.query` to its answer).
 *
 *   DOMINO_DB_TEST_URL=... node packages/adapter-domino-db/dist-test/bench/many-lines.js [sizes...]
 */

/**
 * CPU seconds of the engine's backends that serve this process's sessions (testkit's `sessionCpu`: the local engine
 * titles each backend by its client's address). Only these: other sessions of a shared engine (other tests) are not
 * counted. Undefined when none is found on this host.
 */
const engineCpuSeconds = (serverPort: number): number | undefined => {
  const sessions = sessionCpu(serverPort)
  if (sessions.size === 0) return undefined
  let micros = 0
  for (const m of sessions.values()) micros += m
  return micros / 1_000_000
}

interface RequestTiming {
  readonly params: number
  readonly textChars: number
  /** CPU of this process inside the synchronous part of `query` (the driver builds the TDS message there). */
  readonly syncMs: number
  readonly wallMs: number
}

/** Times every `mssql.Request.query` of the process (bench only: the adapter itself never patches the driver). */
const recordRequests = (): RequestTiming[] => {
  const timings: RequestTiming[] = []
  const proto = mssql.Request.prototype as unknown as {
    query: (this: mssql.Request, command: string) => Promise<unknown>
  }
  const original = proto.query
  proto.query = function (this: mssql.Request, command: string) {
    const params = Object.keys((this as unknown as { parameters: Record<string, unknown> }).parameters).length
    const started = performance.now()
    const promise = original.call(this, command)
    const syncMs = performance.now() - started
    return promise.then((value) => {
      timings.push({ params, textChars: command.length, syncMs, wallMs: performance.now() - started })
      return value
    })
  }
  return timings
}

const main = async (): Promise<void> => {
  const url = testServerUrl()
  if (url === undefined) throw new Error('set DOMINO_DB_TEST_URL')
  const sizes = process.argv.slice(2).map(Number)
  const schema = freshSchemaName()
  // The budget is lifted past the hook's ceiling (bench only), so that an order that takes longer is still measured.
  const settings = {
    ...testSettings(url, schema, { DOMINO_DB_POOL_MAX: '2', DOMINO_DB_POOL_MIN: '2' }),
    requestTimeoutMs: 120_000,
  }
  const admin = await openAdminPool(settings)
  await migrate(settings)
  const store = await openDominoDbStore(settings, { now: () => new Date() })
  const timings = recordRequests()
  try {
    // Warm: the pool, and the engine's caches for the statements of a small create.
    for (let i = 0; i < 3; i += 1) {
      const event = anOrderCreated({ originalOrderId: uniqueOrderId('W'), positions: [aWirePosition()] })
      await store.repository.createOrGet(event, createdReceipt(event, new Date()))()
    }
    for (const size of sizes.length > 0 ? sizes : [1000, 2000, 4000, 6000]) {
      const positions = Array.from({ length: size }, (_, i) =>
        aWirePosition({ id: `46070017${String(i).padStart(5, '0')}` }),
      )
      const event = anOrderCreated({ originalOrderId: uniqueOrderId('L'), positions })
      const receipt = createdReceipt(event, new Date())
      timings.length = 0
      const engineBefore = engineCpuSeconds(settings.port ?? 1433)
      const cpuBefore = process.cpuUsage()
      const started = performance.now()
      const result = await store.repository.createOrGet(event, receipt)()
      const wallMs = performance.now() - started
      const cpu = process.cpuUsage(cpuBefore)
      const engineAfter = engineCpuSeconds(settings.port ?? 1433)
      if (E.isLeft(result)) throw new Error(`create of ${size} lines: ${result.left._tag}: ${result.left.reason}`)
      const requests = [...timings]
      const perRequest = requests.map(
        (r) => `${r.params}p/${r.textChars}c sync ${r.syncMs.toFixed(1)} wall ${r.wallMs.toFixed(1)}`,
      )
      const lineRequests = requests.filter((r) => r.params > 1000)
      const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length)
      console.log(
        JSON.stringify({
          lines: size,
          wallMs: Math.round(wallMs),
          msPerLine: Number((wallMs / size).toFixed(3)),
          clientCpuMs: Math.round((cpu.user + cpu.system) / 1000),
          engineCpuMs:
            engineBefore === undefined || engineAfter === undefined
              ? null
              : Math.round((engineAfter - engineBefore) * 1000),
          requests: requests.length,
          lineRequests: lineRequests.length,
          lineRequestMeanWallMs: Number(mean(lineRequests.map((r) => r.wallMs)).toFixed(1)),
          lineRequestMeanSyncMs: Number(mean(lineRequests.map((r) => r.syncMs)).toFixed(2)),
          firstLineRequestWallMs: Number((lineRequests[0]?.wallMs ?? 0).toFixed(1)),
          lastLineRequestWallMs: Number((lineRequests.at(-1)?.wallMs ?? 0).toFixed(1)),
        }),
      )
      if (process.env['MANY_LINES_VERBOSE'] === '1') console.log(perRequest.join('\n'))
    }
  } finally {
    await store.close()
    await dropSchema(admin, schema)
    await admin.close()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
