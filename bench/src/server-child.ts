import * as E from 'fp-ts/lib/Either.js'
import Koa from 'koa'
import Router from '@koa/router'
import { join } from 'node:path'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { ConstantTimeTokenVerifier, createApp, createLogger, HookMetrics, listen, parseAppConfig, startService } from '@domino-sm/adapter-http'
import { BENCH_TOKEN, HOOK_PATH, type ChildReply, type ChildRequest, type ServerKind } from './protocol.js'

/**
 * One server under load, in its own process so that its event loop and memory are its own. It tells the parent
 * its port, and answers RSS questions over IPC; it samples RSS every 20 ms to know the peak.
 */
const reply = (message: ChildReply): void => {
  process.send?.(message)
}

let peakRss = process.memoryUsage().rss
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss)
}, 20).unref()

/** The baselines listen through the hook's own `listen`, so they differ from it only in what runs per request. */
const listenBare = async (handler: Parameters<typeof listen>[0]): Promise<number> =>
  Number(new URL((await listen(handler, '127.0.0.1', 0)).origin).port)

const start = async (kind: ServerKind, dataDir: string): Promise<number> => {
  switch (kind) {
    case 'bare-http':
      return listenBare((req, res) => {
        req.resume()
        req.on('end', () => {
          res.statusCode = 200
          res.end()
        })
      })
    case 'bare-koa': {
      const app = new Koa()
      const router = new Router()
      router.post(HOOK_PATH, (ctx) => {
        ctx.status = 200
        ctx.body = ''
      })
      app.use(router.routes())
      return listenBare(app.callback())
    }
    case 'hook-memory':
    case 'hook-sqlite': {
      const env = { HOST: '127.0.0.1', PORT: '0', STORE: kind === 'hook-memory' ? 'memory' : 'sqlite', DATA_DIR: dataDir, SBERMARKET_HOOK_TOKENS: BENCH_TOKEN, LOG_LEVEL: 'info' }
      const config = parseAppConfig(env)
      if (E.isLeft(config)) throw new Error(config.left.join('; '))
      const service = await startService(config.right)
      return Number(new URL(service.origin).port)
    }
    case 'hook-sqlite-normal': {
      // The app `serve` builds, on a store opened with the one setting `serve` does not expose.
      const clock = { now: () => new Date() }
      const store = openSqliteStore({ path: join(dataDir, 'orders.sqlite'), synchronous: 'NORMAL' }, clock)
      const app = createApp({
        orders: store.repository,
        tokens: new ConstantTimeTokenVerifier([BENCH_TOKEN]),
        clock,
        logger: createLogger('info'),
        metrics: new HookMetrics({ processMetrics: true }),
        readiness: { accepting: true },
        settings: { hookDeadlineMs: 4000, bodyLimitBytes: 1024 * 1024, trustProxy: false },
      })
      const server = await listen(app.callback(), '127.0.0.1', 0)
      return Number(new URL(server.origin).port)
    }
  }
}

process.on('message', (message: ChildRequest) => {
  if (message.type === 'rss') {
    const gc = (globalThis as { gc?: () => void }).gc
    if (message.collectGarbage === true && gc !== undefined) gc()
    const usage = process.memoryUsage()
    reply({ type: 'rss', rss: usage.rss, peakRss, heapUsed: usage.heapUsed })
  } else if (message.type === 'reset-peak') {
    peakRss = process.memoryUsage().rss
    reply({ type: 'reset-peak' })
  }
})

const [kind, dataDir] = process.argv.slice(2) as [ServerKind, string]
start(kind, dataDir).then(
  (port) => reply({ type: 'listening', port }),
  (error: unknown) => {
    process.stderr.write(`bench server ${kind} failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
