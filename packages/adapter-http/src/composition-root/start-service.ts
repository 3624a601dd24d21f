// Inversify reads the Reflect metadata API; it is installed once, here, before any container exists.
import 'reflect-metadata'
import { Container } from 'inversify'
import type { Clock } from '@domino-sm/core'
import { loadOrCreateHookToken, type StoredToken } from '../auth/stored-hook-token.js'
import type { AppConfig } from '../config/app-config.js'
import { HOOK_PATHS } from '../http/create-app.js'
import { withinDeadline } from '../http/deadline.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { listen, type RunningServer } from '../server/http-server.js'
import { ID } from './identifiers.js'
import { httpModule, valuesModule } from './modules.js'
import { openStore } from './open-store.js'
import { startRetentionSchedule } from '../retention/retention-schedule.js'

const systemClock: Clock = { now: () => new Date() }

/**
 * The part of SHUTDOWN_GRACE_MS kept for closing the internal listener and the store and flushing the logs after the
 * hook's connections are drained, so that the process exits within SHUTDOWN_GRACE_MS.
 */
const CLOSE_RESERVE_MS = 1000

/** The public hook's listener, once open. */
interface HookListener {
  /** The hook's full URL, e.g. http://127.0.0.1:8080/sbermarket/orders/hook/ */
  readonly hookUrl: string
  readonly origin: string
}

/** A running hook service. */
export interface RunningService {
  /** The internal listener's origin (/healthz, /readyz, /metrics, /admin), e.g. http://127.0.0.1:8081 */
  readonly internalOrigin: string
  /**
   * Settles when the hook's listener is open: at once when the store is ready at start, else when it first becomes
   * ready. Rejects when the listener cannot open (its port taken) or the service stopped first; `onFatal` hears the
   * former too.
   */
  readonly hook: Promise<HookListener>
  /** Where the token came from: the config, or the file in DATA_DIR (generated on first start). */
  readonly token: { readonly source: 'config' } | ({ readonly source: 'file' } & StoredToken)
  /** Which store the orders go to, for the operator (never a password). */
  readonly storeDescription: string
  readonly logger: Logger
  /**
   * Graceful stop: the hook's listener closes first (not ready; new connections refused, so nginx tries a neighbour),
   * its requests in flight finish within the grace; then the internal listener closes and the store. Idempotent.
   */
  readonly stop: () => Promise<void>
}

export interface StartOptions {
  readonly clock?: Clock
  /** Where log lines go (stdout by default); tests capture them. */
  readonly logDestination?: NodeJS.WritableStream
  /**
   * Called when the service cannot go on by itself: the store found, after a start without its database, that the
   * database cannot be used by this build (a schema behind the migrations), or the hook's listener could not open
   * once the store was ready. Waiting does not help; `serve` stops with an error.
   */
  readonly onFatal?: (error: Error) => void
  /** Called when the hook's listener has opened (`serve` prints it). */
  readonly onHookListening?: (hook: HookListener) => void
}

/**
 * The composition root: the only place that knows concrete classes. It opens the store, loads the container
 * modules, resolves the two apps, and opens the internal listener at once and the hook's listener once the store
 * is ready: an instance that cannot yet store an order refuses the hook's connections, and nginx passes a refused
 * connection to a ready instance (`proxy_next_upstream error`), where a 503 would go back to SberMarket.
 *
 * Once open, the hook's listener stays open until the stop, also while the store cannot reach its database later
 * (requests are then answered 503 within the deadline, `/readyz` answers 503 and the store alert fires). Closing and
 * reopening the listening socket on every fault of a shared database would help no request (every instance has the
 * same database), would reset the connections the kernel had completed but Node not yet accepted (each request on
 * them sent to another instance with the same fault), and would turn the journaled, counted 503s into nginx 502s no
 * instance sees (README, "Stopping").
 */
