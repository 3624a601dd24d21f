import type { FoundJournalRecord, JournalRecord, ReplayResult } from '@domino-sm/core'
import { terminalSafe } from './terminal-text.js'

/**
 * Every text below that came from a request, or from a store's message about one, goes through `terminalSafe`: a
 * journal line is one line, whatever the request held (README "Support").
 */
const orDash = (value: string | null): string => (value === null ? '-' : terminalSafe(value))

/** One line of `journal list`: id, time, key, event, outcome, status, whether the body is kept, what it replays, why. */
export const listLine = (record: FoundJournalRecord): string =>
  [
    `#${record.id}`,
    record.receivedAt.toISOString(),
    orDash(record.originalOrderId),
    orDash(record.eventType),
    record.outcome,
    String(record.httpStatus),
    record.hasBody ? 'body kept' : 'no body',
    ...(record.replayOf === undefined ? [] : [`replay of #${record.replayOf}`]),
    ...(record.detail === null ? [] : [`: ${terminalSafe(record.detail)}`]),
  ].join('  ')

/** What a replay line says of the outcome now. */
export const replayVerdict = (result: ReplayResult): string => {
  if (result._tag === 'NotReplayable') return `not replayable: ${terminalSafe(result.why)}`
  const number = result.number === undefined ? '' : ` (Domino number ${terminalSafe(result.number)})`
  const detail = result.detail === null ? '' : ` (${terminalSafe(result.detail)})`
  if (result._tag === 'WouldReplay') return `would be ${result.outcome}${number}${detail}`
  const entry =
    result.entryId === undefined ? '; its journal entry could not be written' : `; journaled as #${result.entryId}`
  return `${result.outcome}${number}${detail}${entry}`
}

/** One line of `journal replay`: the entry (id, key, event, outcome then) and the outcome now. */
export const replayLine = (record: JournalRecord, result: ReplayResult): string =>
  `#${record.id}  ${orDash(record.originalOrderId)}  ${orDash(record.eventType)}  ${record.outcome} -> ${replayVerdict(result)}`

/** The summary of a replay: how many entries, by outcome now, and those that could not be replayed. */
export const replaySummary = (results: readonly ReplayResult[], dryRun: boolean): string => {
  const counts = new Map<string, number>()
  for (const result of results) {
    const key = result._tag === 'NotReplayable' ? 'not replayable' : result.outcome
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const parts = [...counts.entries()].map(([key, n]) => `${key} ${n}`).join(', ')
  return dryRun
    ? `dry run: ${results.length} entries; a replay now would give: ${parts === '' ? 'nothing' : parts}. Nothing was changed.`
    : `replayed ${results.filter((r) => r._tag === 'Replayed').length} of ${results.length} entries: ${parts === '' ? 'nothing' : parts}.`
}
