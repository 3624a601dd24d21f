import type { DominoFloorResult, FloorKind } from './domino-floor.js'
import type { LoadResult } from './run-load.js'
import type { FloorResult } from './sqlite-floor.js'

/** What one run produced, to be checked before its figures are trusted. */
export interface RunOutcome {
  /** The names of the scenarios selected for the run, in order. */
  readonly selected: readonly string[]
  readonly results: readonly LoadResult[]
  /** The floors the selected domino-db scenarios stand under, by kind (none without BENCH_DOMINO_DB_URL). */
  readonly dominoFloors: ReadonlyMap<FloorKind, DominoFloorResult>
  readonly expectedDominoFloors: readonly FloorKind[]
  readonly sqliteFloors: readonly FloorResult[]
  /** The RSS flatness runs (`--rss-requests`). */
  readonly flatness: readonly LoadResult[]
}

/**
 * Why the run's figures cannot be trusted: a selected scenario without a result, one that answered no request with a
 * 2xx, answered any other status, or had connection errors or timeouts; a floor missing, with errors, or that wrote no
 * order. Empty when every scenario ran cleanly. No figure (rate, latency, CPU) is judged: that is the reader's work.
 * A server child that dies, a floor that refuses (its column guard) or exits, a failed migration: those throw earlier.
 */
export const runProblems = (run: RunOutcome): string[] => {
  const problems: string[] = []
  for (const name of run.selected) {
    if (!run.results.some((r) => r.scenario.name === name)) problems.push(`${name}: no result`)
  }
  for (const r of [...run.results, ...run.flatness]) {
    const answered = r.total - r.non2xx
    if (answered <= 0) problems.push(`${r.scenario.name}: no request answered with a 2xx (${r.total} answered in all)`)
    if (r.non2xx > 0) problems.push(`${r.scenario.name}: ${r.non2xx} answers were not 2xx`)
    if (r.errors > 0) problems.push(`${r.scenario.name}: ${r.errors} connection errors or timeouts`)
  }
  for (const kind of run.expectedDominoFloors) {
    const floor = run.dominoFloors.get(kind)
    if (floor === undefined) problems.push(`domino-db floor ${kind}: no result`)
    else if (floor.orders <= 0) problems.push(`domino-db floor ${kind}: no order written in the measured seconds`)
    if (floor !== undefined && floor.errors > 0) {
      problems.push(`domino-db floor ${kind}: ${floor.errors} errors, the first: ${floor.firstError ?? '?'}`)
    }
  }
  for (const f of run.sqliteFloors) {
    if (!(f.orders > 0 && f.ordersPerSecond > 0)) {
      problems.push(`SQLite floor (${f.ordersPerCommit} per commit): no order written`)
    }
  }
  return problems
}
