import type { FoundJournalRecord } from './journal-query.js'

/** Which page of a list support asks for: the entries after `afterId` (the previous page's cursor), at most `limit`. */
export interface PageRequest {
  readonly afterId?: number
  readonly limit: number
}

/**
 * One page of journal entries, oldest first, and the cursor of the next page: the id to pass as `afterId`, or null
 * when this page is the last. A full page always gives a cursor (the next page may then be empty): the store is not
 * asked for one entry more just to know.
 */
export interface JournalPage {
  readonly entries: readonly FoundJournalRecord[]
  readonly next: number | null
}

/** The page of what a query for `limit` entries found. */
export const journalPage = (found: readonly FoundJournalRecord[], limit: number): JournalPage => {
  const last = found.at(-1)
  return { entries: found, next: found.length >= limit && last !== undefined ? last.id : null }
}

/**
 * The longest prefix of `page` whose entries take at most `maxBytes` together (each as `sizeOf` counts it), and
 * the cursor that goes on after it: an answer's size is bounded however large the entries are. The first entry is
 * kept even when it alone is larger (a page that keeps nothing could never be passed): the caller bounds one entry.
 */
export const withinBytes = (
  page: JournalPage,
  sizeOf: (entry: FoundJournalRecord) => number,
  maxBytes: number,
): JournalPage => {
  let bytes = 0
  for (const [index, entry] of page.entries.entries()) {
    bytes += sizeOf(entry)
    if (bytes > maxBytes && index > 0) {
      const kept = page.entries.slice(0, index)
      return { entries: kept, next: kept.at(-1)?.id ?? null }
    }
  }
  return page
}
