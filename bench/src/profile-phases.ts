import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { parseArgs } from 'node:util'
import { attributeProfile, PHASES, type CpuProfile, type Phase, type PhaseTime } from './phase-attribution.js'
import { phaseTable } from './phase-table.js'

/**
 * CPU per request by phase, from the V8 profiles of the bench's server children:
 *
 *   BENCH_SERVER_EXEC_ARGV='--cpu-prof --cpu-prof-dir=DIR' node bench/dist/main.js --only '...' > OUT
 *   node bench/dist/profile-phases.js --bench-output OUT DIR
 *   node bench/dist/profile-phases.js --requests N FILE.cpuprofile ...
 *
 * Each sample goes to one phase by its stack (phase-attribution.ts says how). The profiles of one process (its main
 * thread and its workers: the SQLite store's) are summed. A profile covers the child's whole life, start-up, the
 * status scenario's orders and the warm-up included, so the request count is every request that server answered: the
 * bench prints it per server (`- server of NAME: pid P, N requests answered in its life`), which `--bench-output`
 * reads and matches by the pid in the profile's file name; `--requests N` gives it by hand.
 */

/** `CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile`, as Node names them. */
const PROFILE_NAME = /^CPU\.\d+\.\d+\.(\d+)\.(\d+)\.\d+\.cpuprofile$/

const SERVER_LINE = /^- server of (.+): pid (\d+), (\d+) requests answered in its life$/

interface Process {
  readonly pid: string
  readonly files: string[]
}

const profilesIn = async (paths: readonly string[]): Promise<string[]> => {
  const files: string[] = []
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      files.push(
        ...(await readdir(path))
          .filter((f) => f.endsWith('.cpuprofile'))
          .sort()
          .map((f) => join(path, f)),
      )
    } else files.push(path)
  }
  return files
}

const byProcess = (files: readonly string[]): Process[] => {
  const processes = new Map<string, Process>()
  for (const file of files) {
    const pid = PROFILE_NAME.exec(basename(file))?.[1] ?? basename(file)
    const known = processes.get(pid) ?? { pid, files: [] }
    known.files.push(file)
    processes.set(pid, known)
  }
  return [...processes.values()]
}

interface Server {
  readonly name: string
  readonly requests: number
  /** The bench's CPU us/req of the scenario (over its measured load), from its results table. */
  readonly cpuMicrosPerRequest: number | undefined
}

/** The first table's `CPU us/req` of each scenario in the bench's output. */
const cpuOfScenarios = (lines: readonly string[]): Map<string, number> => {
  const cpu = new Map<string, number>()
  let column = -1
  for (const line of lines) {
    if (!line.startsWith('|')) continue
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((c) => c.trim())
    if (cells[0] === 'scenario') column = cells.indexOf('CPU us/req')
    else if (column > 0 && !cpu.has(cells[0] ?? '')) cpu.set(cells[0] ?? '', Number(cells[column]))
  }
  return cpu
}

/** The servers the bench's output names: pid -> scenario, the requests that server answered and its CPU per request. */
const serversIn = (benchOutput: string): Map<string, Server> => {
  const lines = benchOutput.split('\n')
  const cpu = cpuOfScenarios(lines)
  return new Map(
    lines.flatMap((line) => {
      const m = SERVER_LINE.exec(line.trim())
      if (m === null) return []
      const name = m[1] ?? ''
      return [[m[2] ?? '', { name, requests: Number(m[3]), cpuMicrosPerRequest: cpu.get(name) }] as const]
    }),
  )
}

const sum = (parts: readonly Map<Phase, PhaseTime>[]): Map<Phase, PhaseTime> =>
  new Map(
    PHASES.map((p) => [
      p,
      parts.reduce(
        (a, m) => ({ samples: a.samples + (m.get(p)?.samples ?? 0), micros: a.micros + (m.get(p)?.micros ?? 0) }),
        { samples: 0, micros: 0 },
      ),
    ]),
  )

const main = async (): Promise<void> => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { requests: { type: 'string' }, 'bench-output': { type: 'string' } },
  })
  const given = values.requests === undefined ? undefined : Number(values.requests)
  if (given !== undefined && !(Number.isInteger(given) && given > 0)) {
    throw new Error(`--requests must be a whole number above 0, got ${values.requests}`)
  }
  if (positionals.length === 0) {
    throw new Error('usage: profile-phases.js [--requests N | --bench-output FILE] PROFILE.cpuprofile|DIR ...')
  }
  const output = values['bench-output']
  const servers = output === undefined ? new Map<string, Server>() : serversIn(await readFile(output, 'utf8'))
  const files = await profilesIn(positionals)
  if (files.length === 0) throw new Error(`no .cpuprofile in ${positionals.join(', ')}`)
  for (const proc of byProcess(files)) {
    const server = servers.get(proc.pid)
    const requests = given ?? server?.requests
    const read = async (file: string): Promise<CpuProfile> => JSON.parse(await readFile(file, 'utf8')) as CpuProfile
    const parts = await Promise.all(proc.files.map(async (f) => attributeProfile(await read(f))))
    const what = server?.name ?? `pid ${proc.pid}`
    const threads = proc.files.length === 1 ? '1 thread' : `${proc.files.length} threads`
    const count =
      requests === undefined ? 'request count unknown (give --requests or --bench-output)' : `${requests} requests`
    const measured = server?.cpuMicrosPerRequest
    const cpu = measured === undefined ? '' : `, ${measured} CPU us/request measured`
    const table = phaseTable(sum(parts), requests, measured)
    process.stdout.write(`### ${what} (pid ${proc.pid}, ${threads}, ${count}${cpu})\n\n${table}\n\n`)
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`profile-phases: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
})
