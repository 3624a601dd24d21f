import { InvalidArgumentError } from 'commander'
import { MAX_ORDER_ID_LENGTH } from '@domino-sm/core'
import { UsageError } from './cli-errors.js'

/**
 * commander's parser for an option that takes one value: a second `--order b` after `--order a` is refused instead
 * of silently replacing the first (which one the operator meant is a guess).
 */
export const once = (value: string, previous: string | undefined): string => {
  if (previous !== undefined) throw new InvalidArgumentError('given more than once; this option takes one value')
  return value
}

/** commander's parser for a repeatable option (`--id 1 --id 2`). */
export const collect = (value: string, previous: readonly string[] | undefined): readonly string[] => [
  ...(previous ?? []),
  value,
]

/**
 * An order key given to a support action. Refused when blank or longer than any key the hook accepts from SberMarket
 * (`MAX_ORDER_ID_LENGTH` in core): no such order can exist, and the action would journal the text.
 */
export const orderKeyOption = (text: string | undefined, option = '--order'): string => {
  const key = text?.trim() ?? ''
  if (key === '') throw new UsageError([`${option}: give the order key (originalOrderId)`])
  if (key.length > MAX_ORDER_ID_LENGTH)
    throw new UsageError([
      `${option}: an order key has at most ${MAX_ORDER_ID_LENGTH} characters; this one has ${key.length}`,
    ])
  return key
}

/** The longest note a support action journals: a sentence or two and a ticket number, never a document. */
const MAX_NOTE_LENGTH = 1000

/** The note a support action journals (who asked, why, the ticket): required, and at most `MAX_NOTE_LENGTH`. */
export const noteOption = (text: string | undefined): string => {
  const note = text?.trim() ?? ''
  if (note === '') throw new UsageError(['--note: say who asked and why (it is journaled with the action)'])
  if (note.length > MAX_NOTE_LENGTH)
    throw new UsageError([`--note: at most ${MAX_NOTE_LENGTH} characters; this one has ${note.length}`])
  return note
}
