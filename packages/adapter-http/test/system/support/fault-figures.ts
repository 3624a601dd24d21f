import type { SentRequest } from './fault-load.js'

/** One fault of the engine: when it began, when the engine was back, and when each instance answered 200 again. */
export interface Fault {
  readonly name: string
  readonly faultAtMs: number
  readonly backAtMs: number
  /** How the engine's commands went, e.g. "stop 210 ms, down 6000 ms, start 690 ms". */
  readonly engine: string
  readonly recoveredAtMs: readonly number[]
}

/** The name of the time before the first fault. */
export const BEFORE_THE_FAULTS = 'before the faults'

export const answered = (r: SentRequest, status?: number): boolean =>
  r.result._tag === 'Answered' && (status === undefined || r.result.status === status)

/** The status the client got, or why it got none (TimedOut, ConnectionError). */
export const statusOf = (r: SentRequest): string =>
  r.result._tag === 'Answered' ? String(r.result.status) : r.result._tag

/** Counts by status, e.g. { "200": 410, "503": 37 }. */
export const tally = (requests: readonly SentRequest[]): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const r of requests) counts[statusOf(r)] = (counts[statusOf(r)] ?? 0) + 1
  return counts
}

export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)
}

/** The fault a request was sent during (from one fault's start to the next one's), or BEFORE_THE_FAULTS. */
export const windowOf =
  (faults: readonly Fault[]) =>
  (r: SentRequest): string => {
    const index = faults.findIndex(
      (f, i) => r.sentAtMs >= f.faultAtMs && r.sentAtMs < (faults[i + 1]?.faultAtMs ?? Infinity),
    )
    return faults[index]?.name ?? BEFORE_THE_FAULTS
  }

/**
 * For each of `instances`, when it first answered 200 to a request sent at or after `sinceMs` (undefined while it
 * has not).
 */
export const first200s = (
  requests: readonly SentRequest[],
  instances: number,
  sinceMs: number,
): (number | undefined)[] =>
  Array.from({ length: instances }, (_, instance) => {
    const ok = requests.filter((r) => r.instance === instance && r.sentAtMs >= sinceMs && answered(r, 200))
    return ok.length === 0 ? undefined : Math.min(...ok.map((r) => r.answeredAtMs))
  })

/** One line of figures for a window of the run: requests, answers, the slowest 503, and for a fault its recovery. */
export const windowFigures = (name: string, requests: readonly SentRequest[], fault: Fault | undefined): string => {
  const slowest503 = Math.round(Math.max(0, ...requests.filter((r) => answered(r, 503)).map((r) => r.result.elapsedMs)))
  const recovery =
    fault === undefined
      ? ''
      : `; ${fault.engine}; 200 again ${fault.recoveredAtMs.map((t, i) => `on instance ${i + 1} ${Math.round(t - fault.backAtMs)} ms`).join(', ')} after the engine was back`
  return `${name}: ${requests.length} requests sent, answers ${JSON.stringify(tally(requests))}, slowest 503 ${slowest503} ms${recovery}`
}
