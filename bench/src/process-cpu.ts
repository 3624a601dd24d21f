import { readFileSync } from 'node:fs'

/** Linux's USER_HZ: /proc reports CPU time in these ticks (`getconf CLK_TCK` is 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100

/**
 * The user + system CPU time a process has used so far, in microseconds, from /proc/<pid>/stat (fields 14 and
 * 15, counted after the command name, which may hold spaces). It includes every thread of the process (the
 * SQLite store's worker), and resolves to 10 ms: over seconds of load that is well under 1%.
 */
export const processCpuMicros = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1_000_000) / TICKS_PER_SECOND
}
