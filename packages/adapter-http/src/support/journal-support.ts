import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import {
  forecastReplay,
  MAX_JOURNAL_PAGE,
  replayEntry,
  type ErasureReport,
  type FoundJournalRecord,
  type JournalQuery,
  type OrderRepository,
  type OriginalOrderId,
  type RepositoryError,
  type ReplayResult,
  type UnreadablePolicy,
} from '@domino-sm/core'
import { PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody } from '@domino-sm/core/internals'
import { answeredStatus } from '../http/answer.js'
import type { JournalFilters } from './journal-filters.js'
import { listLine, replayLine, replaySummary } from './journal-lines.js'
import { terminalSafe } from './terminal-text.js'

/** A store failure, for a support command: it stops with the tag and the reason (no customer data in either). */
class SupportStoreError extends Error {
  constructor(what: string, error: RepositoryError) {
    super(`${what} failed: ${error._tag}: ${error.reason}`)
  }
}

const orThrow = async <A>(what: string, task: () => Promise<E.Either<RepositoryError, A>>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new SupportStoreError(what, result.left)
  return result.right
}

/** Every entry a query selects, page by page (oldest first), up to `max`. */
export const collectEntries = async (
  orders: OrderRepository,
  query: Omit<JournalQuery, 'limit' | 'afterId'>,
  max: number,
  afterId?: number,
): Promise<FoundJournalRecord[]> => {
  const found: FoundJournalRecord[] = []
  let after = afterId
  for (;;) {
    const limit = Math.min(MAX_JOURNAL_PAGE, max - found.length)
    if (limit <= 0) return found
    const page = await orThrow(
      'journal query',
      orders.searchJournal({ ...query, limit, ...(after === undefined ? {} : { afterId: after }) }),
    )
    found.push(...page)
    const last = page.at(-1)
    if (page.length < limit || last === undefined) return found
    after = last.id
  }
}

/** What `journal list` shows by default, and the most it shows at once (`--limit`, `--after` page on). */
export const DEFAULT_LIST_LIMIT = 200

/** `journal list`: one line per entry, oldest first, no bodies; then how to see more when the page is full. */
export const listJournal = async (
  orders: OrderRepository,
  filters: JournalFilters,
  write: (text: string) => void,
): Promise<number> => {
  const limit = filters.limit ?? DEFAULT_LIST_LIMIT
  const entries = await collectEntries(orders, { ...filters.query, withBodies: false }, limit, filters.afterId)
  for (const entry of entries) write(`${listLine(entry)}\n`)
  const last = entries.at(-1)
  write(
    entries.length === limit && last !== undefined
      ? `${entries.length} entries shown; more with --after ${last.id}\n`
      : `${entries.length} entries\n`,
  )
  return entries.length
}

/** What a replay needs besides the store: the hook's policy for unreadable payloads, and the time. */
export interface ReplaySettings {
  readonly unreadable: UnreadablePolicy
  readonly now?: () => Date
  readonly dryRun: boolean
  /** Called after each entry, with its place in the run (1-based) and the run's size: progress, and the console's table. */
  readonly onResult?: (record: FoundJournalRecord, result: ReplayResult, done: number, total: number) => void
}

/** The entries a replay goes through at most in one run (a bigger backlog is replayed in several runs, by time). */
const MAX_REPLAY_ENTRIES = 10_000
const REPLAY_CHUNK = 100

/**
 * `journal replay`: the entries the filters select, as they are now (entries the replay itself journals are not
 * picked up: the ids are read first), oldest first, each run again through the hook's use case (`replayEntry`),
 * or forecast in a dry run (`forecastReplay`). One line per entry and a summary. Answers the results.
 */
export const replayJournal = async (
  orders: OrderRepository,
  filters: JournalFilters,
  settings: ReplaySettings,
  write: (text: string) => void,
): Promise<readonly ReplayResult[]> => {
  const selected = await collectEntries(
    orders,
    { ...filters.query, withBodies: false },
    filters.limit ?? MAX_REPLAY_ENTRIES,
    filters.afterId,
  )
  const now = settings.now ?? (() => new Date())
  const deps = { orders, unreadable: settings.unreadable, now, newRequestId: randomUUID, answeredStatus }
  const run = settings.dryRun ? forecastReplay(deps) : replayEntry(deps)
  const results: ReplayResult[] = []
  for (let start = 0; start < selected.length; start += REPLAY_CHUNK) {
    const ids = selected.slice(start, start + REPLAY_CHUNK).map((entry) => entry.id)
    const withBodies = await orThrow(
      'journal query',
      orders.searchJournal({ ids, limit: ids.length, withBodies: true }),
    )
    for (const record of withBodies) {
      const result = await run(record)()
      results.push(result)
      write(`${replayLine(record, result)}\n`)
      settings.onResult?.(record, result, results.length, selected.length)
    }
  }
  write(`${replaySummary(results, settings.dryRun)}\n`)
  return results
}

/** A support action has no SberMarket deadline: its entry is journaled as answered in time. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

/** `personal-data erase --order KEY --note TEXT`: erases one key's personal data on the store, journaled with the note. */
export const erasePersonalData = async (
  orders: OrderRepository,
  key: string,
  note: string,
  now: Date = new Date(),
  operator?: string,
): Promise<ErasureReport> =>
  orThrow(
    'personal-data erase',
    orders.erasePersonalData(key as OriginalOrderId, {
      requestId: randomUUID(),
      receivedAt: now,
      answerBy: NO_DEADLINE,
      eventType: PERSONAL_DATA_ERASED_EVENT_TYPE,
      rawBody: personalDataErasedBody(key, note, operator),
    }),
  )

/** The line `personal-data erase` prints. */
export const erasureLine = (key: string, report: ErasureReport): string =>
  `${terminalSafe(key)}: personal data erased from ${report.orderFound ? 'the order' : 'no order (none stored)'}, ` +
  `${report.journalBodiesErased} journal bodies and ${report.pendingBodiesErased} pending updates; journaled as #${report.journal.id}\n`
