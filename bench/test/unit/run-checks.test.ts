import { expect } from 'chai'
import type { DominoFloorResult } from '../../dist/domino-floor.js'
import type { LoadResult } from '../../dist/run-load.js'
import { runProblems, type RunOutcome } from '../../dist/run-checks.js'
import type { Scenario } from '../../dist/scenarios.js'

const memory = { rss: 1, peakRss: 1, heapUsed: 1 }

/** A scenario's result with only what the checks read set to a clean run's values, then `counts`. */
const result = (name: string, counts: Partial<Pick<LoadResult, 'total' | 'non2xx' | 'errors'>> = {}): LoadResult => ({
  scenario: { name, server: 'hook-memory', hookModule: '', requests: () => [] } satisfies Scenario,
  requestsPerSecond: 1,
  p50Ms: 1,
  p99Ms: 1,
  total: 64,
  non2xx: 0,
  errors: 0,
  cpuMicrosPerRequest: 1,
  allocatedBytesPerRequest: 1,
  peakRssBytes: 1,
  loadAverage: 1,
  before: memory,
  after: memory,
  serverPid: 1,
  servedRequests: 64,
  ...counts,
})

const floor = (
  counts: Partial<Pick<DominoFloorResult, 'orders' | 'errors' | 'firstError'>> = {},
): DominoFloorResult => ({
  kind: 'created',
  orders: 10,
  ordersPerSecond: 10,
  p50Ms: 1,
  p99Ms: 1,
  cpuMicrosPerOrder: 1,
  errors: 0,
  loadAverage: 1,
  ...counts,
})

const clean: RunOutcome = {
  selected: ['a', 'b'],
  results: [result('a'), result('b')],
  dominoFloors: new Map([['created', floor()]]),
  expectedDominoFloors: ['created'],
  sqliteFloors: [{ ordersPerCommit: 1, orders: 10, ordersPerSecond: 5, microsPerOrder: 1, cpuMicrosPerOrder: 1 }],
  flatness: [],
}

describe('runProblems (bench/src/run-checks.ts)', () => {
  it('finds nothing wrong with a clean run', () => {
    expect(runProblems(clean)).to.deep.equal([])
  })

  it('names a selected scenario that has no result', () => {
    expect(runProblems({ ...clean, results: [result('a')] })).to.deep.equal(['b: no result'])
  })

  it('names a scenario that answered nothing, or nothing with a 2xx', () => {
    expect(runProblems({ ...clean, results: [result('a', { total: 0 }), result('b')] })).to.deep.equal([
      'a: no request answered with a 2xx (0 answered in all)',
    ])
    expect(runProblems({ ...clean, results: [result('a'), result('b', { total: 3, non2xx: 3 })] })).to.deep.equal([
      'b: no request answered with a 2xx (3 answered in all)',
      'b: 3 answers were not 2xx',
    ])
  })

  it('names non-2xx answers and connection errors, in the RSS runs too', () => {
    const problems = runProblems({
      ...clean,
      results: [result('a', { non2xx: 1 }), result('b', { errors: 2 })],
      flatness: [result('c', { errors: 1 })],
    })
    expect(problems).to.deep.equal([
      'a: 1 answers were not 2xx',
      'b: 2 connection errors or timeouts',
      'c: 1 connection errors or timeouts',
    ])
  })

  it('names a domino-db floor that is missing, wrote nothing or had errors', () => {
    expect(runProblems({ ...clean, dominoFloors: new Map() })).to.deep.equal(['domino-db floor created: no result'])
    expect(runProblems({ ...clean, dominoFloors: new Map([['created', floor({ orders: 0 })]]) })).to.deep.equal([
      'domino-db floor created: no order written in the measured seconds',
    ])
    expect(
      runProblems({ ...clean, dominoFloors: new Map([['created', floor({ errors: 2, firstError: 'deadlock' })]]) }),
    ).to.deep.equal(['domino-db floor created: 2 errors, the first: deadlock'])
  })

  it('names a SQLite floor that wrote no order', () => {
    const empty = {
      ordersPerCommit: 32,
      orders: 0,
      ordersPerSecond: Number.NaN,
      microsPerOrder: Number.NaN,
      cpuMicrosPerOrder: Number.NaN,
    }
    expect(runProblems({ ...clean, sqliteFloors: [empty] })).to.deep.equal([
      'SQLite floor (32 per commit): no order written',
    ])
  })
})
