import mssql from 'mssql'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

const TICKS_PER_SECOND = 100
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1'])

/** One reading of the engine's CPU: the server process it was taken from, and the CPU time so far. */
export interface EngineReading {
  readonly pid: number
  readonly micros: number
}

interface Stat {
  readonly ppid: number
  /** utime + stime + cutime + cstime: the process's own time and that of the children it reaped. */
  readonly ticks: number
}

const statOf = (pid: string): Stat | undefined => {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return undefined // ended meanwhile
  }
  // Fields after the command name (which may hold spaces): state, ppid, ... utime (11), stime, cutime, cstime (14).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return {
    ppid: Number(fields[1]),
    ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
  }
}

/** The inodes of the TCP sockets listening on `port` (state 0A in /proc/net/tcp and tcp6). */
const listeningInodes = (port: number): Set<string> => {
  const inodes = new Set<string>()
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields[1]?.endsWith(`:${hexPort}`) === true && fields[3] === '0A' && fields[9] !== undefined)
        inodes.add(fields[9])
    }
  }
  return inodes
}

/** The pids that hold one of `inodes` open. */
const holders = (inodes: ReadonlySet<string>): number[] => {
  const pids: number[] = []
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${pid}/fd`)
    } catch {
      continue
    }
    const holds = fds.some((fd) => {
      try {
        const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))
        return match?.[1] !== undefined && inodes.has(match[1])
      } catch {
        return false
      }
    })
    if (holds) pids.push(Number(pid))
  }
  return pids
}

/**
 * How to read the CPU time of the database server that `url` names, when it runs on this machine: the process that
 * listens on its port (for the T-SQL engine, Babelfish's postmaster) and the children it forked (one backend per
 * session, and its background workers), user + system time, plus what its reaped children used (a session that ended
 * is counted in the postmaster's). Other database servers on the machine (test engines that other work starts and
 * stops) are not counted; other clients' sessions on the same server are, so on a shared machine it is an upper bound
 * of the benchmark's share. `undefined` when the server is not local or cannot be found.
 */
export const engineCpuReader = (url: string): (() => EngineReading | undefined) => {
  const config = mssql.ConnectionPool.parseConnectionString(url)
  if (!LOCAL_HOSTS.has(config.server)) return () => undefined
  const port = config.port ?? 1433
  return () => {
    const owners = holders(listeningInodes(port))
    // The listener itself, not a child that inherited its socket.
    const server = owners.find((pid) => !owners.includes(statOf(String(pid))?.ppid ?? -1))
    if (server === undefined) return undefined
    let ticks = statOf(String(server))?.ticks ?? 0
    for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
      const stat = statOf(entry)
      if (stat?.ppid === server) ticks += stat.ticks
    }
    return { pid: server, micros: (ticks * 1_000_000) / TICKS_PER_SECOND }
  }
}

/** The engine's CPU time between two readings, or `undefined` when either is missing or the server restarted between them. */
export const engineCpuBetween = (
  before: EngineReading | undefined,
  after: EngineReading | undefined,
): number | undefined =>
  before === undefined || after === undefined || before.pid !== after.pid ? undefined : after.micros - before.micros
