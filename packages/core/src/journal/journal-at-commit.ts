import type { ApplyUpdateResult, CreateOrGetResult } from '../order/operation-result.js'
import type { OrderState } from '../order/order.js'
import type { OrderCreated, OrderUpdate } from '../order/order-event.js'
import { ANSWERED_IN_TIME, ANSWERED_LATE } from './answered-status.js'
import { createFacts, duplicateFacts, updateFacts } from './entry-fact-builders.js'
import type { EntryFacts } from './entry-facts.js'
import type { JournalEntry } from './journal-entry.js'
import type { RequestReceipt } from './request-receipt.js'

/**
 * The longest duration a journal entry records: what a 32-bit integer column holds (about 24 days). Only a
 * replayed or imported receipt with an old `receivedAt` comes near it.
 */
const MAX_JOURNAL_DURATION_MS = 2_147_483_647

/** The detail of an entry whose operation committed after the answer was due. */
export const lateDetail = (facts: EntryFacts): string => {
  const done = `the store committed ${facts.outcome} after the deadline; answered 503`
  return facts.detail === null ? done : `${done} (${facts.detail})`
}

/**
 * The journal entry of an order operation, completed at the moment its store commits (`committedAt`, read inside
 * the transaction just before the commit). Pure: every store calls it, so the rule is one: committed by
 * `answerBy`, the entry says 200; later, it says 503 (what the edge answered) and why. `durationMs` is the time
 * from arrival to commit, in whole milliseconds (at most `MAX_JOURNAL_DURATION_MS`).
 */
export const journalEntryAtCommit = (receipt: RequestReceipt, facts: EntryFacts, committedAt: Date): JournalEntry => {
  const late = committedAt.getTime() > receipt.answerBy.getTime()
  return {
    requestId: receipt.requestId,
    receivedAt: receipt.receivedAt,
    eventType: facts.eventType,
    originalOrderId: facts.originalOrderId,
    rawBody: receipt.rawBody,
    outcome: facts.outcome,
    httpStatus: late ? ANSWERED_LATE : ANSWERED_IN_TIME,
    durationMs: Math.min(MAX_JOURNAL_DURATION_MS, Math.max(0, committedAt.getTime() - receipt.receivedAt.getTime())),
    detail: late ? lateDetail(facts) : facts.detail,
    ...(receipt.replayOf === undefined ? {} : { replayOf: receipt.replayOf }),
  }
}

/**
 * The entry of a create, completed at commit. `created` is the event as the store addressed it (`addressedTo`): the
 * entry notes a create keyed by `orderUUID` alone that reached an order of another key.
 */
export const createJournalEntry = (
  receipt: RequestReceipt,
  originalOrderId: string,
  result: CreateOrGetResult,
  committedAt: Date,
  created?: OrderCreated,
): JournalEntry =>
  journalEntryAtCommit(receipt, createFacts(receipt.eventType, originalOrderId, result, created), committedAt)

/**
 * The entry of a create that finds its order, completed at commit; equal to `createJournalEntry` of an
 * `AlreadyExists` result, whatever the order holds, so a store may write it before it has read the order.
 */
export const duplicateJournalEntry = (
  receipt: RequestReceipt,
  originalOrderId: string,
  committedAt: Date,
): JournalEntry => journalEntryAtCommit(receipt, duplicateFacts(receipt.eventType, originalOrderId), committedAt)

/**
 * The entry of an update (pending included), completed at commit. `before` is the order (or its state: all the entry
 * reads of it) as read under lock (absent for a pending update): the entry notes a review mark the update cleared.
 */
export const updateJournalEntry = (
  receipt: RequestReceipt,
  update: OrderUpdate,
  result: ApplyUpdateResult,
  committedAt: Date,
  before?: OrderState,
): JournalEntry =>
  journalEntryAtCommit(
    receipt,
    updateFacts(receipt.eventType, update.originalOrderId, result, update, before),
    committedAt,
  )