export const startService = async (config: AppConfig, options: StartOptions = {}): Promise<RunningService> => {
  const clock = options.clock ?? systemClock
  const logger = createLogger(config.logLevel, options.logDestination)
  const token: RunningService['token'] =
    config.hookTokens.length > 0
      ? { source: 'config' }
      : { source: 'file', ...(await loadOrCreateHookToken(config.dataDir)) }
  const hookTokens = token.source === 'config' ? config.hookTokens : [token.token]
  const store = await openStore(config, clock, {
    onWaiting: (message, retryInMs) =>
      logger.warn(
        { retryInMs, reason: message },
        'the store cannot reach its database yet; the hook listener stays closed and /readyz answers 503 until it can',
      ),
    onConnected: () => logger.info({ store: config.store }, 'the store is connected to its database'),
    onFatal: (error) => {
      logger.error({ reason: error.message }, 'the store cannot use its database')
      options.onFatal?.(error)
    },
  })

  const container = new Container()
  container.load(valuesModule({ config, logger, clock, store, hookTokens }), httpModule)
  const readiness = container.get(ID.Readiness)

  let internal: RunningServer
  try {
    internal = await listen(container.get(ID.InternalApp).callback(), config.internalHost, config.internalPort, {
      requestTimeoutMs: config.requestTimeoutMs,
    })
  } catch (error) {
    await store.close()
    throw error
  }
  const retention = startRetentionSchedule(config.retention, {
    orders: store.repository,
    clock,
    logger,
    metrics: container.get(ID.Metrics),
  })
  const lateJournal = container.get(ID.LateJournal)
  logger.info(
    { url: internal.origin, store: store.description },
    'internal listener open (/healthz, /readyz, /metrics, /admin)',
  )

  let stopping: Promise<void> | undefined
  let hookServer: RunningServer | undefined
  let starting = true
  let stopRequested = (): void => undefined
  const stopSignal = new Promise<'stopped'>((resolve) => {
    stopRequested = () => resolve('stopped')
  })
  const hookApp = container.get(ID.HookApp)
  const openHook = async (): Promise<HookListener> => {
    const first = await Promise.race([store.ready.then(() => 'ready' as const), stopSignal])
    if (first === 'stopped' || stopping !== undefined) throw new Error('the service stopped before its store was ready')
    const server = await listen(hookApp.callback(), config.host, config.port, {
      requestTimeoutMs: config.requestTimeoutMs,
    })
    if (stopping !== undefined) {
      // The stop began while the listener was opening, and found none to close.
      await server.stop(0)
      throw new Error('the service stopped while its hook listener was opening')
    }
    hookServer = server
    const listener = { hookUrl: `${server.origin}${HOOK_PATHS[0]}`, origin: server.origin }
    logger.info({ url: listener.hookUrl, store: store.description }, 'listening')
    options.onHookListening?.(listener)
    return listener
  }
  const hook = openHook()
  hook.catch((error: unknown) => {
    // A failure during the start is the start's own (startService rejects with it); one after a stop is expected.
    if (starting || stopping !== undefined) return
    const reason = error instanceof Error ? error.message : String(error)
    logger.error({ reason, host: config.host, port: config.port }, 'the hook listener cannot open')
    options.onFatal?.(new Error(`the hook listener cannot open on ${config.host}:${config.port}: ${reason}`))
  })

  // When the store is ready already (the embedded stores; a database that answered at once), wait for the hook's
  // listener, so that a start that cannot listen fails here. `store.ready` of a ready store settles within the
  // microtasks of this turn, before the immediate.
  const readyNow = await Promise.race([
    store.ready.then(() => true),
    new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
  ])
  if (readyNow) {
    try {
      await hook
    } catch (error) {
      stopping = Promise.resolve()
      stopRequested()
      await internal.stop(0)
      await retention.stop()
      await store.close()
      throw error
    }
  }

  starting = false
  const stop = (): Promise<void> => {
    stopRequested()
    stopping ??= (async () => {
      const started = performance.now()
      const graceLeft = (): number => config.shutdownGraceMs - CLOSE_RESERVE_MS - (performance.now() - started)
      // Journal writes still retrying stop pausing: a store that comes back inside the grace takes them at once.
      lateJournal.hurry()
      // The hook's listener first. As its listening socket closes: /readyz answers 503, every answer says
      // Connection: close (http/connection-close.ts). The server then drains its connections within the grace.
      if (hookServer === undefined) readiness.accepting = false
      else {
        await hookServer.stop(Math.max(0, config.shutdownGraceMs - CLOSE_RESERVE_MS), () => {
          readiness.accepting = false
        })
      }
      const drainedMs = Math.round(performance.now() - started)
      // Every request is answered now; the journal entries written after their answers get what is left of the
      // grace. Those still unwritten are logged one line each and counted (http/late-journal-writes.ts).
      const journal = await lateJournal.settle(Math.max(0, graceLeft()))
      // Then the internal listener: nothing on it is retried through nginx, so its idle keep-alive connections (a
      // scraper's) are closed at once; a request in flight (an admin read) finishes within what is left.
      await internal.stop(Math.max(0, CLOSE_RESERVE_MS / 2), () => internal.server.closeIdleConnections())
      const closed = await withinDeadline(
        (async () => {
          await retention.stop()
          await store.close()
        })(),
        config.shutdownGraceMs - (performance.now() - started),
      )
      if (closed._tag === 'Late')
        logger.warn(
          { graceMs: config.shutdownGraceMs },
          'the store did not close within the grace period; stopping anyway',
        )
      logger.info(
        { drainedMs, stoppedMs: Math.round(performance.now() - started), lateJournalWrites: journal },
        'stopped',
      )
      await new Promise<void>((resolve) => logger.flush(() => resolve()))
    })()
    return stopping
  }
  return { internalOrigin: internal.origin, hook, token, storeDescription: store.description, logger, stop }
}
