import { fork, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { processCpuMicros } from './process-cpu.js'
import { STORE_ENV_VARIABLE, type ChildReply, type ChildRequest, type ServerKind } from './protocol.js'

const CHILD = fileURLToPath(new URL('./server-child.js', import.meta.url))

/** Extra node flags for the server children, e.g. `BENCH_SERVER_EXEC_ARGV='--cpu-prof --cpu-prof-dir=/tmp/prof'` to profile them. */
const EXTRA_EXEC_ARGV = (process.env['BENCH_SERVER_EXEC_ARGV'] ?? '').split(' ').filter((flag) => flag !== '')

export interface MemoryReading {
  readonly rss: number
  readonly peakRss: number
  readonly heapUsed: number
}

/** A server child: its origin, its CPU time and memory, and how to stop it (and remove its data directory). */
export interface ServerProcess {
  readonly origin: string
  readonly pid: number
  /** User + system CPU time of the child so far, in microseconds (from /proc). */
  readonly cpuMicros: () => number
  readonly memory: (collectGarbage?: boolean) => Promise<MemoryReading>
  readonly resetPeak: () => Promise<void>
  readonly startAllocationCount: () => Promise<void>
  /** The V8 heap bytes allocated since `startAllocationCount`. */
  readonly stopAllocationCount: () => Promise<number>
  readonly stop: () => Promise<void>
}

/** Asks the child and waits for its reply; rejects if the child exits first (else the run would wait forever). */
const ask = <T extends ChildReply['type']>(
  child: ChildProcess,
  request: ChildRequest,
  type: T,
): Promise<Extract<ChildReply, { type: T }>> =>
  new Promise((resolve, reject) => {
    const onExit = (): void => {
      child.off('message', onMessage)
      reject(new Error(`the server child exited before answering ${request.type}`))
    }
    const onMessage = (message: ChildReply): void => {
      if (message.type !== type) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(message as Extract<ChildReply, { type: T }>)
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      reject(new Error(`the server child had exited before ${request.type}`))
      return
    }
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send(request)
  })

/**
 * Starts a fresh server of `kind` in a child process, the hook taken from `hookModule` (adapter-http's built
 * index.js), with the store's own settings `storeEnv` (the Domino store's `DOMINO_DB_*`). stdout, where the hook
 * logs, goes to /dev/null.
 */
export const startServerProcess = async (
  kind: ServerKind,
  hookModule: string,
  storeEnv: Readonly<Record<string, string>> = {},
): Promise<ServerProcess> => {
  const dataDir = await mkdtemp(join(tmpdir(), `bench-${kind}-`))
  const child = fork(CHILD, [kind, dataDir, hookModule], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: ['--expose-gc', ...EXTRA_EXEC_ARGV],
    // In the environment, not in argv, which `ps` shows to every user with the database password in it.
    env: { ...process.env, [STORE_ENV_VARIABLE]: JSON.stringify(storeEnv) },
  })
  let stopping = false
  let died: string | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) died = `the ${kind} server died (exit code ${String(code)}, signal ${String(signal)})`
      resolve()
    }),
  )
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: ChildReply) =>
      message.type === 'listening' ? resolve(message.port) : reject(new Error('unexpected message')),
    )
    void exited.then(() => reject(new Error(`the ${kind} server exited before listening`)))
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`the ${kind} server has no pid`)
  return {
    origin: `http://127.0.0.1:${port}`,
    pid,
    cpuMicros: () => processCpuMicros(pid),
    memory: async (collectGarbage = false) => {
      const { rss, peakRss, heapUsed } = await ask(child, { type: 'rss', collectGarbage }, 'rss')
      return { rss, peakRss, heapUsed }
    },
    resetPeak: async () => {
      await ask(child, { type: 'reset-peak' }, 'reset-peak')
    },
    startAllocationCount: async () => {
      await ask(child, { type: 'alloc-start' }, 'alloc-start')
    },
    stopAllocationCount: async () => (await ask(child, { type: 'alloc-stop' }, 'alloc-stop')).bytes,
    /** Stops the child; throws if it had died before: the load it served cannot be trusted. */
    stop: async () => {
      stopping = true
      child.kill('SIGTERM')
      await exited
      await rm(dataDir, { recursive: true, force: true })
      if (died !== undefined) throw new Error(died)
    },
  }
}
