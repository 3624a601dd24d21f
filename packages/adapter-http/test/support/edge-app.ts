import type { Socket } from 'node:net'
import type { JournalEntry, JournalRecord, OrderRepository } from '@domino-sm/core'
import type { FaultPlan, FaultyOrderRepository, InMemoryOrderRepository } from '@domino-sm/testkit'
import type { HttpSettings, RunningServer } from '@domino-sm/adapter-http'
import { startTestApp, type LogCapture } from './test-app.js'

/**
 * The real app on a real socket, like `startTestApp`, with its server in reach: the sockets it accepted (so a test
 * can read how many bytes the server read) and the stop sequence of the composition root (not ready, then drain).
 */
export interface EdgeApp {
  readonly origin: string
  /** The internal listener (/readyz, /metrics, /admin). */
  readonly internalOrigin: string
  readonly hookUrl: string
  readonly server: RunningServer
  readonly store: InMemoryOrderRepository
  readonly faulty: FaultyOrderRepository
  readonly logs: LogCapture
  readonly readiness: { accepting: boolean }
  /** The entries the edge wrote through `recordJournal` (requests that reached no order operation), in order. */
  readonly recorded: () => readonly JournalEntry[]
  /** Every connection the two servers (the hook's, the internal one) accepted so far, in order. */
  readonly sockets: () => readonly Socket[]
  readonly journalOf: (key: string) => Promise<readonly JournalRecord[]>
  /** What `startService`'s stop does to the HTTP side: the server's graceful stop, readiness off as it stops listening. */
  readonly stop: (graceMs: number) => Promise<void>
}

export interface EdgeAppOptions {
  readonly settings?: Partial<HttpSettings>
  readonly faults?: FaultPlan
}

/** `startTestApp` with the server's accepted sockets, the edge's `recordJournal` calls and the composition root's stop. */
export const startEdgeApp = async (options: EdgeAppOptions = {}): Promise<EdgeApp> => {
  const recorded: JournalEntry[] = []
  // The store as the edge sees it, with `recordJournal` noted on the way: a rejected body has no order key to
  // look its journal entry up by.
  const noteRecords = (orders: OrderRepository): OrderRepository =>
    new Proxy<OrderRepository>(orders, {
      get: (target, property, receiver) =>
        property === 'recordJournal'
          ? (entry: JournalEntry) => {
              recorded.push(entry)
              return target.recordJournal(entry)
            }
          : (Reflect.get(target, property, receiver) as unknown),
    })
  const app = await startTestApp({ ...options, wrapOrders: noteRecords })
  const accepted: Socket[] = []
  app.server.server.on('connection', (socket: Socket) => accepted.push(socket))
  app.internal.server.on('connection', (socket: Socket) => accepted.push(socket))
  let stopping: Promise<void> | undefined
  return {
    origin: app.origin,
    internalOrigin: app.internalOrigin,
    hookUrl: app.hookUrl,
    server: app.server,
    store: app.store,
    faulty: app.faulty,
    logs: app.logs,
    readiness: app.readiness,
    recorded: () => recorded,
    sockets: () => accepted,
    journalOf: app.journalOf,
    stop: (graceMs) => {
      stopping ??= (async () => {
        await app.server.stop(graceMs, () => {
          app.readiness.accepting = false
        })
        await app.internal.stop(0, () => app.internal.server.closeIdleConnections())
      })()
      return stopping
    },
  }
}
