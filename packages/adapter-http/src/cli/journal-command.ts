import * as E from 'fp-ts/lib/Either.js'
import { applyRetentionPolicy, type Clock, type StoreStats } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { parseJournalFilters, type JournalFilters, type RawJournalFilters } from '../support/journal-filters.js'
import { collectEntries, DEFAULT_LIST_LIMIT, listJournal, replayJournal } from '../support/journal-support.js'
import { replayVerdict } from '../support/journal-lines.js'
import { terminalSafeJson } from '../support/terminal-text.js'
import { journalListView } from '../http/journal-view.js'
import { UsageError } from './cli-errors.js'

/*
 * The `journal` command's four subcommands, all here (their options are declared in program.ts): `prune` and
 * `stats` for a DBA or a cron job, `list` and `replay` for support.
 */

const systemClock: Clock = { now: () => new Date() }

const formatDate = (date: Date | null): string => (date === null ? '-' : date.toISOString())

/** `journal stats` as a table: one line per table, then the journal bodies still kept. */
export const formatStats = (stats: StoreStats): string => {
  const width = Math.max(...stats.tables.map((t) => t.table.length), 'table'.length)
  const lines = [
    `${'table'.padEnd(width)}  ${'rows'.padStart(10)}  oldest`,
    ...stats.tables.map((t) => `${t.table.padEnd(width)}  ${String(t.rows).padStart(10)}  ${formatDate(t.oldest)}`),
    `journal entries still holding a raw body: ${stats.journalBodies} (oldest ${formatDate(stats.oldestJournalBody)})`,
  ]
  return `${lines.join('\n')}\n`
}

/** `journal stats --json`: the same figures, times in ISO 8601 (null when none). */
export const statsJson = (stats: StoreStats): Record<string, unknown> => ({
  tables: stats.tables.map((t) => ({
    table: t.table,
    rows: t.rows,
    oldest: t.oldest === null ? null : t.oldest.toISOString(),
  })),
  journalBodies: stats.journalBodies,
  oldestJournalBody: stats.oldestJournalBody === null ? null : stats.oldestJournalBody.toISOString(),
  ordersForReview: stats.ordersForReview,
  oldestReviewMark: stats.oldestReviewMark === null ? null : stats.oldestReviewMark.toISOString(),
})

/**
 * `journal prune` (the retention policy once, now, with the RETENTION_* settings) and `journal stats` (rows and
 * oldest entries per table), on the store the configuration names: for a DBA, or a cron job when serve's own
 * schedule is off (RETENTION_INTERVAL_MINUTES=0).
 */
export const journalCommand = async (
  config: AppConfig,
  sub: 'prune' | 'stats',
  write: (text: string) => void,
  json = false,
): Promise<void> => {
  const store = await openStore(config, systemClock, {}, 'command')
  try {
    if (sub === 'prune') {
      const report = await applyRetentionPolicy({ orders: store.repository, clock: systemClock })(config.retention)()
      if (E.isLeft(report)) throw new Error(`journal prune failed: ${report.left._tag}: ${report.left.reason}`)
      write(
        `${store.description}: cleared the raw body of ${report.right.bodiesCleared} journal entries older than ${config.retention.journalBodyDays} days; ` +
          `expired ${report.right.pendingExpired} pending updates older than ${config.retention.pendingDays} days` +
          (report.right.ordersErased === undefined
            ? '\n'
            : `; erased the personal data of ${report.right.ordersErased} orders delivered or cancelled more than ${config.retention.personalDataDays ?? 0} days ago\n`),
      )
    } else {
      const stats = await store.repository.stats()()
      if (E.isLeft(stats)) throw new Error(`journal stats failed: ${stats.left._tag}: ${stats.left.reason}`)
      write(
        json
          ? `${terminalSafeJson({ store: store.description, ...statsJson(stats.right) })}\n`
          : `${store.description}\n${formatStats(stats.right)}`,
      )
    }
  } finally {
    await store.close()
  }
}

