import type { Socket } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import type { JournalEntry, JournalRecord, OrderRepository } from '@domino-sm/core'
import { FaultyOrderRepository, FixedClock, InMemoryOrderRepository, type FaultPlan } from '@domino-sm/testkit'
import { ConstantTimeTokenVerifier, createApp, createLogger, HookMetrics, listen, type HttpSettings, type RunningServer } from '@domino-sm/adapter-http'
import { ADMIN, LogCapture, OTHER_TOKEN, TOKEN } from './test-app.js'

/**
 * The real app on a real socket, like `startTestApp`, with its server in reach: the sockets it accepted (so a test
 * can read how many bytes the server read) and the stop sequence of the composition root (not ready, then drain).
 */
export interface EdgeApp {
  readonly origin: string
  readonly hookUrl: string
  readonly server: RunningServer
  readonly store: InMemoryOrderRepository
  readonly faulty: FaultyOrderRepository
  readonly logs: LogCapture
  readonly readiness: { accepting: boolean }
  /** The entries the edge wrote through `recordJournal` (requests that reached no order operation), in order. */
  readonly recorded: () => readonly JournalEntry[]
  /** Every connection the server accepted so far, in order. */
  readonly sockets: () => readonly Socket[]
  readonly journalOf: (key: string) => Promise<readonly JournalRecord[]>
  /** What `startService`'s stop does to the HTTP side: the server's graceful stop, readiness off as it stops listening. */
  readonly stop: (graceMs: number) => Promise<void>
}

export interface EdgeAppOptions {
  readonly settings?: Partial<HttpSettings>
  readonly faults?: FaultPlan
}

export const startEdgeApp = async (options: EdgeAppOptions = {}): Promise<EdgeApp> => {
  // One clock for the edge and the store, as in startTestApp: the store decides at commit whether the answer was due.
  const clock = new FixedClock(new Date('2026-05-24T09:00:00.000Z'))
  const store = new InMemoryOrderRepository(clock)
  const faulty = new FaultyOrderRepository(store, options.faults ?? {})
  const recorded: JournalEntry[] = []
  // The store as the edge sees it, with `recordJournal` noted on the way: a rejected body has no order key to
  // look its journal entry up by.
  const orders = new Proxy<OrderRepository>(faulty, {
    get: (target, property, receiver) =>
      property === 'recordJournal'
        ? (entry: JournalEntry) => {
            recorded.push(entry)
            return target.recordJournal(entry)
          }
        : Reflect.get(target, property, receiver),
  })
  const logs = new LogCapture()
  const readiness = { accepting: true }
  const app = createApp({
    orders,
    tokens: new ConstantTimeTokenVerifier([TOKEN, OTHER_TOKEN]),
    clock,
    logger: createLogger('info', logs),
    metrics: new HookMetrics({ processMetrics: false }),
    readiness,
    settings: { hookDeadlineMs: 4000, bodyLimitBytes: 1024 * 1024, trustProxy: false, adminToken: ADMIN, ...options.settings },
  })
  const server = await listen(app.callback(), '127.0.0.1', 0)
  const accepted: Socket[] = []
  server.server.on('connection', (socket: Socket) => accepted.push(socket))
  let stopping: Promise<void> | undefined
  return {
    origin: server.origin,
    hookUrl: `${server.origin}/sbermarket/orders/hook/`,
    server,
    store,
    faulty,
    logs,
    readiness,
    recorded: () => recorded,
    sockets: () => accepted,
    journalOf: async (key) => {
      const listed = await store.listJournal(key)()
      if (E.isLeft(listed)) throw new Error('journal unreadable')
      return listed.right
    },
    stop: (graceMs) => {
      stopping ??= server.stop(graceMs, () => {
        readiness.accepting = false
      })
      return stopping
    },
  }
}
