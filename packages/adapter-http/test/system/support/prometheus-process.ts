import { spawn } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { findPrometheus, missingToolReason, RULES_FILE } from '../../support/prometheus-tools.js'
import { freeLoopbackPort } from './free-port.js'
import { superviseChild } from './supervised-child.js'

/** Why the Prometheus system test cannot run here; undefined when the server is there. */
export const prometheusMissingReason = (): string | undefined =>
  findPrometheus() === undefined ? missingToolReason('prometheus', 'the Prometheus system tests') : undefined

/** One alert as Prometheus's HTTP API lists it (`GET /api/v1/alerts`). */
export interface ActiveAlert {
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly state: 'pending' | 'firing'
  readonly value: string
}

/** One series of an instant query's vector (`GET /api/v1/query`). */
interface Sample {
  readonly metric: Readonly<Record<string, string>>
  readonly value: readonly [number, string]
}

interface ScrapeTarget {
  readonly instance: string
  readonly health: 'up' | 'down' | 'unknown'
}

/** A running Prometheus of one test run, on a loopback port, with its own config and data directory. */
export interface RunningPrometheus {
  readonly origin: string
  readonly alerts: () => Promise<ActiveAlert[]>
  readonly query: (expr: string) => Promise<Sample[]>
  readonly targets: () => Promise<ScrapeTarget[]>
  /** When the rule group `sbermarket-hook` was last evaluated; undefined before its first evaluation. */
  readonly lastEvaluation: () => Promise<Date | undefined>
  readonly log: () => string
  /** SIGTERM and wait; SIGKILL if it does not go within 5 s. Safe to call more than once. */
  readonly stop: () => Promise<void>
}

/** The settings that make the test fast: scraped and evaluated every second. Production keeps its own. */
const TEST_INTERVAL = '1s'

/**
 * The shipped rules with every `for:` shortened to `forInTest`, so that a test meets them in seconds: the
 * expressions, labels and annotations are exactly those production loads.
 */
export const rulesForTest = async (forInTest: string): Promise<string> => {
  const text = await readFile(RULES_FILE, 'utf8')
  const shortened = text.replace(/^(\s+)for: \S+$/gm, `$1for: ${forInTest}`)
  if (shortened === text) throw new Error('no `for:` found in the rules: the test copy would not be shortened')
  return shortened
}

interface ApiAnswer<A> {
  readonly status: string
  readonly data: A
  readonly error?: string
}

const api = async <A>(origin: string, path: string): Promise<A> => {
  const res = await fetch(`${origin}${path}`)
  const body = (await res.json()) as ApiAnswer<A>
  if (!res.ok || body.status !== 'success') throw new Error(`Prometheus ${path}: ${res.status} ${body.error ?? ''}`)
  return body.data
}

/**
 * Writes a config that scrapes `targets` (host:port of each instance's own address) as the job `sbermarket-hook`
 * every second and loads `rules`, and runs `prometheus` on a free loopback port with its data in `dir`.
 * Resolves once its API answers.
 */
export const startPrometheus = async (
  dir: string,
  targets: readonly string[],
  rules: string,
): Promise<RunningPrometheus> => {
  const bin = findPrometheus()
  if (bin === undefined) throw new Error(prometheusMissingReason())
  await mkdir(join(dir, 'data'), { recursive: true })
  await writeFile(join(dir, 'rules.yml'), rules)
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      `  scrape_interval: ${TEST_INTERVAL}`,
      `  scrape_timeout: ${TEST_INTERVAL}`,
      `  evaluation_interval: ${TEST_INTERVAL}`,
      'rule_files:',
      `  - ${JSON.stringify(join(dir, 'rules.yml'))}`,
      'scrape_configs:',
      '  - job_name: sbermarket-hook',
      '    static_configs:',
      `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`,
      '',
    ].join('\n'),
  )
  const port = await freeLoopbackPort()
  const child = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const { output, stop } = superviseChild(child, false)
  const origin = `http://127.0.0.1:${port}`
  const until = Date.now() + 20_000
  for (;;) {
    const ready = await fetch(`${origin}/-/ready`).then(
      (res) => res.ok,
      () => false,
    )
    if (ready) break
    if (child.exitCode !== null || Date.now() > until) {
      await stop()
      throw new Error(`Prometheus did not start (exit ${String(child.exitCode)}): ${output()}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const query = (expr: string): Promise<Sample[]> =>
    api<{ resultType: string; result: Sample[] }>(origin, `/api/v1/query?query=${encodeURIComponent(expr)}`).then(
      (data) => {
        if (data.resultType !== 'vector') throw new Error(`${expr}: a ${data.resultType}, not a vector`)
        return data.result
      },
    )
  return {
    origin,
    alerts: () => api<{ alerts: ActiveAlert[] }>(origin, '/api/v1/alerts').then((data) => data.alerts),
    query,
    targets: () =>
      api<{ activeTargets: { labels: Record<string, string>; health: ScrapeTarget['health'] }[] }>(
        origin,
        '/api/v1/targets',
      ).then((data) => data.activeTargets.map((t) => ({ instance: t.labels['instance'] ?? '', health: t.health }))),
    lastEvaluation: async () => {
      const data = await api<{ groups: { name: string; lastEvaluation: string }[] }>(origin, '/api/v1/rules')
      const group = data.groups.find((g) => g.name === 'sbermarket-hook')
      const at = group === undefined ? Number.NaN : Date.parse(group.lastEvaluation)
      return Number.isNaN(at) || at <= 0 ? undefined : new Date(at)
    },
    log: output,
    stop,
  }
}
