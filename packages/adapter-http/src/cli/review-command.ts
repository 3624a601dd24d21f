import * as E from 'fp-ts/lib/Either.js'
import { randomUUID } from 'node:crypto'
import { clearReview, type Clock, type OriginalOrderId } from '@domino-sm/core'
import { REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody } from '@domino-sm/core/internals'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { terminalSafe } from '../support/terminal-text.js'

const systemClock: Clock = { now: () => new Date() }

/** A support action has no SberMarket deadline: its entry is journaled as answered in time. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

/**
 * `review clear --order KEY --note TEXT`: support clears the review mark of an order once a person has settled what
 * the hook could not read (docs/contract.md §4), on the store the configuration names; journaled as
 * `support.review-cleared` with the note. Prints what it did; the exit code is 0 when cleared or not marked, 1 when
 * there is no such order (2, a usage error, is decided before: `program.ts`).
 */
export const reviewCommand = async (
  config: AppConfig,
  key: string,
  note: string,
  write: (text: string) => void,
): Promise<number> => {
  const store = await openStore(config, systemClock, {}, 'command')
  const shown = terminalSafe(key)
  try {
    const now = systemClock.now()
    const receipt = {
      requestId: randomUUID(),
      receivedAt: now,
      answerBy: NO_DEADLINE,
      eventType: REVIEW_CLEARED_EVENT_TYPE,
      rawBody: reviewClearedBody(key, note),
    }
    const result = await clearReview({ orders: store.repository })(key as OriginalOrderId, note, receipt)()
    if (E.isLeft(result)) throw new Error(`review clear failed: ${result.left._tag}: ${result.left.reason}`)
    switch (result.right._tag) {
      case 'Cleared':
        write(`${shown}: review mark cleared (journaled as ${REVIEW_CLEARED_EVENT_TYPE})\n`)
        return 0
      case 'NotMarked':
        write(`${shown}: not marked for review; nothing changed\n`)
        return 0
      case 'NoSuchOrder':
        write(`${shown}: no such order\n`)
        return 1
    }
  } finally {
    await store.close()
  }
}
