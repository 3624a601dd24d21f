import { expect } from 'chai'
import { changeQueueTable } from '@domino-sm/core/internals'
import { HookMetrics, NEAR_DEADLINE_SHARE, registerStoreGauges } from '@domino-sm/adapter-http'
import {
  always,
  anOrderCreatedForReview,
  createdReceipt,
  FaultyOrderRepository,
  FixedClock,
  InMemoryOrderRepository,
  uniqueOrderId,
} from '@domino-sm/testkit'

/** The value of one series, as Prometheus would scrape it; undefined when the series is not served. */
const valueOf = async (
  metrics: HookMetrics,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number | undefined> => {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)
  const matches = (have: Readonly<Record<string, string | number>>): boolean =>
    Object.entries(labels).every(([k, v]) => have[k] === v)
  return metric?.values.find((v) => matches(v.labels as Record<string, string | number>))?.value
}

describe('the metrics the alert rules watch', () => {
  it('serves the counters watched one by one at 0 for every event label before anything is counted', async () => {
    const metrics = new HookMetrics({ processMetrics: false })
    for (const name of [
      'sbermarket_hook_rejected_requests_total',
      'sbermarket_hook_store_refusals_total',
      'sbermarket_hook_review_marks_total',
    ]) {
      for (const eventType of ['order.created', 'order.canceled', 'other', 'none']) {
        expect(await valueOf(metrics, name, { event_type: eventType }), `${name}{event_type="${eventType}"}`).to.equal(
          0,
        )
      }
    }
    expect(await valueOf(metrics, 'sbermarket_hook_answers_near_deadline_total')).to.equal(0)
  })

  it('counts rejected requests by event label, and answers later than 80% of the deadline', async () => {
    const metrics = new HookMetrics({ processMetrics: false, deadlineSeconds: 4 })
    metrics.observe(null, 'rejected', 415, 0.001)
    metrics.observe('Order.Created', 'rejected', 400, 0.002)
    metrics.observe('order.created', 'created', 200, 4 * NEAR_DEADLINE_SHARE - 0.01)
    metrics.observe('order.paid', 'failed', 503, 4 * NEAR_DEADLINE_SHARE + 0.01)
    expect(await valueOf(metrics, 'sbermarket_hook_rejected_requests_total', { event_type: 'none' })).to.equal(1)
    expect(await valueOf(metrics, 'sbermarket_hook_rejected_requests_total', { event_type: 'order.created' })).to.equal(
      1,
    )
    expect(await valueOf(metrics, 'sbermarket_hook_rejected_requests_total', { event_type: 'order.paid' })).to.equal(0)
    expect(await valueOf(metrics, 'sbermarket_hook_answers_near_deadline_total')).to.equal(1)
    expect(await valueOf(metrics, 'sbermarket_hook_deadline_seconds')).to.equal(4)
  })

  it('serves sbermarket_hook_build_info{version,commit,store} 1 when told the build, and no such series otherwise', async () => {
    const metrics = new HookMetrics({
      processMetrics: false,
      build: { version: '1.2.3', commit: 'abc123', store: 'domino-db server=db,1433 database=Domino schema=sm' },
    })
    expect(
      await valueOf(metrics, 'sbermarket_hook_build_info', {
        version: '1.2.3',
        commit: 'abc123',
        store: 'domino-db server=db,1433 database=Domino schema=sm',
      }),
    ).to.equal(1)
    expect(await metrics.registry.metrics()).to.contain(
      'sbermarket_hook_build_info{version="1.2.3",commit="abc123",store="domino-db server=db,1433 database=Domino schema=sm"} 1',
    )
    expect(await valueOf(new HookMetrics({ processMetrics: false }), 'sbermarket_hook_build_info')).to.equal(undefined)
  })

  it('serves the retention interval and the last success, the start of the schedule counting as one', async () => {
    const metrics = new HookMetrics({ processMetrics: false })
    metrics.retentionScheduled(60 * 60_000, new Date('2026-12-01T10:00:00Z'))
    expect(await valueOf(metrics, 'sbermarket_hook_retention_interval_seconds')).to.equal(3600)
    expect(await valueOf(metrics, 'sbermarket_hook_retention_last_success_timestamp_seconds')).to.equal(
      Date.parse('2026-12-01T10:00:00Z') / 1000,
    )
    metrics.retentionSucceeded(new Date('2026-12-01T11:00:00Z'))
    expect(await valueOf(metrics, 'sbermarket_hook_retention_last_success_timestamp_seconds')).to.equal(
      Date.parse('2026-12-01T11:00:00Z') / 1000,
    )
    const off = new HookMetrics({ processMetrics: false })
    off.retentionScheduled(0, new Date('2026-12-01T10:00:00Z'))
    expect(await valueOf(off, 'sbermarket_hook_retention_interval_seconds')).to.equal(0)
  })

  it('reads store readiness at every scrape, and the review figures at most every interval', async () => {
    const clock = new FixedClock(new Date('2026-12-01T10:00:00Z'))
    const store = new InMemoryOrderRepository(clock)
    const faulty = new FaultyOrderRepository(store)
    const metrics = new HookMetrics({ processMetrics: false })
    registerStoreGauges(metrics.registry, faulty, clock, 60_000)
    expect(await valueOf(metrics, 'sbermarket_hook_store_ready')).to.equal(1)
    expect(await valueOf(metrics, 'sbermarket_hook_orders_for_review')).to.equal(0)

    const event = anOrderCreatedForReview({ originalOrderId: uniqueOrderId('AM'), storeID: '7', positions: [] })
    await store.createOrGet(event, createdReceipt(event, clock.now()))()
    clock.advance(30_000)
    expect(
      await valueOf(metrics, 'sbermarket_hook_orders_for_review'),
      'within the interval: the last figures',
    ).to.equal(0)
    clock.advance(30_000)
    expect(await valueOf(metrics, 'sbermarket_hook_orders_for_review'), 'after it: read again').to.equal(1)
    expect(await valueOf(metrics, 'sbermarket_hook_oldest_review_wait_seconds')).to.equal(60)

    faulty.setFaults({ all: { fail: always } })
    clock.advance(60_000)
    expect(await valueOf(metrics, 'sbermarket_hook_store_ready')).to.equal(0)
    expect(
      await valueOf(metrics, 'sbermarket_hook_orders_for_review'),
      'a failed read keeps the last figures',
    ).to.equal(1)
    expect(await valueOf(metrics, 'sbermarket_hook_oldest_review_wait_seconds'), 'and the wait goes on').to.equal(120)
  })

  it("serves each consumer's change queue as the store's statistics list it, and nothing for a store without queues", async () => {
    const clock = new FixedClock(new Date('2026-12-01T10:00:00Z'))
    const store = new InMemoryOrderRepository(clock)
    const withQueues: typeof store.stats = () => async () => {
      const stats = await store.stats()()
      if (stats._tag === 'Left') return stats
      const queues = [
        { table: changeQueueTable('erp-assembly'), rows: 12, oldest: new Date('2026-12-01T09:30:00Z') },
        { table: changeQueueTable('erp-sales'), rows: 0, oldest: null },
      ]
      return { _tag: 'Right', right: { ...stats.right, tables: [...stats.right.tables, ...queues] } }
    }
    const metrics = new HookMetrics({ processMetrics: false })
    registerStoreGauges(metrics.registry, { ...store, stats: withQueues, ping: store.ping }, clock, 60_000)
    expect(await valueOf(metrics, 'sbermarket_hook_change_queue_depth', { consumer: 'erp-assembly' })).to.equal(12)
    expect(
      await valueOf(metrics, 'sbermarket_hook_change_queue_oldest_seconds', { consumer: 'erp-assembly' }),
    ).to.equal(1800)
    expect(await valueOf(metrics, 'sbermarket_hook_change_queue_depth', { consumer: 'erp-sales' })).to.equal(0)
    expect(await valueOf(metrics, 'sbermarket_hook_change_queue_oldest_seconds', { consumer: 'erp-sales' })).to.equal(0)

    const plain = new HookMetrics({ processMetrics: false })
    registerStoreGauges(plain.registry, store, clock, 60_000)
    expect(await valueOf(plain, 'sbermarket_hook_change_queue_depth')).to.equal(undefined)
  })
})
