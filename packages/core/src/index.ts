/**
 * @domino-sm/core: the pure domain of the SberMarket order hook. It imports only fp-ts and io-ts; everything
 * with I/O lives in adapters that implement the ports below.
 */
export { parseKopecks, formatKopecks, type Kopecks } from './money/kopecks.js'
export { parseQuantity, formatQuantity, QUANTITY_SCALE, type Quantity } from './money/quantity.js'
export { parseScaledDecimal, formatScaledDecimal, type DecimalProblem } from './money/scaled-decimal.js'

export { dominoNumberFromSequence, MAX_ORDER_ID_LENGTH, type DominoNumber, type OriginalOrderId } from './order/order-id.js'
export { ORDER_STATUSES, isFinalStatus, judgeTransition, type OrderStatus, type ReportedStatus, type TransitionVerdict } from './order/order-status.js'
export type { Address, Cancellation, Customer, DeliveryWindow, Order, OrderContent, OrderLine, OrderTotal, ReviewMark } from './order/order.js'
export type {
  ChangeUnreadable,
  OrderChanged,
  OrderCreated,
  OrderEvent,
  OrderUpdate,
  PendingApplied,
  PendingUpdate,
  ReviewCleared,
  StatusReported,
  UpdateOutcome,
} from './order/order-event.js'
export { applyUpdate, changesOrder, openOrder, type Decision, type Opening } from './order/apply-update.js'
export { addressedTo, appliedFromOrderUuid, orderUuidToFind, pendingKeysOf, reachedByOrderUuid } from './order/order-uuid-key.js'

export { isRequestId, OUTCOMES, REQUEST_ID_PATTERN, type JournalEntry, type JournalRecord, type Outcome } from './journal/journal-entry.js'
export { journalEntry, type Delivery, type EntryFacts } from './journal/entry-facts.js'
/** @deprecated The earlier name of `EntryFacts`, kept so that services embedding core build unchanged. */
export type { EntryFacts as ReceiptFacts } from './journal/entry-facts.js'
export { type JournalStamp, type Journaled, type RequestReceipt, stampOf } from './journal/request-receipt.js'
export { ANSWERED_IN_TIME, ANSWERED_LATE } from './journal/answered-status.js'
export { createFacts, FOR_REVIEW, updateFacts } from './journal/entry-fact-builders.js'
export {
  createJournalEntry,
  duplicateJournalEntry,
  journalEntryAtCommit,
  lateDetail,
  MAX_JOURNAL_DURATION_MS,
  updateJournalEntry,
} from './journal/journal-at-commit.js'
export { committedAfterAnswerDetail, entryOnAnswer, entryOnCommit } from './journal/one-entry-per-request.js'
export { MAX_JOURNAL_PAGE, matchesJournalQuery, type FoundJournalRecord, type JournalQuery } from './journal/journal-query.js'
export {
  inSummaryRange,
  isRequestEntry,
  journalSummaryOf,
  journalSummaryOfGroups,
  MAX_REVIEW_LIST,
  summariseEntries,
  SUPPORT_EVENT_TYPE_PREFIX,
  type JournalSummary,
  type JournalSummaryQuery,
  type OrderForReview,
  type OutcomeCount,
  type StatusCount,
  type SummaryGroup,
} from './journal/journal-summary.js'
export { journalPage, withinBytes, type JournalPage, type PageRequest } from './journal/journal-page.js'
export {
  eraseBody,
  eraseFromBody,
  eraseFromOrder,
  erasureJournalEntry,
  holdsPersonalData,
  orderHoldsPersonalData,
  PERSONAL_DATA_ERASED_EVENT_TYPE,
  PERSONAL_DATA_KEYS,
  personalDataErasedBody,
  retentionErasureReceipt,
  type BodyErasure,
  type ErasureCounts,
  type ErasureReport,
} from './personal-data/erase-personal-data.js'
export {
  changeQueueConsumer,
  changeQueueTable,
  expiredPendingEntry,
  type RetentionPolicy,
  type RetentionReport,
  type StoreStats,
  type TableStats,
} from './journal/retention.js'

export type { Clock } from './ports/clock.port.js'
export type { TokenVerifier } from './ports/token-verifier.port.js'
export type { ApplyUpdateResult, CreateOrGetResult, OrderRepository } from './ports/order-repository.port.js'
export { isPermanent, storeFailure, storePermanent, storeTimeout, storeUnavailable, type RepositoryError } from './ports/repository-error.js'

export { escapeUnstorableText, Flag, Money, NonBlankText, OriginalOrderIdCodec, QuantityCodec, readKeyText, Text, optional, unstorableTextReason, type KeyProblem } from './wire/primitive.codec.js'
export { readPayloadKey, type PayloadKey } from './wire/order-key.js'
export { parseWithExactKeys } from './wire/exact-key.js'
export { ORDER_UUID_KEY, ORIGINAL_ORDER_ID_KEY } from './wire/wire-forms.js'
export {
  ABSENT_SAMPLES,
  CANCELLATION_REASON,
  FORM_SAMPLES,
  KEY_SAMPLES,
  MARKING_CODE_VALUE_WIRE,
  ORDER_ENTRIES,
  POSITION_FIELDS,
  POSITIONS_KEY,
  type FieldSpec,
  type Form,
} from './wire/wire-forms.js'
export { nestedDeeperThan, omitMembers, omitMembersFromText, someKeyDeep, stringifyDeep, stringifyJson } from './json/deep-json.js'
export { WireAddress, WireCustomer, WireDelivery, WireOrderPayload, WirePosition, WireTotal } from './wire/order-payload.codec.js'
export { WireCancellationReason, WireStatusPayload } from './wire/status-payload.codec.js'
export { EVENT_TYPE_KEYS, eventKindOf, KNOWN_EVENT_TYPES, type KnownEventKind } from './wire/event-type.js'
export { decodeHookBody, decodeHookBodyByCodecs, MAX_READABLE_DEPTH, type HookMessage, type UnreadablePolicy } from './wire/decode-hook-body.js'
export { fastOrderPayload, type FastOrder } from './wire/fast-order-payload.js'
export { fastStatusPayload, type FastStatus } from './wire/fast-status-payload.js'
export type { HookProblem } from './wire/hook-problem.js'
export { pendingUpdateFromBody } from './wire/pending-update.js'

export {
  NEEDS_A_PERSON,
  receiveHookRequest,
  storeFailedDetail,
  type HookAnswer,
  type HookFailure,
  type HookRequest,
  type HookSuccess,
  type ReceiveHookDeps,
} from './use-cases/receive-hook-request.js'
export { lookUpOrder, orderHistory, orderHistoryPage } from './use-cases/look-up-order.js'
export { clearReview, REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody, type ClearReviewResult } from './use-cases/clear-review.js'
export { forecastReplay, replayabilityOf, replayEntry, type Replayability, type ReplayDeps, type ReplayResult } from './use-cases/replay-journal.js'
export { applyRetentionPolicy, retentionPolicyAt, type RetentionSettings } from './use-cases/apply-retention.js'
