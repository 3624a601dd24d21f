import { internalOriginOf, startServe, type ServeProcess } from '../../support/spawn-cli.js'
import { trackChild, untrackChild } from './process-registry.js'

/** One request log line of an instance (the service writes one JSON line per request on stdout). */
interface RequestLogLine {
  readonly path: string
  readonly status: number
  readonly client: string
  readonly eventType?: string | null
  readonly orderKey?: string | null
  readonly outcome?: string | null
}

/** One `serve` process of the pool; `restart` starts a new life on the same port. */
interface PoolInstance {
  readonly name: string
  /** The hook's listener (what nginx proxies). */
  readonly origin: string
  readonly port: number
  /** The internal listener: /healthz, /readyz, /metrics, /admin (what Prometheus scrapes). */
  readonly internalOrigin: string
  /** Hook request lines logged by every life of this instance so far. */
  readonly hookRequests: () => RequestLogLine[]
  readonly alive: () => boolean
}

export interface ServicePool {
  readonly instances: readonly PoolInstance[]
  /** kill -9: no shutdown, no flush, requests in flight are cut. */
  readonly crash: (index: number) => Promise<void>
  /** SIGSTOP: the instance stalls (as in a long pause) with what it was doing; connections to it are still accepted. */
  readonly freeze: (index: number) => void
  /**
   * Starts the instance again on its ports, and resolves when its hook listens. `override` changes its environment
   * for this life (e.g. another STORE); a later restart without it returns to the pool's.
   */
  readonly restart: (index: number, override?: Readonly<Record<string, string>>) => Promise<void>
  /** SIGTERM to one instance (a graceful stop) and wait, however long it takes: its exit code and milliseconds to exit. */
  readonly terminate: (index: number) => Promise<{ readonly code: number | null; readonly ms: number }>
  /** SIGTERM to every live instance and wait (SIGKILL after 5 s). Safe to call more than once. */
  readonly stop: () => Promise<void>
}

export interface PoolSettings {
  readonly size: number
  readonly dataDir: string
  readonly hookToken: string
  readonly adminToken: string
  /** The store's part of the environment (STORE and its settings); default the SQLite file in `dataDir`. */
  readonly storeEnv?: Readonly<Record<string, string>>
}

const parseLine = (line: string): (RequestLogLine & { readonly msg?: string }) | undefined => {
  try {
    return JSON.parse(line) as RequestLogLine & { readonly msg?: string }
  } catch {
    return undefined // the last line of a killed process may be cut short
  }
}

const parseRequestLines = (stdout: string): RequestLogLine[] =>
  stdout
    .split('\n')
    .map(parseLine)
    .filter(
      (line): line is RequestLogLine => line?.msg === 'request' && line.path.startsWith('/sbermarket/orders/hook'),
    )

const stopOne = async (serve: ServeProcess, signal: NodeJS.Signals): Promise<void> => {
  if (serve.child.exitCode === null && serve.child.signalCode === null) {
    serve.child.kill(signal)
    const timer = setTimeout(() => serve.child.kill('SIGKILL'), 5000)
    await serve.exited
    clearTimeout(timer)
  }
  untrackChild(serve.child)
}

interface Slot {
  readonly name: string
  port: number
  origin: string
  internalPort: number
  internalOrigin: string
  current: ServeProcess
  earlierStdout: string
}

/**
 * Starts `size` instances of the real service (`node dist/cli/main.js serve`), each on its own loopback port,
 * all on one store (the SQLite file in `dataDir`, or what `storeEnv` names), with the same hook token and admin
 * token. The first one creates the SQLite file and applies its migrations; the others then start together.
 */
export const startPool = async (settings: PoolSettings): Promise<ServicePool> => {
  const env = (port: number, internalPort: number): Record<string, string> => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    INTERNAL_PORT: String(internalPort),
    INTERNAL_HOST: '127.0.0.1',
    DATA_DIR: settings.dataDir,
    STORE: 'sqlite',
    SBERMARKET_HOOK_TOKENS: settings.hookToken,
    ADMIN_TOKEN: settings.adminToken,
    TRUST_PROXY: 'true',
    LOG_LEVEL: 'info',
    ...settings.storeEnv,
  })
  interface Launched {
    readonly serve: ServeProcess
    readonly origin: string
    readonly port: number
    readonly internalOrigin: string
    readonly internalPort: number
  }
  const launch = async (
    port: number,
    internalPort: number,
    override: Readonly<Record<string, string>> = {},
  ): Promise<Launched> => {
    const serve = await startServe({ ...env(port, internalPort), ...override })
    trackChild(serve.child)
    const url = /listening: POST (\S+)/.exec(serve.output().stderr)?.[1]
    if (url === undefined) {
      await stopOne(serve, 'SIGKILL')
      throw new Error(`no URL in the banner: ${serve.output().stderr}`)
    }
    const parsed = new URL(url)
    const internal = new URL(internalOriginOf(serve))
    return {
      serve,
      origin: parsed.origin,
      port: Number(parsed.port),
      internalOrigin: internal.origin,
      internalPort: Number(internal.port),
    }
  }
  const slots: Slot[] = []
  const stop = async (): Promise<void> => {
    await Promise.all(slots.filter((slot) => slot !== undefined).map((slot) => stopOne(slot.current, 'SIGTERM')))
  }
  const add = (i: number, started: Launched): void => {
    slots[i] = { name: `instance-${i + 1}`, ...started, current: started.serve, earlierStdout: '' }
  }
  try {
    add(0, await launch(0, 0))
    const rest = await Promise.allSettled(Array.from({ length: settings.size - 1 }, () => launch(0, 0)))
    rest.forEach((result, i) => {
      if (result.status === 'fulfilled') add(i + 1, result.value)
    })
    const failed = rest.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  } catch (error) {
    await stop()
    throw error
  }
  const slotAt = (index: number): Slot => {
    const slot = slots[index]
    if (slot === undefined) throw new Error(`no instance ${index}`)
    return slot
  }
  return {
    instances: slots.map((slot) => ({
      name: slot.name,
      origin: slot.origin,
      port: slot.port,
      internalOrigin: slot.internalOrigin,
      hookRequests: () => parseRequestLines(slot.earlierStdout + slot.current.output().stdout),
      alive: () => slot.current.child.exitCode === null && slot.current.child.signalCode === null,
    })),
    crash: (index) => stopOne(slotAt(index).current, 'SIGKILL'),
    freeze: (index) => {
      slotAt(index).current.child.kill('SIGSTOP')
    },
    terminate: async (index) => {
      const serve = slotAt(index).current
      const started = performance.now()
      serve.child.kill('SIGTERM')
      const code = await serve.exited
      untrackChild(serve.child)
      return { code, ms: Math.round(performance.now() - started) }
    },
    restart: async (index, override) => {
      const slot = slotAt(index)
      slot.earlierStdout += slot.current.output().stdout
      slot.current = (await launch(slot.port, slot.internalPort, override)).serve
    },
    stop,
  }
}
