import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'chai'
import { orderCreatedBody, statusBody, uniqueOrderId } from '@domino-sm/testkit'
import { postHook, send } from '../support/http-client.js'
import { DASHBOARD_FILE, RULES_FILE } from '../support/prometheus-tools.js'
import { startHookPool, type HookPool } from './support/hook-pool.js'
import { nginxMissingReason } from './support/nginx-process.js'
import {
  prometheusMissingReason,
  rulesForTest,
  startPrometheus,
  type ActiveAlert,
  type RunningPrometheus,
} from './support/prometheus-process.js'

const INSTANCES = 4
/** The test loads the shipped rules with every `for:` shortened to this (production's are minutes). */
const FOR_IN_TEST = '3s'
/** Polls end after this long: Prometheus scrapes and evaluates every second, so anything real shows in a few. */
const POLL_LIMIT_MS = 45_000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Reads `read()` every 250 ms until `done` holds; fails with `what` and the last value after POLL_LIMIT_MS. */
const pollUntil = async <A>(what: string, read: () => Promise<A>, done: (value: A) => boolean): Promise<A> => {
  const until = Date.now() + POLL_LIMIT_MS
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > until)
      throw new Error(`${what}: not reached in ${POLL_LIMIT_MS} ms; last: ${JSON.stringify(value)}`)
    await sleep(250)
  }
}

const describeAlerts = (alerts: readonly ActiveAlert[], state: ActiveAlert['state']): string[] =>
  alerts
    .filter((a) => a.state === state)
    .map(
      (a) =>
        `${a.labels['alertname'] ?? '?'}${a.labels['instance'] === undefined ? '' : `{${a.labels['instance']}}`}:${a.state}`,
    )
    .sort()

/**
 * Firing alerts only. A pending alert is one whose `for:` has not passed: with the test's 3 s, one scrape that timed
 * out on a loaded machine (1 s in the test) makes InstanceDown pending for a moment, which is what `for:` is there to
 * absorb. Pending ones are printed, not failed.
 */
const firing = (alerts: readonly ActiveAlert[]): string[] => describeAlerts(alerts, 'firing')

const notePending = (phase: string, seen: readonly ActiveAlert[][]): void => {
  const pending = [...new Set(seen.flatMap((alerts) => describeAlerts(alerts, 'pending')))]
  if (pending.length > 0) console.log(`      ${phase}: pending for a moment (not firing): ${pending.join(', ')}`)
}

interface DashboardPanel {
  readonly title: string
  readonly targets?: readonly { readonly expr: string }[]
}

