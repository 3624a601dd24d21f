import * as E from 'fp-ts/lib/Either.js'
import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { clearReview, REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody, type Clock, type OriginalOrderId } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'

const systemClock: Clock = { now: () => new Date() }

/** A support action has no SberMarket deadline: its entry is journaled as answered in time. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

export const REVIEW_USAGE = 'usage: domino-sbermarket-hook review clear --order KEY --note "who cleared it and why"\n'

/**
 * `review clear --order KEY --note TEXT`: support clears the review mark of an order once a person has settled what
 * the hook could not read (docs/contract.md §4), on the store the configuration names; journaled as
 * `support.review-cleared` with the note. Prints what it did; the exit code is 0 when cleared or not marked, 1 when
 * there is no such order, 2 for a usage error.
 */
export const reviewCommand = async (config: AppConfig, args: readonly string[], write: (text: string) => void): Promise<number> => {
  const [sub, ...rest] = args
  let parsed: { readonly order?: string | undefined; readonly note?: string | undefined }
  try {
    parsed = parseArgs({ args: [...rest], options: { order: { type: 'string' }, note: { type: 'string' } }, strict: true }).values
  } catch {
    parsed = {}
  }
  const key = parsed.order?.trim()
  const note = parsed.note?.trim()
  if (sub !== 'clear' || key === undefined || key === '' || note === undefined || note === '') {
    write(REVIEW_USAGE)
    return 2
  }
  const store = await openStore(config, systemClock)
  try {
    const now = systemClock.now()
    const receipt = { requestId: randomUUID(), receivedAt: now, answerBy: NO_DEADLINE, eventType: REVIEW_CLEARED_EVENT_TYPE, rawBody: reviewClearedBody(key, note) }
    const result = await clearReview({ orders: store.repository })(key as OriginalOrderId, note, receipt)()
    if (E.isLeft(result)) throw new Error(`review clear failed: ${result.left._tag}: ${result.left.reason}`)
    switch (result.right._tag) {
      case 'Cleared':
        write(`${key}: review mark cleared (journaled as ${REVIEW_CLEARED_EVENT_TYPE})\n`)
        return 0
      case 'NotMarked':
        write(`${key}: not marked for review; nothing changed\n`)
        return 0
      case 'NoSuchOrder':
        write(`${key}: no such order\n`)
        return 1
    }
  } finally {
    await store.close()
  }
}
