import type { JournalEntry } from './journal-entry.js'

/** The detail of an operation's entry when the edge had journaled its request as answered before the commit. */
const committedAfterAnswerDetail = (committed: JournalEntry): string => {
  const done = `the store committed ${committed.outcome} after the hook had answered without it; the status is what was answered`
  return committed.detail === null ? done : `${done} (${committed.detail})`
}

/**
 * One entry per request, when an operation commits: a store that finds an entry of `committed.requestId` already
 * written (the edge answered before the store's reply came: at the deadline, or the reply was lost) rewrites that
 * entry with the operation's facts (what the database now holds) and keeps the status that was answered.
 */
export const entryOnCommit = (committed: JournalEntry, existing: JournalEntry): JournalEntry => ({
  ...committed,
  httpStatus: existing.httpStatus,
  detail: existing.httpStatus === committed.httpStatus ? committed.detail : committedAfterAnswerDetail(committed),
})

/**
 * One entry per request, when the edge journals what it answered (`recordJournal`): a store that finds an entry of
 * `answered.requestId` already written keeps the facts of a committed operation (the edge wrote `failed` because the
 * store's reply did not come, but the commit landed) with the status answered; otherwise `answered` replaces it (a
 * later settlement of the same request). Stores apply this to the entry they find, atomically.
 */
export const entryOnAnswer = (existing: JournalEntry, answered: JournalEntry): JournalEntry =>
  answered.outcome === 'failed' && existing.outcome !== 'failed' ? entryOnCommit(existing, answered) : answered
