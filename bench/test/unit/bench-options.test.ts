import { expect } from 'chai'
import { BenchOptionError, benchOptions } from '../../dist/bench-options.js'

describe('benchOptions (bench/src/bench-options.ts)', () => {
  it('gives a full run its defaults: 10 s per scenario, 32 connections, no request count', () => {
    const o = benchOptions([], {})
    expect(o).to.include({
      durationSeconds: 10,
      warmupSeconds: 2,
      dbWarmupSeconds: 5,
      connections: 32,
      dbPool: 10,
      smoke: false,
    })
    expect(o).to.include({ floorOrders: 5000, rssRequests: 0, statusOrders: 1000, requests: undefined })
  })

  it('gives a smoke run a fixed count of requests per scenario and small runs of everything', () => {
    const o = benchOptions(['--smoke'], {})
    expect(o).to.include({
      smoke: true,
      requests: 64,
      durationSeconds: 1,
      warmupSeconds: 0,
      dbWarmupSeconds: 0,
      connections: 8,
      dbPool: 4,
    })
    expect(o).to.include({ floorOrders: 200, rssRequests: 200, statusOrders: 64 })
  })

  it('lets an explicit option win over the environment, and the environment over the defaults', () => {
    expect(benchOptions(['--smoke'], { BENCH_DURATION: '3' }).durationSeconds).to.equal(3)
    expect(benchOptions(['--duration', '2'], { BENCH_DURATION: '3' }).durationSeconds).to.equal(2)
    expect(benchOptions(['--smoke', '--connections', '32', '--requests', '10'], {})).to.include({
      connections: 32,
      requests: 10,
    })
  })

  it('refuses a bad value, naming the option and the value', () => {
    expect(() => benchOptions(['--duration', 'soon'], {})).to.throw(
      BenchOptionError,
      '--duration (BENCH_DURATION) must be a number of at least 0.1, got "soon"',
    )
    expect(() => benchOptions([], { BENCH_WARMUP: '-1' })).to.throw(
      BenchOptionError,
      '--warmup (BENCH_WARMUP) must be a number of at least 0, got "-1"',
    )
    expect(() => benchOptions(['--connections', '2.5'], {})).to.throw(
      BenchOptionError,
      '--connections must be a whole number, got 2.5',
    )
    expect(() => benchOptions(['--status-orders', '0'], {})).to.throw(
      BenchOptionError,
      '--status-orders must be a number of at least 1',
    )
    expect(() => benchOptions(['--no-such-option'], {})).to.throw(BenchOptionError, 'no-such-option')
  })
})
