import { OUTCOMES, type JournalEntry, type Outcome } from './journal-entry.js'

/**
 * The prefix of the event types of support's own actions (`support.review-cleared`, `support.personal-data-erased`,
 * the console's actions): they are journaled like requests, with a request id, but SberMarket sent none of them.
 */
export const SUPPORT_EVENT_TYPE_PREFIX = 'support.'

/**
 * Whether a journal entry is a request SberMarket (or a replay) sent: it has a request id (`expired` entries have
 * none) and its event type does not start with `support.` (case-sensitive, as written). The Today figures count
 * only these; every store's `summariseJournal` applies the same rule in its SQL, and the contract suite checks it.
 */
export const isRequestEntry = (entry: Pick<JournalEntry, 'requestId' | 'eventType'>): boolean =>
  entry.requestId !== null && entry.eventType?.startsWith(SUPPORT_EVENT_TYPE_PREFIX) !== true

/** Which part of the journal a summary counts: entries received at or after `since` and before `until`. */
export interface JournalSummaryQuery {
  readonly since: Date
  readonly until: Date
  /** Requests that took at least this many milliseconds are counted in `atOrAbove` (answers near the deadline). */
  readonly durationAtLeastMs: number
}

export interface OutcomeCount {
  readonly outcome: Outcome
  readonly count: number
}

export interface StatusCount {
  readonly httpStatus: number
  readonly count: number
}

/**
 * The requests (`isRequestEntry`) of a time range, counted by the store in one query: how many, by outcome and by
 * HTTP status answered (only those with a count, outcomes in `OUTCOMES` order, statuses ascending), and how many took
 * `durationAtLeastMs` or longer.
 */
export interface JournalSummary {
  readonly requests: number
  readonly byOutcome: readonly OutcomeCount[]
  readonly byStatus: readonly StatusCount[]
  readonly atOrAbove: number
}

/** An order that carries a review mark now, as the list of marked orders shows it (`OrderRepository.ordersForReview`). */
export interface OrderForReview {
  readonly originalOrderId: string
  readonly number: string
  readonly markedAt: Date
  readonly reasons: readonly string[]
}

/** The most marked orders one `ordersForReview` answers. */
export const MAX_REVIEW_LIST = 1000

/**
 * A summary put in its canonical order (outcomes as `OUTCOMES` lists them, statuses ascending, no zero counts), so
 * that every store answers the same value for the same journal whatever order its SQL groups come in.
 */
export const journalSummaryOf = (
  requests: number,
  outcomes: readonly OutcomeCount[],
  statuses: readonly StatusCount[],
  atOrAbove: number,
): JournalSummary => ({
  requests,
  byOutcome: outcomes
    .filter((c) => c.count > 0)
    .sort((a, b) => OUTCOMES.indexOf(a.outcome) - OUTCOMES.indexOf(b.outcome)),
  byStatus: statuses.filter((c) => c.count > 0).sort((a, b) => a.httpStatus - b.httpStatus),
  atOrAbove,
})

/** One group of a store's summary query: the requests of one outcome and HTTP status, and how many took the threshold or longer. */
export interface SummaryGroup {
  readonly outcome: Outcome
  readonly httpStatus: number
  readonly requests: number
  readonly atOrAbove: number
}

/** Folds the groups of a store's summary query (one per outcome and status, in any order) into the canonical summary. */
export const journalSummaryOfGroups = (groups: Iterable<SummaryGroup>): JournalSummary => {
  const outcomes = new Map<Outcome, number>()
  const statuses = new Map<number, number>()
  let requests = 0
  let atOrAbove = 0
  for (const group of groups) {
    requests += group.requests
    atOrAbove += group.atOrAbove
    outcomes.set(group.outcome, (outcomes.get(group.outcome) ?? 0) + group.requests)
    statuses.set(group.httpStatus, (statuses.get(group.httpStatus) ?? 0) + group.requests)
  }
  return journalSummaryOf(
    requests,
    [...outcomes].map(([outcome, count]) => ({ outcome, count })),
    [...statuses].map(([httpStatus, count]) => ({ httpStatus, count })),
    atOrAbove,
  )
}

/** Whether an entry falls in the summary's range (`since` included, `until` not, as `JournalQuery`). */
const inSummaryRange = (query: JournalSummaryQuery, receivedAt: Date): boolean =>
  receivedAt.getTime() >= query.since.getTime() && receivedAt.getTime() < query.until.getTime()

/**
 * The summary of `entries` computed in memory: the in-memory store's answer, and the reference the contract suite
 * compares every store's query to.
 */
export const summariseEntries = (query: JournalSummaryQuery, entries: readonly JournalEntry[]): JournalSummary =>
  journalSummaryOfGroups(
    entries
      .filter((entry) => inSummaryRange(query, entry.receivedAt) && isRequestEntry(entry))
      .map((entry) => ({
        outcome: entry.outcome,
        httpStatus: entry.httpStatus,
        requests: 1,
        atOrAbove: entry.durationMs >= query.durationAtLeastMs ? 1 : 0,
      })),
  )
