import { PHASES, type Phase, type PhaseTime } from './phase-attribution.js'

/** Phases outside the request's CPU: `idle` is not CPU, `start-up` is paid once per process. */
const NOT_PER_REQUEST: readonly Phase[] = ['idle', 'start-up']

/**
 * The table of one process. `share` is of the samples' time without idle and start-up; `sampled us/request` is that
 * time per request (wall time while the thread was sampled: on a busy machine it includes waits for a core); `CPU
 * us/request` spreads the bench's own measure of the server's CPU per request (from /proc, every thread) by the shares.
 */
export const phaseTable = (
  phases: ReadonlyMap<Phase, PhaseTime>,
  requests: number | undefined,
  cpuMicrosPerRequest: number | undefined,
): string => {
  const time = (p: Phase): number => phases.get(p)?.micros ?? 0
  const work = PHASES.filter((p) => !NOT_PER_REQUEST.includes(p)).reduce((a, p) => a + time(p), 0)
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
    const counted = !NOT_PER_REQUEST.includes(p)
    const share = counted ? `${((100 * t.micros) / (work || 1)).toFixed(1)} %` : '-'
    const perRequest = counted ? `${sampled(t.micros)} | ${cpu(t.micros)}` : '- | -'
    lines.push(`| ${p} | ${t.samples} | ${share} | ${perRequest} |`)
  }
  const samples = PHASES.filter((p) => !NOT_PER_REQUEST.includes(p))
    .map((p) => phases.get(p)?.samples ?? 0)
    .reduce((a, n) => a + n, 0)
  lines.push(`| **per request** | ${samples} | 100 % | ${sampled(work)} | ${cpu(work)} |`)
  return lines.join('\n')
}
