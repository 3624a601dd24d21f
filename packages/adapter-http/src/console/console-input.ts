import { MAX_ORDER_ID_LENGTH } from '@domino-sm/core'
import { CONSOLE_REPLAY_MAX } from './console-actions.js'

/** C0 controls and DEL: never part of a key, a note or an event type the console takes. */
// eslint-disable-next-line no-control-regex -- the control characters are what this pattern finds
const CONTROL = /[\u0000-\u001f\u007f]/
// eslint-disable-next-line no-control-regex -- as above, every run of them
const CONTROL_RUNS = /[\u0000-\u001f\u007f]+/g

/** An order key as the console takes it: 1 to MAX_ORDER_ID_LENGTH characters, trimmed, no control characters. */
export const orderKeyOf = (raw: unknown): string | undefined => {
  if (typeof raw !== 'string') return undefined
  const key = raw.trim()
  return key === '' || key.length > MAX_ORDER_ID_LENGTH || CONTROL.test(key) ? undefined : key
}

/** A note every action needs: who asked and why, 1 to 500 characters, one line. */
export const noteOf = (raw: unknown): string | undefined => {
  if (typeof raw !== 'string') return undefined
  const note = raw.replace(CONTROL_RUNS, ' ').trim()
  return note === '' || note.length > 500 ? undefined : note
}

/** Journal entry ids for a replay: 1 to CONSOLE_REPLAY_MAX whole numbers, each once. */
export const replayIdsOf = (raw: unknown): readonly number[] | undefined => {
  const list = Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw]
  const ids: number[] = []
  for (const item of list) {
    const text = typeof item === 'number' ? String(item) : item
    if (typeof text !== 'string' || !/^\d{1,15}$/.test(text) || Number(text) < 1) return undefined
    if (!ids.includes(Number(text))) ids.push(Number(text))
  }
  return ids.length === 0 || ids.length > CONSOLE_REPLAY_MAX ? undefined : ids
}

/**
 * Where to go after an action or a sign-in: a path of the console only (never another host, never `//host`, no
 * backslash), else Today.
 */
export const consolePathOf = (raw: unknown): string =>
  typeof raw === 'string' &&
  /^\/console\/[A-Za-z0-9/_\-.~%?=&,:+#]*$/.test(raw) &&
  !raw.includes('//') &&
  !raw.includes('/..')
    ? raw
    : '/console/today'

export { listOf, oneOf } from '../http/query-values.js'

/** The journal's event-type filter: absent (undefined), an event type as sent (1 to 100 characters), or bad (null). */
export const eventTypeOf = (raw: string | undefined): string | undefined | null => {
  if (raw === undefined || raw.trim() === '') return undefined
  const type = raw.trim()
  return type.length > 100 || CONTROL.test(type) ? null : type
}

/** The journal's answered-status filter: absent (undefined), a status from 100 to 599, or bad (null). */
export const httpStatusOf = (raw: string | undefined): number | undefined | null => {
  if (raw === undefined || raw.trim() === '') return undefined
  return /^[1-5]\d\d$/.test(raw.trim()) ? Number(raw.trim()) : null
}
