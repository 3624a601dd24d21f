import * as E from 'fp-ts/lib/Either.js'
import Koa from 'koa'
import Router from '@koa/router'
import bodyParser from 'koa-bodyparser'
import { pathToFileURL } from 'node:url'
import type * as AdapterHttp from '@domino-sm/adapter-http'
import { startAllocationMeter, type AllocationMeter } from './heap-allocation.js'
import {
  BENCH_TOKEN,
  HOOK_PATH,
  STORE_ENV_VARIABLE,
  STORE_OF,
  type ChildReply,
  type ChildRequest,
  type ServerKind,
} from './protocol.js'

/**
 * One server under load, in its own process so that its event loop, CPU time and memory are its own. It tells
 * the parent its port, answers RSS questions over IPC, samples RSS every 20 ms for the peak, and counts the heap
 * bytes allocated between `alloc-start` and `alloc-stop`.
 * argv: kind, data directory, the adapter-http module to run the hook from (another build can be compared); the
 * store's own settings (`DOMINO_DB_*` for the Domino store) come as JSON in the environment (STORE_ENV_VARIABLE).
 */
const reply = (message: ChildReply): void => {
  process.send?.(message)
}

// `memoryUsage.rss()`, not `memoryUsage().rss`: the full form also gathers V8's heap statistics. In the profile of the
// SQL Server status scenario's server (6,157 requests in its life) it took 156 ms of the CPU charged to the hook.
let peakRss = process.memoryUsage.rss()
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 20).unref()

const loadHook = async (hookModule: string): Promise<typeof AdapterHttp> =>
  (await import(pathToFileURL(hookModule).href)) as typeof AdapterHttp

const start = async (
  kind: ServerKind,
  dataDir: string,
  hookModule: string,
  storeEnv: Readonly<Record<string, string>>,
): Promise<number> => {
  const http = await loadHook(hookModule)
  // The baselines listen through the hook's own `listen`, so they differ from it only in what runs per request.
  const listenBare = async (handler: AdapterHttp.RequestHandler): Promise<number> =>
    Number(new URL((await http.listen(handler, '127.0.0.1', 0)).origin).port)
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
    case 'koa-json': {
      // The fair baseline (BENCHMARKS.md): the same framework reads and parses the same body and answers
      // what the hook answers to a new order, with nothing else.
      const app = new Koa()
      const router = new Router()
      let number = 0
      router.post(HOOK_PATH, bodyParser(), (ctx) => {
        const body = ctx.request.body as { readonly payload?: { readonly originalOrderId?: unknown } } | undefined
        if (typeof body?.payload?.originalOrderId !== 'string') ctx.throw(400)
        number += 1
        ctx.body = { status: 'created', number: String(number) }
      })
      app.use(router.routes())
      return listenBare(app.callback())
    }
    case 'hook-memory':
    case 'hook-sqlite':
    case 'hook-domino-db': {
      const env = {
        HOST: '127.0.0.1',
        PORT: '0',
        INTERNAL_PORT: '0',
        STORE: STORE_OF[kind],
        DATA_DIR: dataDir,
        SBERMARKET_HOOK_TOKENS: BENCH_TOKEN,
        LOG_LEVEL: 'info',
        ...storeEnv,
      }
      const config = http.parseAppConfig(env)
      if (E.isLeft(config)) throw new Error(config.left.join('; '))
      const service = await http.startService(config.right)
      return Number(new URL((await service.hook).origin).port)
    }
  }
}

let meter: AllocationMeter | undefined

// An orderly exit on the parent's SIGTERM, so that `--cpu-prof` (BENCH_SERVER_EXEC_ARGV) gets to write its profile.
process.once('SIGTERM', () => process.exit(0))

process.on('message', (message: ChildRequest) => {
  switch (message.type) {
    case 'rss': {
      const gc = (globalThis as { gc?: () => void }).gc
      if (message.collectGarbage === true && gc !== undefined) gc()
      const usage = process.memoryUsage()
      reply({ type: 'rss', rss: usage.rss, peakRss, heapUsed: usage.heapUsed })
      return
    }
    case 'reset-peak':
      peakRss = process.memoryUsage().rss
      reply({ type: 'reset-peak' })
      return
    case 'alloc-start':
      meter = startAllocationMeter()
      reply({ type: 'alloc-start' })
      return
    case 'alloc-stop':
      reply({ type: 'alloc-stop', bytes: meter?.stop() ?? Number.NaN })
      meter = undefined
      return
  }
})

const [kind, dataDir, hookModule] = process.argv.slice(2) as [ServerKind, string, string]
start(kind, dataDir, hookModule, JSON.parse(process.env[STORE_ENV_VARIABLE] ?? '{}') as Record<string, string>).then(
  (port) => reply({ type: 'listening', port }),
  (error: unknown) => {
    process.stderr.write(`bench server ${kind} failed: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(1)
  },
)