/** The filters as commander read them (`program.ts`): each single-valued one at most once. */
export interface FilterOptions {
  readonly id?: readonly string[]
  readonly order?: string
  readonly outcome?: readonly string[]
  readonly since?: string
  readonly until?: string
  readonly review?: boolean
  readonly after?: string
  readonly limit?: string
}

/** The command line's filters, read; a usage error (exit 2) says what was wrong. */
export const filtersOf = (options: FilterOptions): JournalFilters => {
  const raw: RawJournalFilters = {
    ids: options.id ?? [],
    order: options.order,
    outcomes: options.outcome ?? [],
    since: options.since,
    until: options.until,
    review: options.review === true,
    after: options.after,
    limit: options.limit,
  }
  const parsed = parseJournalFilters(raw)
  if (E.isLeft(parsed)) throw new UsageError(parsed.left)
  return parsed.right
}

/** A replay needs at least one filter: a whole journal is never replayed by accident. */
export const replayFiltersOf = (options: FilterOptions): JournalFilters => {
  const filters = filtersOf(options)
  if (!filters.selective)
    throw new UsageError(['journal replay: give at least one filter (a whole journal is never replayed by accident)'])
  return filters
}

/** A replay longer than this shows its progress (n of N) on stderr. */
export const PROGRESS_ABOVE = 100

/** `--json` of `journal list`: the page as `GET /admin/journal` gives it (no bodies) and the cursor of the next. */
const listJson = async (store: Parameters<typeof listJournal>[0], filters: JournalFilters): Promise<string> => {
  const limit = filters.limit ?? DEFAULT_LIST_LIMIT
  const entries = await collectEntries(store, { ...filters.query, withBodies: false }, limit, filters.afterId)
  const last = entries.at(-1)
  return `${terminalSafeJson({ entries: entries.map(journalListView), next: entries.length === limit && last !== undefined ? last.id : null })}\n`
}

/** How `journal list` and `journal replay` print: `--json` (one document on stdout), `--dry-run` (replay only). */
export interface JournalEntriesOutput {
  readonly dryRun: boolean
  readonly json: boolean
  readonly write: (text: string) => void
  /** Where a long replay's progress goes (stderr): apart from the output, so that `--json` stays one document. */
  readonly progress: (text: string) => void
}

/**
 * `journal list` and `journal replay` on the store the configuration names (README "Support"). Replay is safe beside
 * a running hook: every replayed request takes the store's own locks, as the hook's requests do. Exit codes: 0 done;
 * 1 when a replayed request failed again (the store still cannot take it); 2 for a usage error (thrown before).
 */
export const journalEntriesCommand = async (
  config: AppConfig,
  sub: 'list' | 'replay',
  filters: JournalFilters,
  output: JournalEntriesOutput,
): Promise<number> => {
  const { dryRun, json, write, progress } = output
  const store = await openStore(config, systemClock, {}, 'command')
  try {
    if (!json) write(`${store.description}\n`)
    if (sub === 'list') {
      if (json) write(await listJson(store.repository, filters))
      else await listJournal(store.repository, filters, write)
      return 0
    }
    const lines: Record<string, unknown>[] = []
    const results = await replayJournal(
      store.repository,
      filters,
      {
        unreadable: config.unreadableOrders,
        dryRun,
        onResult: (record, result, done, total) => {
          if (json) {
            lines.push({
              id: record.id,
              originalOrderId: record.originalOrderId,
              eventType: record.eventType,
              outcomeThen: record.outcome,
              replayable: result._tag !== 'NotReplayable',
              outcomeNow: result._tag === 'NotReplayable' ? null : result.outcome,
              entryId: result._tag === 'Replayed' ? (result.entryId ?? null) : null,
              verdict: replayVerdict(result),
            })
          }
          if (total > PROGRESS_ABOVE && (done % PROGRESS_ABOVE === 0 || done === total))
            progress(`${dryRun ? 'dry run' : 'replay'}: ${done} of ${total}\n`)
        },
      },
      json ? () => undefined : write,
    )
    if (json) write(`${terminalSafeJson({ store: store.description, dryRun, entries: lines })}\n`)
    return results.some((r) => r._tag !== 'NotReplayable' && r.outcome === 'failed') ? 1 : 0
  } finally {
    await store.close()
  }
}
