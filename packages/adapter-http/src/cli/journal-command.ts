import * as E from 'fp-ts/lib/Either.js'
import { applyRetentionPolicy, type Clock, type StoreStats } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { terminalSafeJson } from '../support/terminal-text.js'

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
  tables: stats.tables.map((t) => ({ table: t.table, rows: t.rows, oldest: t.oldest === null ? null : t.oldest.toISOString() })),
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
export const journalCommand = async (config: AppConfig, sub: 'prune' | 'stats', write: (text: string) => void, json = false): Promise<void> => {
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
      write(json ? `${terminalSafeJson({ store: store.description, ...statsJson(stats.right) })}\n` : `${store.description}\n${formatStats(stats.right)}`)
    }
  } finally {
    await store.close()
  }
}
