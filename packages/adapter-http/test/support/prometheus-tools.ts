import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { findExecutable } from './find-executable.js'

/** The shipped rules, their unit tests and the Grafana dashboard: the files production loads (deploy/). */
export const RULES_FILE = fileURLToPath(
  new URL('../../../../deploy/prometheus/sbermarket-hook.rules.yml', import.meta.url),
)
export const RULES_TEST_FILE = fileURLToPath(
  new URL('../../../../deploy/prometheus/sbermarket-hook.rules.test.yml', import.meta.url),
)
export const EXAMPLE_CONFIG_FILE = fileURLToPath(
  new URL('../../../../deploy/prometheus/prometheus.example.yml', import.meta.url),
)
export const DASHBOARD_FILE = fileURLToPath(
  new URL('../../../../deploy/grafana/sbermarket-hook.dashboard.json', import.meta.url),
)

/** How to get promtool and the server: Debian's package, which `.ci/run` installs when it is missing. */
const PROMETHEUS_INSTALL = 'apt-get install -y --no-install-recommends prometheus'

/** `<NAME>_BIN` when set (it must then be executable), else `name` on the PATH, else Debian's /usr/bin/name. */
const findTool = (name: 'promtool' | 'prometheus'): string | undefined =>
  findExecutable(name, `${name.toUpperCase()}_BIN`, `/usr/bin/${name}`)

export const findPromtool = (): string | undefined => findTool('promtool')
export const findPrometheus = (): string | undefined => findTool('prometheus')

/** Why a suite that needs `name` cannot run here, and how to make it run. */
export const missingToolReason = (name: 'promtool' | 'prometheus', what: string): string => {
  const variable = `${name.toUpperCase()}_BIN`
  const configured = process.env[variable]
  const where =
    configured !== undefined && configured !== ''
      ? `${variable}=${configured} is not an executable file`
      : `none on the PATH, ${variable} unset`
  return `skipped: ${what} need ${name} (${where}). Install Debian's package with \`${PROMETHEUS_INSTALL}\` (.ci/run does), or point ${variable} at one.`
}

export interface ToolRun {
  readonly code: number | null
  readonly output: string
}

/** Runs a tool to its end, stdout and stderr together. */
export const runTool = (file: string, args: readonly string[], cwd?: string): Promise<ToolRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'], ...(cwd === undefined ? {} : { cwd }) })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, output }))
  })

/** The alert names a rules file defines (`- alert: Name`), in order. */
export const alertNames = (rulesText: string): string[] =>
  [...rulesText.matchAll(/^\s*- alert: (\S+)\s*$/gm)].map((m) => m[1] ?? '')

/** One `alert_rule_test` case of a promtool test file: the alert, and whether it expects it to fire. */
export interface AlertCase {
  readonly alertname: string
  readonly fires: boolean
}

/**
 * The cases of a promtool test file, read by its layout (one `- eval_time:` item per case, then `alertname:` and
 * `exp_alerts:`, which is `[]` for a case that expects the alert quiet). The repository has no YAML parser, and
 * this file is ours: a case laid out otherwise is reported as unreadable rather than guessed.
 */
export const alertCases = (testText: string): AlertCase[] =>
  testText
    .split(/^\s*- eval_time: .*$/m)
    .slice(1)
    .map((block) => {
      const alertname = /^\s*alertname: (\S+)\s*$/m.exec(block)?.[1]
      const expected = /^\s*exp_alerts:(.*)$/m.exec(block)?.[1]?.trim()
      if (alertname === undefined || expected === undefined)
        throw new Error(`an alert_rule_test case without alertname or exp_alerts: ${block}`)
      return { alertname, fires: expected !== '[]' }
    })

/** The hook's metric names a PromQL text uses (histogram and counter suffixes taken back to the metric's name). */
export const hookMetricNames = (text: string): string[] =>
  [
    ...new Set([...text.matchAll(/\bsbermarket_hook_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''))),
  ].sort()
