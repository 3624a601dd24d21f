import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A T-SQL engine (the Babelfish script `.ci/run` names in TSQL_ENGINE_BIN) that one test owns: its own data
 * directory in a temp folder and its own ports, so that the test may stop, freeze and restart it while the engine
 * every other test shares keeps running.
 */
export interface PrivateTsqlEngine {
  /** The TDS port (PostgreSQL's own port is 14000 above it, loopback only). */
  readonly port: number
  /** Milliseconds the first `start` took: unpacking the archive, creating the cluster, starting it. */
  readonly firstStartMs: number
  /** An mssql connection string of the admin login for a new database of this engine. */
  readonly createDatabase: (name: string) => Promise<string>
  /** `tsql-engine stop` (a fast shutdown: sessions are ended); milliseconds it took. */
  readonly stop: () => Promise<number>
  /** `tsql-engine start` of the existing cluster; milliseconds it took. */
  readonly start: () => Promise<number>
  /** SIGSTOP to the postmaster and every process it forked; answers how many processes were frozen. */
  readonly freeze: () => Promise<number>
  /** SIGCONT to the processes `freeze` stopped (and any child of the postmaster), children first. */
  readonly thaw: () => Promise<void>
  /** Thaws, stops the engine and removes its directory; safe to call more than once and after a failed start. */
  readonly remove: () => Promise<void>
}

/** The environment variable that names the engine's script; without it the fault test is pending. */
export const ENGINE_BIN_VARIABLE = 'TSQL_ENGINE_BIN'

/** The engine script, or undefined when the variable is not set. */
export const engineBin = (): string | undefined => {
  const bin = process.env[ENGINE_BIN_VARIABLE]
  return bin === undefined || bin.trim() === '' ? undefined : bin
}

/** PostgreSQL's port is this far above the TDS port (the script's rule). */
const PG_PORT_OFFSET = 14000

const canListen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })

/**
 * A TDS port whose PostgreSQL port is free too. The kernel's ephemeral ports are too high for the offset (a TDS
 * port must stay under 65536 - 14000), so ports are drawn from a range below them and both are tried.
 */
const freePortPair = async (): Promise<number> => {
  for (let tries = 0; tries < 50; tries += 1) {
    const port = 20000 + Math.floor(Math.random() * 10000)
    if ((await canListen(port)) && (await canListen(port + PG_PORT_OFFSET))) return port
  }
  throw new Error('no free pair of ports for a private T-SQL engine')
}

const run = (bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(bin, [...args], { env, timeout: 180_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`${bin} ${args.join(' ')} failed: ${error.message} ${stderr}`))
      else resolve(stdout.trim())
    })
  })

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const started = performance.now()
  await work()
  return Math.round(performance.now() - started)
}

/** The parent pid of a process, from /proc/<pid>/stat (the field after the command, which may hold spaces). */
const parentOf = async (pid: number): Promise<number | undefined> => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return Number(fields[1])
  } catch {
    return undefined // gone meanwhile
  }
}

/**
 * The processes the postmaster forked. Each PostgreSQL child calls setsid(), so a signal to the postmaster's process
 * group reaches none of them: they are found by their parent instead.
 */
const childrenOf = async (pid: number): Promise<number[]> => {
  const entries = await readdir('/proc')
  const children: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    if ((await parentOf(Number(entry))) === pid) children.push(Number(entry))
  }
  return children
}

const signal = (pid: number, name: NodeJS.Signals): void => {
  try {
    process.kill(pid, name)
  } catch {
    // a child that ended meanwhile
  }
}

/**
 * Starts a private engine: a fresh data directory under the OS temp folder, a free TDS port. If the process exits
 * before `remove` (an interrupted run), its exit handler thaws and stops the engine synchronously.
 */
export const startPrivateEngine = async (bin: string): Promise<PrivateTsqlEngine> => {
  const home = await mkdtemp(join(tmpdir(), 'tsql-engine-faults-'))
  const port = await freePortPair()
  const env: NodeJS.ProcessEnv = { ...process.env, TSQL_ENGINE_HOME: home, TSQL_ENGINE_PORT: String(port) }
  let frozen: number[] = []
  let removed = false

  const postmasterPid = async (): Promise<number> => {
    const pid = Number((await readFile(join(home, 'data', 'postmaster.pid'), 'utf8')).split('\n')[0])
    if (!Number.isInteger(pid) || pid <= 1) throw new Error(`no postmaster pid in ${home}/data/postmaster.pid`)
    return pid
  }
  const thaw = async (): Promise<void> => {
    const postmaster = await postmasterPid().catch(() => undefined)
    const children = postmaster === undefined ? [] : await childrenOf(postmaster)
    for (const pid of new Set([...children, ...frozen])) signal(pid, 'SIGCONT')
    if (postmaster !== undefined) signal(postmaster, 'SIGCONT')
    frozen = []
  }
  const onExit = (): void => {
    for (const pid of frozen) signal(pid, 'SIGCONT')
    spawnSync(bin, ['stop'], { env, timeout: 30_000 })
    spawnSync('rm', ['-rf', home])
  }
  process.once('exit', onExit)

  const remove = async (): Promise<void> => {
    if (removed) return
    removed = true
    await thaw()
    await run(bin, ['stop'], env).catch(() => undefined)
    await rm(home, { recursive: true, force: true })
    process.removeListener('exit', onExit)
  }

  try {
    const firstStartMs = await timed(() => run(bin, ['start'], env))
    return {
      port,
      firstStartMs,
      createDatabase: (name) => run(bin, ['create-db', name], env),
      stop: () => timed(() => run(bin, ['stop'], env)),
      start: () => timed(() => run(bin, ['start'], env)),
      // The postmaster first, so that it forks nothing new while its children are listed and stopped.
      freeze: async () => {
        const postmaster = await postmasterPid()
        signal(postmaster, 'SIGSTOP')
        frozen = [postmaster]
        const children = await childrenOf(postmaster)
        for (const pid of children) signal(pid, 'SIGSTOP')
        frozen.push(...children)
        return frozen.length
      },
      thaw,
      remove,
    }
  } catch (error) {
    await remove()
    throw error
  }
}