describe('a real Prometheus scraping 4 instances behind nginx fires the shipped alerts for matching traffic (system)', function () {
  this.timeout(180_000)
  let hook: HookPool | undefined
  let prometheus: RunningPrometheus | undefined
  let promDir: string | undefined

  before(async function () {
    // Without nginx or Prometheus (a fresh machine) the suite is reported as pending with the reason, not failed.
    const missing = nginxMissingReason() ?? prometheusMissingReason()
    if (missing !== undefined) {
      console.log(`      ${missing}`)
      this.skip()
    }
    this.timeout(120_000)
    const started = performance.now()
    hook = await startHookPool(INSTANCES)
    promDir = await mkdtemp(join(tmpdir(), 'hook-prometheus-'))
    const targets = hook.pool.instances.map((instance) => new URL(instance.internalOrigin).host)
    prometheus = await startPrometheus(promDir, targets, await rulesForTest(FOR_IN_TEST))
    console.log(
      `      ${INSTANCES} instances, nginx and Prometheus started in ${Math.round(performance.now() - started)} ms (rules loaded with every for: ${FOR_IN_TEST})`,
    )
  })

  after(async function () {
    this.timeout(30_000)
    await prometheus?.stop()
    await hook?.stop()
    if (promDir !== undefined) await rm(promDir, { recursive: true, force: true })
  })

  const system = (): { readonly hook: HookPool; readonly prometheus: RunningPrometheus } => {
    if (hook === undefined || prometheus === undefined) throw new Error('the system did not start')
    return { hook, prometheus }
  }

  /**
   * Waits until the rules have been evaluated `times` more times, and answers every alert list seen meanwhile. Lists
   * are read from the first evaluation after the call on: one before it may still hold what an earlier moment fired
   * (at start, AllInstancesDown fires while no scrape has come back yet).
   */
  const watchEvaluations = async (times: number): Promise<ActiveAlert[][]> => {
    const { prometheus } = system()
    const evaluatedAt = async (): Promise<number> => (await prometheus.lastEvaluation())?.getTime() ?? 0
    const from = await evaluatedAt()
    await pollUntil('a new evaluation of the rules', evaluatedAt, (last) => last > from)
    const seen: ActiveAlert[][] = []
    await pollUntil(
      `${times} more evaluations of the rules`,
      async () => {
        seen.push(await prometheus.alerts())
        return evaluatedAt()
      },
      (last) => last >= from + times * 1000,
    )
    return seen
  }

  it('scrapes every instance, loads every rule, and has no alert firing', async () => {
    const { hook, prometheus } = system()
    const targets = await pollUntil(
      'every instance scraped',
      () => prometheus.targets(),
      (ts) => ts.length === INSTANCES && ts.every((t) => t.health === 'up'),
    )
    expect(targets.map((t) => t.instance).sort()).to.deep.equal(
      hook.pool.instances.map((i) => new URL(i.internalOrigin).host).sort(),
    )
    const rules = await fetch(`${prometheus.origin}/api/v1/rules`).then(
      (res) => res.json() as Promise<{ data: { groups: { rules: { name: string }[] }[] } }>,
    )
    // Every alert of the shipped file, by name: the file is the list (a new alert needs no change here).
    const shipped = [...(await readFile(RULES_FILE, 'utf8')).matchAll(/^\s*- alert: (\S+)/gm)]
      .map((m) => m[1] ?? '')
      .sort()
    expect(shipped.length, 'alerts in the shipped rules file').to.be.at.least(10)
    expect(rules.data.groups.flatMap((g) => g.rules.map((r) => r.name)).sort()).to.deep.equal(shipped)
    const seen = await watchEvaluations(5)
    expect(seen.flatMap(firing), 'alerts firing while idle').to.deep.equal([])
    notePending('idle', seen)
  })

  it('stays quiet while orders and status changes go through', async () => {
    const { hook, prometheus } = system()
    const keys = Array.from({ length: 10 }, () => uniqueOrderId('PQ'))
    const answers = await Promise.all(
      keys.flatMap((key) => [
        postHook(hook.nginx.hookUrl, hook.token, orderCreatedBody({ originalOrderId: key }).body),
        postHook(hook.nginx.hookUrl, hook.token, statusBody('order.paid', key).body),
      ]),
    )
    expect(answers.map((a) => a.status)).to.deep.equal(answers.map(() => 200))
    await pollUntil(
      'the created orders scraped',
      () => prometheus.query('sum(sbermarket_hook_requests_total{job="sbermarket-hook", outcome="created"})'),
      (r) => Number(r[0]?.value[1] ?? 0) >= keys.length,
    )
    const seen = await watchEvaluations(5)
    expect(seen.flatMap(firing), 'alerts firing under normal traffic').to.deep.equal([])
    notePending('normal traffic', seen)
  })

  it('fires SberMarketHookRejectedRequests, and nothing else, when requests the hook cannot read are sent', async () => {
    const { hook, prometheus } = system()
    const notJson = await postHook(hook.nginx.hookUrl, hook.token, '{"event_type": "order.created", "payload": ')
    const noKey = await postHook(
      hook.nginx.hookUrl,
      hook.token,
      JSON.stringify({ event_type: 'order.paid', payload: {} }),
    )
    const wrongType = await send(hook.nginx.hookUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'Client-Token': hook.token },
      body: 'hello',
    })
    expect([notJson.status, noKey.status, wrongType.status]).to.deep.equal([400, 400, 415])
    const started = performance.now()
    const rejectedFiring = (as: readonly ActiveAlert[]): ActiveAlert | undefined =>
      as.find((a) => a.labels['alertname'] === 'SberMarketHookRejectedRequests' && a.state === 'firing')
    const fired = await pollUntil(
      'SberMarketHookRejectedRequests firing',
      () => prometheus.alerts(),
      (as) => rejectedFiring(as) !== undefined,
    )
    const firedMs = Math.round(performance.now() - started)
    expect(firing(fired)).to.deep.equal(['SberMarketHookRejectedRequests:firing'])
    // It fires on the first rejection scraped; the instances are scraped one by one, so the count may take a moment more.
    const summary = 'The hook rejected 3 request(s) it could not read in the last 15 minutes'
    const alerts = await pollUntil(
      'the summary counting all 3',
      () => prometheus.alerts(),
      (as) => rejectedFiring(as)?.annotations['summary'] === summary,
    )
    expect(firing(alerts)).to.deep.equal(['SberMarketHookRejectedRequests:firing'])
    const rejected = rejectedFiring(alerts)
    expect(rejected?.labels).to.include({ job: 'sbermarket-hook', severity: 'warning' })
    console.log(
      `      rejected requests: 3 sent (400, 400, 415), SberMarketHookRejectedRequests firing ${firedMs} ms later: "${rejected?.annotations['summary'] ?? ''}"`,
    )
  })

  it('answers every query of the Grafana dashboard with data from the scraped instances', async () => {
    const { hook, prometheus } = system()
    // Traffic of its own, seen in a rate over the last minute, so that the test holds when run alone. Two rounds,
    // a scrape apart: a series first scraped at its value has no rise before it, so rate() needs a second one.
    await pollUntil(
      'every instance scraped',
      () => prometheus.targets(),
      (ts) => ts.length === INSTANCES && ts.every((t) => t.health === 'up'),
    )
    const created = (): Promise<number> =>
      prometheus
        .query('sum(sbermarket_hook_requests_total{job="sbermarket-hook", outcome="created"})')
        .then((r) => Number(r[0]?.value[1] ?? 0))
    for (let round = 0; round < 2; round += 1) {
      const before = await created()
      const keys = Array.from({ length: 8 }, () => uniqueOrderId('PG'))
      const answers = await Promise.all(
        keys.map((key) => postHook(hook.nginx.hookUrl, hook.token, orderCreatedBody({ originalOrderId: key }).body)),
      )
      expect(answers.map((a) => a.status)).to.deep.equal(keys.map(() => 200))
      await pollUntil(`round ${round + 1} scraped`, created, (n) => n >= before + keys.length)
    }
    await pollUntil(
      'the traffic in a rate',
      () => prometheus.query('sum(rate(sbermarket_hook_requests_total{job="sbermarket-hook", outcome="created"}[1m]))'),
      (r) => Number(r[0]?.value[1] ?? 0) > 0,
    )
    const dashboard = JSON.parse(await readFile(DASHBOARD_FILE, 'utf8')) as {
      readonly panels: readonly DashboardPanel[]
    }
    const queries = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({ panel: panel.title, expr: target.expr })),
    )
    expect(
      dashboard.panels.every((panel) => (panel.targets ?? []).length > 0),
      'every panel has a query',
    ).to.equal(true)
    const empty: string[] = []
    for (const { panel, expr } of queries) {
      // Grafana's $__rate_interval is at least four scrape intervals: a minute covers the traffic just sent.
      const result = await prometheus.query(expr.replaceAll('$__rate_interval', '1m'))
      if (result.length === 0 || result.some((sample) => Number.isNaN(Number(sample.value[1]))))
        empty.push(`${panel}: ${expr} -> ${JSON.stringify(result)}`)
    }
    expect(empty, 'queries without data').to.deep.equal([])
    console.log(
      `      dashboard: ${queries.length} queries of ${dashboard.panels.length} panels, each answered with data`,
    )
  })

  it('fires SberMarketHookInstanceDown for a stopped instance only, while nginx serves from the others; quiet again once it is back', async () => {
    const { hook, prometheus } = system()
    const stopped = hook.pool.instances[1]
    if (stopped === undefined) throw new Error('no second instance')
    const address = new URL(stopped.internalOrigin).host
    await hook.pool.crash(1)
    const started = performance.now()
    const alerts = await pollUntil(
      'SberMarketHookInstanceDown firing',
      () => prometheus.alerts(),
      (as) => as.some((a) => a.labels['alertname'] === 'SberMarketHookInstanceDown' && a.state === 'firing'),
    )
    const firedMs = Math.round(performance.now() - started)
    // The rejected requests of the test before are still inside that alert's 15 minutes.
    expect(firing(alerts)).to.deep.equal([
      `SberMarketHookInstanceDown{${address}}:firing`,
      'SberMarketHookRejectedRequests:firing',
    ])
    const down = alerts.find((a) => a.labels['alertname'] === 'SberMarketHookInstanceDown')
    expect(down?.annotations['summary']).to.equal(`Hook instance ${address} has not answered Prometheus for 2 minutes`)
    const key = uniqueOrderId('PD')
    expect(
      (await postHook(hook.nginx.hookUrl, hook.token, orderCreatedBody({ originalOrderId: key }).body)).status,
      'an order through nginx meanwhile',
    ).to.equal(200)

    await hook.pool.restart(1)
    const back = await pollUntil(
      'SberMarketHookInstanceDown resolved',
      () => prometheus.alerts(),
      (as) => !as.some((a) => a.labels['alertname'] === 'SberMarketHookInstanceDown'),
    )
    expect(firing(back)).to.deep.equal(['SberMarketHookRejectedRequests:firing'])
    console.log(
      `      instance down: ${address} killed, SberMarketHookInstanceDown firing ${firedMs} ms later (for: ${FOR_IN_TEST} in the test), resolved after its restart`,
    )
  })

  it("fires SberMarketHookStoresDiffer when one instance writes to another store (its STORE changed), and resolves when it is back on the pool's", async () => {
    const { hook, prometheus } = system()
    const index = 2
    const diverted = hook.pool.instances[index]
    if (diverted === undefined) throw new Error('no third instance')
    const stores = async (): Promise<string[]> =>
      (await prometheus.query('sbermarket_hook_build_info{job="sbermarket-hook"}'))
        .map((sample) => sample.metric['store'] ?? '')
        .sort()
    const before = [...new Set(await stores())]
    expect(before, 'one store before').to.have.length(1)
    await hook.pool.terminate(index)
    // As when DOMINO_DB_URL goes missing from one instance's settings: it starts anyway, on a store of its own.
    await hook.pool.restart(index, { STORE: 'memory' })
    const started = performance.now()
    const fired = await pollUntil(
      'SberMarketHookStoresDiffer firing',
      () => prometheus.alerts(),
      (as) => as.some((a) => a.labels['alertname'] === 'SberMarketHookStoresDiffer' && a.state === 'firing'),
    )
    const firedMs = Math.round(performance.now() - started)
    expect(
      firing(fired).filter(
        (a) => !a.startsWith('SberMarketHookRejectedRequests') && !a.startsWith('SberMarketHookInstanceDown'),
      ),
    ).to.deep.equal(['SberMarketHookStoresDiffer:firing'])
    expect(fired.find((a) => a.labels['alertname'] === 'SberMarketHookStoresDiffer')?.annotations['summary']).to.equal(
      "The hook's instances write orders to 2 different stores",
    )
    expect([...new Set(await stores())].sort()).to.deep.equal([...before, 'memory'].sort())
    await hook.pool.terminate(index)
    await hook.pool.restart(index)
    await pollUntil(
      'SberMarketHookStoresDiffer resolved',
      () => prometheus.alerts(),
      (as) => !as.some((a) => a.labels['alertname'] === 'SberMarketHookStoresDiffer'),
    )
    console.log(
      `      stores differ: ${diverted.name} restarted with STORE=memory beside ${before.join(', ')}; SberMarketHookStoresDiffer firing ${firedMs} ms later (for: ${FOR_IN_TEST} in the test), resolved after it was back`,
    )
  })
})
