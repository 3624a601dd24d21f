import { PHASES, type Phase, type PhaseTime } from './phase-attribution.js'

/** Phases outside the request's CPU: `idle` is not CPU, `start-up` is paid once per process. */
const NOT_PER_REQUEST: readonly Phase[] = ['idle', 'start-up']

/**
 * Per request, but mostly a wait for a core rather than CPU (phase-attribution.ts, rule 1b): shown in sampled time,
 * left out of the shares and of the CPU spread, which would otherwise hand its waiting to the other phases.
 */
const WAITING: readonly Phase[] = ['socket write']

/**
 * The table of one process. `share` is of the samples' time without idle, start-up and socket writes; `sampled
 * us/request` is time per request (wall time while the thread was sampled: on a busy machine it includes waits for a
 * core); `CPU us/request` spreads the bench's own measure of the server's CPU per request (from /proc, every thread)
 * by the shares. The socket writes' row shows its sampled time only (`WAITING`); the last row sums the shared phases.
 */
export const phaseTable = (
  phases: ReadonlyMap<Phase, PhaseTime>,
  requests: number | undefined,
  cpuMicrosPerRequest: number | undefined,
): string => {
  const shared = PHASES.filter((p) => !NOT_PER_REQUEST.includes(p) && !WAITING.includes(p))
  const time = (p: Phase): number => phases.get(p)?.micros ?? 0
  const work = shared.reduce((a, p) => a + time(p), 0)
  const fixed = (n: number | undefined): string => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(1))
  const sampled = (micros: number): string =>
    fixed(requests === undefined || requests <= 0 ? undefined : micros / requests)
  const cpu = (micros: number): string =>
    fixed(cpuMicrosPerRequest === undefined || work <= 0 ? undefined : (cpuMicrosPerRequest * micros) / work)
  const lines = [
    '| phase | samples | share | sampled us/request | CPU us/request |',
    '| --- | ---: | ---: | ---: | ---: |',
  ]
  for (const p of PHASES) {
    const t = phases.get(p) ?? { samples: 0, micros: 0 }
    const row = shared.includes(p)
      ? `${((100 * t.micros) / (work || 1)).toFixed(1)} % | ${sampled(t.micros)} | ${cpu(t.micros)}`
      : WAITING.includes(p)
        ? `- | ${sampled(t.micros)} | -`
        : '- | - | -'
    lines.push(`| ${p} | ${t.samples} | ${row} |`)
  }
  const samples = shared.map((p) => phases.get(p)?.samples ?? 0).reduce((a, n) => a + n, 0)
  lines.push(`| **per request** | ${samples} | 100 % | ${sampled(work)} | ${cpu(work)} |`)
  return lines.join('\n')
}
