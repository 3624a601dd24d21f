/**
 * The pieces of core that only this repository's own packages use (`@domino-sm/core/internals`): the edge's
 * statuses and detail texts, support actions' event types, text checks, and what tests of other packages need.
 * Not an API: it may change in any release. An embedding service uses the main entry (README, "Stable API").
 */

// The edge (adapter-http): statuses, detail texts and limits it shares with core.
export { ANSWERED_IN_TIME } from './journal/answered-status.js'
export { ANSWERED_LATE } from './journal/answered-status.js'
export { FOR_REVIEW } from './journal/entry-fact-builders.js'
export { formatQuantity } from './money/quantity.js'
export { isRequestEntry } from './journal/journal-summary.js'
export { journalPage } from './journal/journal-page.js'
export { lateDetail } from './journal/journal-at-commit.js'
export { MAX_READABLE_DEPTH } from './wire/decode-hook-body.js'
export { NEEDS_A_PERSON } from './use-cases/receive-hook-request.js'
export { withinBytes } from './journal/journal-page.js'

// Support actions and the change queue: event types and bodies the edge journals.
export { changeQueueConsumer } from './journal/retention.js'
export { changeQueueTable } from './journal/retention.js'
export { PERSONAL_DATA_ERASED_EVENT_TYPE } from './personal-data/erase-personal-data.js'
export { personalDataErasedBody } from './personal-data/erase-personal-data.js'
export { REVIEW_CLEARED_EVENT_TYPE } from './use-cases/clear-review.js'
export { reviewClearedBody } from './use-cases/clear-review.js'

// Text and JSON checks the edge applies before a body reaches core.
export { escapeUnstorableText } from './wire/primitive.codec.js'
export { nestedDeeperThan } from './json/deep-json.js'
export { unstorableTextReason } from './wire/primitive.codec.js'

// What tests and the test kit of the project use.
export { judgeTransition } from './order/order-status.js'
export { retentionPolicyAt } from './use-cases/apply-retention.js'
