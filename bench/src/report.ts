import type { LoadResult } from './run-load.js'

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`

/** The results as a Markdown table, each scenario's requests/s also as a share of the bare Koa baseline. */
export const resultsTable = (results: readonly LoadResult[], koaBaseline: number): string => {
  const lines = [
    row(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'peak RSS', 'vs bare Koa', 'requests', 'non-2xx', 'errors']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ]
  for (const r of results) {
    lines.push(
      row([
        r.scenario.name,
        r.requestsPerSecond.toFixed(0),
        r.p50Ms.toFixed(1),
        r.p99Ms.toFixed(1),
        mib(r.peakRssBytes),
        `${((r.requestsPerSecond / koaBaseline) * 100).toFixed(0)}%`,
        String(r.total),
        String(r.non2xx),
        String(r.errors),
      ]),
    )
  }
  return lines.join('\n')
}

/** RSS and heap after a garbage collection: before, halfway through and after a fixed number of requests. */
export const flatnessTable = (results: readonly LoadResult[]): string => {
  const lines = [
    row(['scenario', 'requests', 'RSS at 0', 'RSS at half', 'RSS at end', '2nd half change', 'heap at 0', 'heap at half', 'heap at end', 'peak RSS']),
    row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---:']),
  ]
  for (const r of results) {
    const half = r.halfway ?? r.before
    lines.push(
      row([
        r.scenario.name,
        String(r.total),
        mib(r.before.rss),
        mib(half.rss),
        mib(r.after.rss),
        `${r.after.rss >= half.rss ? '+' : ''}${mib(r.after.rss - half.rss)}`,
        mib(r.before.heapUsed),
        mib(half.heapUsed),
        mib(r.after.heapUsed),
        mib(r.peakRssBytes),
      ]),
    )
  }
  return lines.join('\n')
}
