import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expect } from 'chai'
import { FixedClock, InMemoryOrderRepository } from '@domino-sm/testkit'
import { HookMetrics, registerStoreGauges } from '@domino-sm/adapter-http'
import {
  alertCases,
  alertNames,
  DASHBOARD_FILE,
  EXAMPLE_CONFIG_FILE,
  findPromtool,
  hookMetricNames,
  missingToolReason,
  RULES_FILE,
  RULES_TEST_FILE,
  runTool,
} from '../support/prometheus-tools.js'

/** The metric names a running hook serves: the same registry as `serve` builds (modules.ts). */
const servedMetricNames = async (): Promise<string[]> => {
  const metrics = new HookMetrics({
    processMetrics: false,
    deadlineSeconds: 4,
    build: { version: '0.0.0', commit: 'test', store: 'memory' },
  })
  registerStoreGauges(metrics.registry, new InMemoryOrderRepository(new FixedClock()), new FixedClock())
  return (await metrics.registry.getMetricsAsJSON()).map((metric) => metric.name)
}

describe('the alert rules in deploy/prometheus (promtool)', () => {
  let promtool: string | undefined

  before(function () {
    promtool = findPromtool()
    // No promtool here (a fresh machine): reported as pending with how to install it, not failed.
    if (promtool === undefined) {
      console.log(`      ${missingToolReason('promtool', 'the alert rule tests')}`)
      this.skip()
    }
  })

  const tool = (): string => {
    if (promtool === undefined) throw new Error('promtool missing')
    return promtool
  }

  it('passes promtool check rules', async () => {
    const run = await runTool(tool(), ['check', 'rules', RULES_FILE])
    expect(run.code, run.output).to.equal(0)
    expect(run.output).to.match(/SUCCESS: \d+ rules found/)
  })

  it('passes promtool test rules: every alert fires on its series and stays quiet on the others', async () => {
    const run = await runTool(tool(), ['test', 'rules', RULES_TEST_FILE], dirname(RULES_TEST_FILE))
    expect(run.code, run.output).to.equal(0)
    expect(run.output).to.include('SUCCESS')
  })

  it('passes promtool check config for the example configuration, pointed at the shipped rules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prometheus-example-'))
    try {
      const example = await readFile(EXAMPLE_CONFIG_FILE, 'utf8')
      const pointed = example.replace('/etc/prometheus/sbermarket-hook.rules.yml', RULES_FILE)
      expect(pointed, 'the example names the rules file').to.not.equal(example)
      await writeFile(join(dir, 'prometheus.yml'), pointed)
      const run = await runTool(tool(), ['check', 'config', join(dir, 'prometheus.yml')])
      expect(run.code, run.output).to.equal(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

// No promtool needed: every alert is tested both ways, and the rules and the dashboard name metrics the hook
// serves (or they would watch nothing).
describe('the alert rules and the Grafana dashboard, as files', () => {
  it('has, for every alert, a unit test case where it fires and one where it stays quiet', async () => {
    const names = alertNames(await readFile(RULES_FILE, 'utf8'))
    const cases = alertCases(await readFile(RULES_TEST_FILE, 'utf8'))
    expect(names.length).to.be.at.least(10)
    for (const name of names) {
      const mine = cases.filter((c) => c.alertname === name)
      expect(
        mine.some((c) => c.fires),
        `${name}: a case that fires it`,
      ).to.equal(true)
      expect(
        mine.some((c) => !c.fires),
        `${name}: a case that keeps it quiet`,
      ).to.equal(true)
    }
    expect(
      cases.map((c) => c.alertname).filter((name) => !names.includes(name)),
      'cases of alerts that do not exist',
    ).to.deep.equal([])
  })

  it('every sbermarket_hook_* metric in the rules and the dashboard is registered by the hook', async () => {
    const served = await servedMetricNames()
    const used = hookMetricNames(`${await readFile(RULES_FILE, 'utf8')}\n${await readFile(DASHBOARD_FILE, 'utf8')}`)
    expect(used.length).to.be.at.least(10)
    expect(
      used.filter((name) => !served.includes(name)),
      'names no metric of the hook has',
    ).to.deep.equal([])
  })
})
