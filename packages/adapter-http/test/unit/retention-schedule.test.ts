import { Writable } from 'node:stream'
import { expect } from 'chai'
import { createLogger, startRetentionSchedule } from '@domino-sm/adapter-http'
import {
  FaultyOrderRepository,
  FixedClock,
  InMemoryOrderRepository,
  always,
  aStatusReported,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

class Lines extends Writable {
  readonly records: Record<string, unknown>[] = []
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n'))
      if (line !== '') this.records.push(JSON.parse(line) as Record<string, unknown>)
    done()
  }
}

const DAY_MS = 24 * 60 * 60 * 1000

/** Polls until `check` holds, for at most `ms`. */
const until = async (check: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time')
    await sleep(5)
  }
}

describe('startRetentionSchedule', () => {
  it('applies the policy on its interval, from the clock, and logs what it did', async () => {
    const clock = new FixedClock(new Date('2026-11-29T03:00:00.000Z'))
    const store = new InMemoryOrderRepository(clock)
    const key = uniqueOrderId('RS')
    const paid = aStatusReported('order.paid', key)
    await store.applyUpdate(
      paid.update,
      receiptFor('order.paid', paid.rawBody, new Date(clock.now().getTime() - 31 * DAY_MS)),
    )()
    const lines = new Lines()
    const schedule = startRetentionSchedule(
      { journalBodyDays: 90, pendingDays: 30, batchSize: 10, intervalMs: 30 },
      { orders: store, clock, logger: createLogger('info', lines), random: () => 0 },
    )
    try {
      await until(() => lines.records.filter((r) => r['msg'] === 'retention applied').length >= 2, 2000)
    } finally {
      await schedule.stop()
    }
    const runs = lines.records.filter((r) => r['msg'] === 'retention applied')
    expect(runs[0]).to.deep.include({ bodiesCleared: 0, pendingExpired: 1 })
    expect(runs[1]).to.deep.include({ bodiesCleared: 0, pendingExpired: 0 })
    const listed = await store.listJournal(key)()
    expect(listed._tag === 'Right' ? listed.right.map((r) => r.outcome) : []).to.deep.equal(['pending', 'expired'])
  })

  it('logs a failed run and keeps its schedule', async () => {
    const clock = new FixedClock()
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository(clock), { applyRetention: { fail: always } })
    const lines = new Lines()
    const schedule = startRetentionSchedule(
      { journalBodyDays: 90, pendingDays: 30, batchSize: 10, intervalMs: 20 },
      { orders: faulty, clock, logger: createLogger('info', lines), random: () => 0 },
    )
    try {
      await until(() => faulty.calls('applyRetention') >= 2, 2000)
    } finally {
      await schedule.stop()
    }
    expect(lines.records.find((r) => r['msg'] === 'retention run failed')).to.deep.include({
      error: 'StoreUnavailable',
    })
  })

  it('never runs when the interval is 0, and stops cleanly', async () => {
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository())
    const schedule = startRetentionSchedule(
      { journalBodyDays: 1, pendingDays: 1, batchSize: 1, intervalMs: 0 },
      { orders: faulty, clock: new FixedClock(), logger: createLogger('silent') },
    )
    await sleep(30)
    await schedule.stop()
    expect(faulty.calls('applyRetention')).to.equal(0)
  })

  it('waits a random part of the interval before the first run, so instances spread out', async () => {
    const faulty = new FaultyOrderRepository(new InMemoryOrderRepository())
    const schedule = startRetentionSchedule(
      { journalBodyDays: 1, pendingDays: 1, batchSize: 1, intervalMs: 10_000 },
      { orders: faulty, clock: new FixedClock(), logger: createLogger('silent'), random: () => 0.99 },
    )
    await sleep(50)
    await schedule.stop()
    expect(faulty.calls('applyRetention')).to.equal(0)
  })
})
