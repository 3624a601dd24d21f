import * as E from 'fp-ts/lib/Either.js'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { parseJournalFilters, type JournalFilters, type RawJournalFilters } from '../support/journal-filters.js'
import { erasePersonalData, erasureLine, listJournal, replayJournal } from '../support/journal-support.js'
import { UsageError } from './cli-errors.js'

const systemClock: Clock = { now: () => new Date() }

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
  if (!filters.selective) throw new UsageError(['journal replay: give at least one filter (a whole journal is never replayed by accident)'])
  return filters
}

/**
 * `journal list` and `journal replay` on the store the configuration names (README "Support"). Replay is safe beside
 * a running hook: every replayed request takes the store's own locks, as the hook's requests do. Exit codes: 0 done;
 * 1 when a replayed request failed again (the store still cannot take it); 2 for a usage error (thrown before).
 */
export const journalSupportCommand = async (
  config: AppConfig,
  sub: 'list' | 'replay',
  filters: JournalFilters,
  dryRun: boolean,
  write: (text: string) => void,
): Promise<number> => {
  const store = await openStore(config, systemClock, {}, 'command')
  try {
    write(`${store.description}\n`)
    if (sub === 'list') {
      await listJournal(store.repository, filters, write)
      return 0
    }
    const results = await replayJournal(store.repository, filters, { unreadable: config.unreadableOrders, dryRun }, write)
    return results.some((r) => r._tag !== 'NotReplayable' && r.outcome === 'failed') ? 1 : 0
  } finally {
    await store.close()
  }
}

/** `personal-data erase --order KEY --note TEXT` on the store the configuration names. Exit 0 done. */
export const personalDataCommand = async (config: AppConfig, key: string, note: string, write: (text: string) => void): Promise<number> => {
  const store = await openStore(config, systemClock, {}, 'command')
  try {
    write(erasureLine(key, await erasePersonalData(store.repository, key, note)))
    return 0
  } finally {
    await store.close()
  }
}
