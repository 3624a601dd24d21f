import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Writable } from 'node:stream'
import { receiveHookRequest, type Outcome } from '@domino-sm/core'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import {
  ConstantTimeTokenVerifier,
  createInternalApp,
  createLogger,
  HookMetrics,
  LateJournalWrites,
  listen,
} from '@domino-sm/adapter-http'
import { envelope, fullOrderPayload, orderCreatedBody } from '@domino-sm/testkit'

/**
 * `node bench/dist/console-pages.js`: each support console page's server time on a SQLite store holding
 * `--entries` journal entries (100,000 by default): `--orders` orders created through the hook's use case (one in
 * five unreadable, so held for review), the rest journal entries written directly, spread evenly over the last 48
 * hours (half of them inside Today's 24 hours), a tenth failed or rejected. Each page is asked `--runs` times on
 * loopback after one warm-up; the figures are the client's wall time per answer (the server's time plus a loopback
 * round trip), median and slowest.
 */
const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    orders: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '10' },
  },
})
const ENTRIES = Number(values.entries)
const ORDERS = Number(values.orders)
const RUNS = Number(values.runs)
const OPERATOR = 'bench-operator-token-0123456789'

const OUTCOMES: readonly Outcome[] = [
  'applied',
  'applied',
  'duplicate',
  'stale',
  'ignored',
  'applied',
  'pending',
  'applied',
  'failed',
  'rejected',
]

const inParallel = async (count: number, width: number, job: (i: number) => Promise<void>): Promise<void> => {
  let next = 0
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await job(next++)
    }),
  )
}

const main = async (): Promise<void> => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-console-'))
  const store = await openSqliteStore({ path: join(dir, 'orders.sqlite') })
  const orders = store.repository
  const now = Date.now()
  const span = 48 * 3600_000
  const at = (i: number, of: number): Date => new Date(now - span + Math.floor((i / of) * span))
  const keys: string[] = []
  const filled = performance.now()
  await inParallel(ORDERS, 32, async (i) => {
    const key = `BENCH-${i}`
    keys.push(key)
    const rawBody =
      i % 5 === 0
        ? envelope('order.created', {
            ...fullOrderPayload(key),
            positions: [
              { id: 'A', quantity: 1, price: 'нет' },
              { id: 'B', quantity: 1, price: '1.00' },
            ],
          }).body
        : orderCreatedBody({ originalOrderId: key }).body
    await receiveHookRequest({ orders })({
      requestId: randomUUID(),
      rawBody,
      receivedAt: at(i, ORDERS),
      answerBy: new Date(Date.UTC(9999, 0, 1)),
    })()
  })
  const rest = ENTRIES - ORDERS
  await inParallel(rest, 64, async (i) => {
    const outcome = OUTCOMES[i % OUTCOMES.length] ?? 'applied'
    const key = `BENCH-${i % ORDERS}`
    await orders.recordJournal({
      requestId: randomUUID(),
      receivedAt: at(i, rest),
      eventType: outcome === 'ignored' ? 'courier.assigned' : 'order.paid',
      originalOrderId: outcome === 'rejected' ? null : key,
      rawBody:
        outcome === 'rejected'
          ? '{"event_type": "order.paid", "payload": {}}'
          : `{"event_type":"order.paid","payload":{"originalOrderId":"${key}"}}`,
      outcome,
      httpStatus: outcome === 'failed' ? 503 : outcome === 'rejected' ? 400 : 200,
      durationMs: i % 97 === 0 ? 3500 : 3,
      detail: outcome === 'failed' ? 'StoreTimeout' : null,
    })()
  })
  process.stdout.write(
    `filled ${ENTRIES} journal entries (${ORDERS} orders) in ${Math.round((performance.now() - filled) / 1000)} s\n`,
  )

  const logger = createLogger('silent', new Writable({ write: (_c, _e, done) => done() }))
  const clock = { now: () => new Date() }
  const metrics = new HookMetrics({ processMetrics: false })
  // The console is served by the internal listener's app only (README "Two listeners").
  const app = createInternalApp({
    orders,
    tokens: new ConstantTimeTokenVerifier(['bench-hook-token-0123456789']),
    clock,
    logger,
    metrics,
    readiness: { accepting: true },
    lateJournal: new LateJournalWrites(logger, metrics),
    settings: { hookDeadlineMs: 4000, bodyLimitBytes: 1024 * 1024, trustProxy: false },
    console: {
      orders,
      clock,
      logger,
      config: {
        operators: [{ name: 'bench', token: OPERATOR }],
        sessionMinutes: 60,
        idleMinutes: 60,
        secureCookie: 'auto',
      },
      unreadable: 'review',
      hookDeadlineMs: 4000,
    },
  })
  const server = await listen(app.callback(), '127.0.0.1', 0)
  const signIn = await fetch(`${server.origin}/console/sign-in`, {
    method: 'POST',
    body: new URLSearchParams({ token: OPERATOR }),
    redirect: 'manual',
  })
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const since = encodeURIComponent(new Date(now - 24 * 3600_000).toISOString())
  const pages: readonly [string, string][] = [
    ['Today (page)', '/console/today'],
    ['Today (API)', '/console/api/today'],
    ['Order, unreadable (page)', `/console/orders/${keys.find((k) => k === 'BENCH-0') ?? 'BENCH-0'}`],
    ['Order (API)', '/console/api/orders/BENCH-1'],
    ['Journal, first page (page)', '/console/journal'],
    ['Journal, failed+rejected today (page)', `/console/journal?outcome=failed,rejected&since=${since}`],
    ['Journal, one order key (page)', '/console/journal?order=BENCH-7'],
    ['Journal, orders for review (page)', '/console/journal?review=1'],
    ['Journal, deep page (after 90,000)', '/console/journal?after=90000'],
    ['Journal entry with body (page)', `/console/journal/${Math.floor(ENTRIES / 2)}?body=1`],
  ]
  process.stdout.write(`\n| page | median ms | slowest ms | bytes |\n|---|---:|---:|---:|\n`)
  for (const [label, path] of pages) {
    const times: number[] = []
    let bytes = 0
    for (let run = 0; run <= RUNS; run++) {
      const started = performance.now()
      const res = await fetch(`${server.origin}${path}`, { headers: { Cookie: cookie } })
      const text = await res.text()
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${text.slice(0, 200)}`)
      if (run > 0) times.push(performance.now() - started)
      bytes = Buffer.byteLength(text)
    }
    times.sort((a, b) => a - b)
    process.stdout.write(
      `| ${label} | ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(1)} | ${(times.at(-1) ?? 0).toFixed(1)} | ${bytes} |\n`,
    )
  }
  await server.stop(1000)
  await store.close()
  await rm(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
  process.exit(1)
})
