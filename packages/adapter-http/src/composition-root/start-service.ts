// Inversify reads the Reflect metadata API; it is installed once, here, before any container exists.
import 'reflect-metadata'
import { Container } from 'inversify'
import type { Clock } from '@domino-sm/core'
import { loadOrCreateHookToken, type StoredToken } from '../auth/stored-hook-token.js'
import type { AppConfig } from '../config/app-config.js'
import { HOOK_PATHS } from '../http/create-app.js'
import { withinDeadline } from '../http/deadline.js'
import { createLogger, type Logger } from '../observability/logger.js'
import { listen } from '../server/http-server.js'
import { ID } from './identifiers.js'
import { httpModule, valuesModule } from './modules.js'
import { openStore } from './open-store.js'
import { startRetentionSchedule } from '../retention/retention-schedule.js'

const systemClock: Clock = { now: () => new Date() }

/**
 * The part of SHUTDOWN_GRACE_MS kept for closing the store and flushing the logs after the connections are
 * drained, so that the process exits within SHUTDOWN_GRACE_MS.
 */
const CLOSE_RESERVE_MS = 1000

/** A running hook service. */
export interface RunningService {
  /** The hook's full URL, e.g. http://127.0.0.1:8080/sbermarket/orders/hook/ */
  readonly hookUrl: string
  readonly origin: string
  /** Where the token came from: the config, or the file in DATA_DIR (generated on first start). */
  readonly token: { readonly source: 'config' } | ({ readonly source: 'file' } & StoredToken)
  readonly storeDescription: string
  readonly logger: Logger
  /** Graceful stop: not ready, stop accepting, finish requests in flight, close the store. Idempotent. */
  readonly stop: () => Promise<void>
}

export interface StartOptions {
  readonly clock?: Clock
  /** Where log lines go (stdout by default); tests capture them. */
  readonly logDestination?: NodeJS.WritableStream
  /**
   * Called when the store finds, after a start without its database, that the database cannot be used by this build
   * (a schema behind the migrations): waiting does not help. `serve` stops with an error.
   */
  readonly onFatal?: (error: Error) => void
}

/**
 * The composition root: the only place that knows concrete classes. It opens the store, loads the container
 * modules, resolves the app and listens.
 */
export const startService = async (config: AppConfig, options: StartOptions = {}): Promise<RunningService> => {
  const clock = options.clock ?? systemClock
  const logger = createLogger(config.logLevel, options.logDestination)
  const token: RunningService['token'] = config.hookTokens.length > 0
    ? { source: 'config' }
    : { source: 'file', ...(await loadOrCreateHookToken(config.dataDir)) }
  const hookTokens = token.source === 'config' ? config.hookTokens : [token.token]
  const store = await openStore(config, clock, {
    onWaiting: (message, retryInMs) => logger.warn({ retryInMs, reason: message }, 'the store cannot reach its database yet; answering 503 and not ready until it can'),
    onConnected: () => logger.info({ store: config.store }, 'the store is connected to its database'),
    onFatal: (error) => {
      logger.error({ reason: error.message }, 'the store cannot use its database')
      options.onFatal?.(error)
    },
  })

  const container = new Container()
  container.load(valuesModule({ config, logger, clock, store, hookTokens }), httpModule)
  const app = container.get(ID.App)
  const readiness = container.get(ID.Readiness)

  let running
  try {
    running = await listen(app.callback(), config.host, config.port, { requestTimeoutMs: config.requestTimeoutMs })
  } catch (error) {
    await store.close()
    throw error
  }
  const server = running
  const retention = startRetentionSchedule(config.retention, { orders: store.repository, clock, logger, metrics: container.get(ID.Metrics) })
  const lateJournal = container.get(ID.LateJournal)
  let stopping: Promise<void> | undefined
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      const started = performance.now()
      const graceLeft = (): number => config.shutdownGraceMs - CLOSE_RESERVE_MS - (performance.now() - started)
      // Journal writes still retrying stop pausing: a store that comes back inside the grace takes them at once.
      lateJournal.hurry()
      // As the listening socket closes: /readyz answers 503, every answer says Connection: close
      // (http/connection-close.ts). The server then drains its connections.
      await server.stop(Math.max(0, config.shutdownGraceMs - CLOSE_RESERVE_MS), () => {
        readiness.accepting = false
      })
      const drainedMs = Math.round(performance.now() - started)
      // Every request is answered now; the journal entries written after their answers get what is left of the
      // grace. Those still unwritten are logged one line each and counted (http/late-journal-writes.ts).
      const journal = await lateJournal.settle(Math.max(0, graceLeft()))
      const closed = await withinDeadline(
        (async () => {
          await retention.stop()
          await store.close()
        })(),
        config.shutdownGraceMs - (performance.now() - started),
      )
      if (closed._tag === 'Late') logger.warn({ graceMs: config.shutdownGraceMs }, 'the store did not close within the grace period; stopping anyway')
      logger.info({ drainedMs, stoppedMs: Math.round(performance.now() - started), lateJournalWrites: journal }, 'stopped')
      await new Promise<void>((resolve) => logger.flush(() => resolve()))
    })()
    return stopping
  }
  const hookUrl = `${server.origin}${HOOK_PATHS[0]}`
  logger.info({ url: hookUrl, store: store.description }, 'listening')
  return { hookUrl, origin: server.origin, token, storeDescription: store.description, logger, stop }
}
