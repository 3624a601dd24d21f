import type { ParsedUrlQuery } from 'node:querystring'
import type { RawJournalFilters } from '../support/journal-filters.js'

/** Every value of a query parameter given once or repeated (`?id=1&id=2`). */
export const listOf = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value]

/** One value of a query parameter: the last when it was repeated. */
export const oneOf = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.at(-1) : value

/**
 * The journal's filters as a query string spells them (`?id=&order=&outcome=failed,rejected&since=&until=&review=1
 * &after=&limit=`), the same names as `journal list`'s options, for `parseJournalFilters` to check: the admin API's
 * `GET /admin/journal` and the console's `GET /console/api/journal` read them alike.
 */
export const journalFiltersOfQuery = (q: ParsedUrlQuery): RawJournalFilters => ({
  ids: listOf(q['id']),
  order: oneOf(q['order']),
  outcomes: listOf(q['outcome']),
  since: oneOf(q['since']),
  until: oneOf(q['until']),
  review: ['1', 'true', 'yes'].includes(oneOf(q['review']) ?? ''),
  after: oneOf(q['after']),
  limit: oneOf(q['limit']),
})
