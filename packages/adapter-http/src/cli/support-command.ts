import * as E from 'fp-ts/lib/Either.js'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { parseJournalFilters, type JournalFilters, type RawJournalFilters } from '../support/journal-filters.js'
import { collectEntries, DEFAULT_LIST_LIMIT, erasePersonalData, erasureLine, listJournal, replayJournal } from '../support/journal-support.js'
import { replayVerdict } from '../support/journal-lines.js'
import { terminalSafeJson } from '../support/terminal-text.js'
import { journalListView } from '../http/journal-view.js'
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
export interface SupportOutput {
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
export const journalSupportCommand = async (config: AppConfig, sub: 'list' | 'replay', filters: JournalFilters, output: SupportOutput): Promise<number> => {
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
          if (total > PROGRESS_ABOVE && (done % PROGRESS_ABOVE === 0 || done === total)) progress(`${dryRun ? 'dry run' : 'replay'}: ${done} of ${total}\n`)
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
