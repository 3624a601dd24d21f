import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** The local ports of this process's TCP connections to `serverPort` (its pooled sessions), from /proc. */
const ownPortsTo = (serverPort: number): Set<number> => {
  const inodes = new Set<string>()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))
      if (match?.[1] !== undefined) inodes.add(match[1])
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set<number>()
  const remote = `:${serverPort.toString(16).toUpperCase().padStart(4, '0')}`
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      if (fields[2]?.endsWith(remote) === true && fields[9] !== undefined && inodes.has(fields[9]))
        ports.add(Number.parseInt(fields[1]?.split(':')[1] ?? '', 16))
    }
  }
  return ports
}

/** One reading: the CPU time of each backend serving one of this process's sessions, by pid. */
export type SessionReading = ReadonlyMap<number, number>

/**
 * The CPU time so far of the local T-SQL engine's backends that serve this process's sessions: Babelfish (PostgreSQL)
 * titles each backend by its client's address, `postgres: <login> <db> 127.0.0.1(<port>) ...` (bench/src/lines-parameter-cost.ts and
 * packages/adapter-domino-db/test/bench/many-lines.ts read it). Unlike the bench's `engine-cpu.ts` it leaves out every other client of a
 * shared engine and the engine's background work; empty when no such backend is found (another server, not local).
 */
export const sessionCpu = (serverPort: number): SessionReading => {
  const ports = ownPortsTo(serverPort)
  const micros = new Map<number, number>()
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const port = /\((\d+)\)/.exec(title)?.[1]
      if (!title.startsWith('postgres:') || port === undefined || !ports.has(Number(port))) continue
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      micros.set(Number(pid), ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / TICKS_PER_SECOND)
    } catch {
      continue
    }
  }
  return micros
}

/**
 * The sessions' CPU between two readings; `undefined` when none was found, or when the sessions changed between them
 * (a pooled connection replaced: its backend's time would be lost or counted from zero).
 */
export const sessionCpuBetween = (before: SessionReading, after: SessionReading): number | undefined => {
  if (before.size === 0 || before.size !== after.size) return undefined
  let total = 0
  for (const [pid, micros] of after) {
    const start = before.get(pid)
    if (start === undefined) return undefined
    total += micros - start
  }
  return total
}
