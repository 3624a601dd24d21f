import * as E from 'fp-ts/lib/Either.js'
import { parseArgs } from 'node:util'
import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { parseJournalFilters, type JournalFilters } from '../support/journal-filters.js'
import { collectEntries, DEFAULT_LIST_LIMIT, erasePersonalData, erasureLine, listJournal, replayJournal } from '../support/journal-support.js'
import { replayVerdict } from '../support/journal-lines.js'
import { journalListView } from '../http/journal-view.js'

const systemClock: Clock = { now: () => new Date() }

const FILTERS = '[--id N]... [--order KEY] [--outcome failed,rejected,...] [--since ISO] [--until ISO] [--review]'

export const JOURNAL_LIST_USAGE = `usage: domino-sbermarket-hook journal list ${FILTERS} [--limit N] [--after ID] [--json]\n`
export const JOURNAL_REPLAY_USAGE =
  `usage: domino-sbermarket-hook journal replay ${FILTERS} [--dry-run] [--json]\n` +
  '  at least one filter; --dry-run says what a replay would do now and changes nothing\n' +
  '  --json prints one JSON document instead of lines; a replay of more than 100 entries shows its progress on stderr\n'
export const ERASE_USAGE = 'usage: domino-sbermarket-hook personal-data erase --order KEY --note "who asked, when, the ticket"\n'

const FILTER_OPTIONS = {
  id: { type: 'string', multiple: true },
  order: { type: 'string' },
  outcome: { type: 'string', multiple: true },
  since: { type: 'string' },
  until: { type: 'string' },
  review: { type: 'boolean' },
  after: { type: 'string' },
  limit: { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const

/** The command line's filters, read; a usage error says what was wrong. */
export const filtersOf = (args: readonly string[]): E.Either<readonly string[], { readonly filters: JournalFilters; readonly dryRun: boolean; readonly json: boolean }> => {
  let values
  try {
    values = parseArgs({ args: [...args], options: FILTER_OPTIONS, strict: true, allowPositionals: false }).values
  } catch (error) {
    return E.left([error instanceof Error ? error.message : String(error)])
  }
  const parsed = parseJournalFilters({
    ids: values.id ?? [],
    order: values.order,
    outcomes: values.outcome ?? [],
    since: values.since,
    until: values.until,
    review: values.review === true,
    after: values.after,
    limit: values.limit,
  })
  return E.map((filters: JournalFilters) => ({ filters, dryRun: values['dry-run'] === true, json: values.json === true }))(parsed)
}

const usage = (write: (text: string) => void, text: string, problems: readonly string[] = []): number => {
  write(`${problems.map((p) => `${p}\n`).join('')}${text}`)
  return 2
}

/** A replay longer than this shows its progress (n of N) on stderr. */
export const PROGRESS_ABOVE = 100

/** `--json` of `journal list`: the page as `GET /admin/journal` gives it (no bodies) and the cursor of the next. */
const listJson = async (store: Parameters<typeof listJournal>[0], filters: JournalFilters): Promise<string> => {
  const limit = filters.limit ?? DEFAULT_LIST_LIMIT
  const entries = await collectEntries(store, { ...filters.query, withBodies: false }, limit, filters.afterId)
  const last = entries.at(-1)
  return `${JSON.stringify({ entries: entries.map(journalListView), next: entries.length === limit && last !== undefined ? last.id : null })}\n`
}

/**
 * `journal list` and `journal replay` on the store the configuration names (README "Support"). Replay is safe beside
 * a running hook: every replayed request takes the store's own locks, as the hook's requests do. Exit codes: 0 done;
 * 1 when a replayed request failed again (the store still cannot take it); 2 for a usage error.
 */
export const journalSupportCommand = async (
  config: AppConfig,
  sub: 'list' | 'replay',
  args: readonly string[],
  write: (text: string) => void,
  progress: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> => {
  const usageText = sub === 'list' ? JOURNAL_LIST_USAGE : JOURNAL_REPLAY_USAGE
  const parsed = filtersOf(args)
  if (E.isLeft(parsed)) return usage(write, usageText, parsed.left)
  const { filters, dryRun, json } = parsed.right
  if (sub === 'list' && dryRun) return usage(write, usageText, ['--dry-run: only for journal replay'])
  if (sub === 'replay' && !filters.selective) return usage(write, usageText, ['journal replay: give at least one filter (a whole journal is never replayed by accident)'])
  const store = await openStore(config, systemClock)
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
    if (json) write(`${JSON.stringify({ store: store.description, dryRun, entries: lines })}\n`)
    return results.some((r) => r._tag !== 'NotReplayable' && r.outcome === 'failed') ? 1 : 0
  } finally {
    await store.close()
  }
}

/** `personal-data erase --order KEY --note TEXT` on the store the configuration names. Exit 0 done, 2 usage. */
export const personalDataCommand = async (config: AppConfig, args: readonly string[], write: (text: string) => void): Promise<number> => {
  const [sub, ...rest] = args
  let values: { readonly order?: string | undefined; readonly note?: string | undefined }
  try {
    values = parseArgs({ args: rest, options: { order: { type: 'string' }, note: { type: 'string' } }, strict: true }).values
  } catch {
    values = {}
  }
  const key = values.order?.trim()
  const note = values.note?.trim()
  if (sub !== 'erase' || key === undefined || key === '' || note === undefined || note === '') return usage(write, ERASE_USAGE)
  const store = await openStore(config, systemClock)
  try {
    write(erasureLine(key, await erasePersonalData(store.repository, key, note)))
    return 0
  } finally {
    await store.close()
  }
}
