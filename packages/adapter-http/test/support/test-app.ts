import { Writable } from 'node:stream'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { JournalRecord, Order, OrderRepository, OriginalOrderId } from '@domino-sm/core'
import { FaultyOrderRepository, FixedClock, InMemoryOrderRepository, type FaultPlan } from '@domino-sm/testkit'
import {
  ConstantTimeTokenVerifier,
  createHookApp,
  createInternalApp,
  createLogger,
  HookMetrics,
  LateJournalWrites,
  listen,
  type HttpSettings,
  type RunningServer,
} from '@domino-sm/adapter-http'

export const TOKEN = 'test-token-0123456789abcdef'
export const OTHER_TOKEN = 'rotated-token-fedcba9876543210'
export const ADMIN = 'admin-token-0123456789abcdef'

/** Log lines captured in memory, parsed. */
export class LogCapture extends Writable {
  readonly lines: string[] = []
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    )
    done()
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  }
  requests(): Record<string, unknown>[] {
    return this.records().filter((r) => r['msg'] === 'request')
  }
}

export interface TestApp {
  readonly hookUrl: string
  /** The public listener's origin: the hook only. */
  readonly origin: string
  /** The internal listener's origin: /healthz, /readyz, /metrics, /admin and, with operators, /console/. */
  readonly internalOrigin: string
  readonly store: InMemoryOrderRepository
  /** The clock of the edge and the store: it moves only when a test moves it. */
  readonly clock: FixedClock
  readonly faulty: FaultyOrderRepository
  readonly logs: LogCapture
  readonly metrics: HookMetrics
  readonly readiness: { accepting: boolean }
  /** The journal writes made after an answer, as the composition root's stop waits for them. */
  readonly lateJournal: LateJournalWrites
  /** The journal of one order key, read from the store behind the faults. */
  readonly journalOf: (key: string) => Promise<readonly JournalRecord[]>
  /** The order of one key as stored, if any. */
  readonly orderOf: (key: string) => Promise<Order | undefined>
  /** The hook's listening server (its sockets, its graceful stop). */
  readonly server: RunningServer
  readonly internal: RunningServer
  readonly close: () => Promise<void>
}

export interface TestAppOptions {
  readonly settings?: Partial<HttpSettings>
  readonly faults?: FaultPlan
  readonly tokens?: readonly string[]
  /** The store as the app sees it, made from the fault-injecting one (a test may watch calls on the way). */
  readonly wrapOrders?: (orders: OrderRepository) => OrderRepository
  /** The pauses between late journal writes (LATE_JOURNAL_RETRY_DELAYS_MS by default). */
  readonly lateJournalDelaysMs?: readonly number[]
  /** The support console's operators (`name:token`); with them (or the admin token) the console is mounted. */
  readonly operators?: readonly { readonly name: string; readonly token: string }[]
}

/**
 * The real Koa apps on real sockets (127.0.0.1, free ports: the hook's and the internal one, as `serve` has them), on the in-memory store behind a fault-injecting
 * wrapper, with its logs captured.
 */
export const startTestApp = async (options: TestAppOptions = {}): Promise<TestApp> => {
  // One clock for the edge and the store: the store decides at commit whether the answer was still due.
  const clock = new FixedClock(new Date('2026-05-24T09:00:00.000Z'))
  const store = new InMemoryOrderRepository(clock)
  const faulty = new FaultyOrderRepository(store, options.faults ?? {})
  const logs = new LogCapture()
  const metrics = new HookMetrics({ processMetrics: false })
  const readiness = { accepting: true }
  const logger = createLogger('info', logs)
  const lateJournal = new LateJournalWrites(logger, metrics, options.lateJournalDelaysMs)
  const deps = {
    orders: options.wrapOrders === undefined ? faulty : options.wrapOrders(faulty),
    tokens: new ConstantTimeTokenVerifier(options.tokens ?? [TOKEN, OTHER_TOKEN]),
    clock,
    logger,
    metrics,
    readiness,
    lateJournal,
    settings: {
      hookDeadlineMs: 4000,
      bodyLimitBytes: 1024 * 1024,
      trustProxy: false,
      adminToken: ADMIN,
      ...options.settings,
    },
    ...(options.operators === undefined
      ? {}
      : {
          console: {
            orders: options.wrapOrders === undefined ? faulty : options.wrapOrders(faulty),
            clock,
            logger,
            config: {
              operators: options.operators,
              sessionMinutes: 480,
              idleMinutes: 30,
              secureCookie: 'auto' as const,
            },
            adminToken: options.settings?.adminToken ?? ADMIN,
            unreadable: 'review' as const,
            hookDeadlineMs: 4000,
          },
        }),
  }
  const server: RunningServer = await listen(createHookApp(deps).callback(), '127.0.0.1', 0)
  const internal: RunningServer = await listen(createInternalApp(deps).callback(), '127.0.0.1', 0)
  return {
    hookUrl: `${server.origin}/sbermarket/orders/hook/`,
    origin: server.origin,
    internalOrigin: internal.origin,
    store,
    clock,
    faulty,
    logs,
    metrics,
    readiness,
    lateJournal,
    journalOf: async (key) => {
      const listed = await store.listJournal(key)()
      if (E.isLeft(listed)) throw new Error('journal unreadable')
      return listed.right
    },
    orderOf: async (key) => {
      const found = await store.findOrder(key as OriginalOrderId)()
      if (E.isLeft(found)) throw new Error('store unreadable')
      return O.toUndefined(found.right)
    },
    server,
    internal,
    close: async () => {
      await server.stop(1000)
      await internal.stop(1000, () => internal.server.closeIdleConnections())
    },
  }
}
