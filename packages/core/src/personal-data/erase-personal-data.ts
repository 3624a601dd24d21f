import type { JournalEntry } from '../journal/journal-entry.js'
import { journalEntryAtCommit } from '../journal/journal-at-commit.js'
import type { JournalStamp, RequestReceipt } from '../journal/request-receipt.js'
import type { Order } from '../order/order.js'
import { omitMembers, omitMembersFromText } from '../json/deep-json.js'

/** The event type the journal records for an erasure of a customer's personal data (not a SberMarket event). */
export const PERSONAL_DATA_ERASED_EVENT_TYPE = 'support.personal-data-erased'

/**
 * The keys of a body's JSON whose values are the customer's personal data: the wire's `customer` (name, phone,
 * e-mail) and `address` groups (docs/contract.md §3), wherever they appear. Everything else (the key, lines,
 * statuses, times) stays.
 */
const PERSONAL_DATA_KEYS: ReadonlySet<string> = new Set(['customer', 'address'])

const isPersonal = (key: string): boolean => PERSONAL_DATA_KEYS.has(key)

/**
 * A request body (or a payload) without the customer's personal data: the JSON without its `customer` and `address`
 * groups, wherever they are. The text is edited, not re-written from a parse: whatever else the body holds stays as
 * sent (an integer key's digits beyond 2^53, `1.50`), and a body of any depth the hook accepts is erased, never left
 * behind because it was too deep to walk. A body that is not JSON (rejected as malformed, or bytes kept in base64)
 * cannot be searched, so it is dropped whole: null.
 */
export const eraseFromBody = (raw: string): string | null => {
  const erasure = eraseBody(raw)
  return erasure._tag === 'Erased' ? erasure.body : omitMembersFromText(raw, isPersonal)
}

/** What an erasure does to one body: nothing (it holds no personal data), or rewrites it (`body`; null: drop it whole). */
export type BodyErasure = { readonly _tag: 'Clean' } | { readonly _tag: 'Erased'; readonly body: string | null }

const CLEAN: BodyErasure = { _tag: 'Clean' }

/**
 * `holdsPersonalData` and `eraseFromBody` of one body at once: the body is parsed once (only to know that it is
 * JSON) and its text scanned once. For the stores' erasures: a body nested as deep as 1 MiB allows costs JSON.parse
 * alone a few hundred milliseconds, and each body was parsed twice.
 */
export const eraseBody = (raw: string): BodyErasure => {
  try {
    JSON.parse(raw)
  } catch {
    return { _tag: 'Erased', body: null }
  }
  const { text, removed } = omitMembers(raw, isPersonal)
  return removed > 0 ? { _tag: 'Erased', body: text } : CLEAN
}

/**
 * Whether a body holds personal data by `eraseFromBody`'s rule: a JSON body with a `customer` or `address` group, or
 * a body that is not JSON (it cannot be searched). An erasure rewrites only these.
 */
export const holdsPersonalData = (raw: string): boolean => eraseBody(raw)._tag === 'Erased'

/**
 * An order without its customer's name, phone, e-mail and address, in its content, its payload and the change kept
 * for review; its key, number, status, lines, totals and times stay. `updatedAt` stays too: an erasure is not a
 * change of the order that Domino's jobs act on.
 */
export const eraseFromOrder = (order: Order): Order => {
  const { customer: _customer, address: _address, ...content } = order.content
  const review =
    order.review?.unappliedChangeJson === undefined
      ? order.review
      : (() => {
          const { unappliedChangeJson, ...mark } = order.review
          const erased = eraseFromBody(unappliedChangeJson)
          return erased === null ? mark : { ...mark, unappliedChangeJson: erased }
        })()
  return {
    ...order,
    content,
    payloadJson: eraseFromBody(order.payloadJson) ?? '{}',
    ...(review === undefined ? {} : { review }),
  }
}

/** The body the journal keeps for an erasure: what was done and why, as JSON (no personal data). */
export const personalDataErasedBody = (originalOrderId: string, note: string, operator?: string): string =>
  JSON.stringify({
    event_type: PERSONAL_DATA_ERASED_EVENT_TYPE,
    payload: { originalOrderId, note, ...(operator === undefined ? {} : { operator }) },
  })

/** What one erasure changed, by kind of row, and its journal entry. */
export interface ErasureReport {
  /** Whether the order was found (an erasure of a key without an order still clears its journal and pending bodies). */
  readonly orderFound: boolean
  /** Journal bodies of the key rewritten (those without personal data are left as they were). */
  readonly journalBodiesErased: number
  /** Pending updates of the key whose body was rewritten. */
  readonly pendingBodiesErased: number
  readonly journal: JournalStamp
}

/** The counts of an erasure, before its entry is written. */
export type ErasureCounts = Omit<ErasureReport, 'journal'>

/** The journal entry of an erasure (one per run, per key): its facts say what was erased, never what it was. */
export const erasureJournalEntry = (
  receipt: RequestReceipt,
  originalOrderId: string,
  counts: ErasureCounts,
  committedAt: Date,
): JournalEntry =>
  journalEntryAtCommit(
    receipt,
    {
      eventType: receipt.eventType,
      originalOrderId,
      outcome: 'applied',
      detail:
        `personal data erased: ${counts.orderFound ? 'the order' : 'no order'}, ` +
        `${counts.journalBodiesErased} journal bodies, ${counts.pendingBodiesErased} pending updates`,
    },
    committedAt,
  )

/** Far enough ahead that no clock passes it: an erasure has no SberMarket waiting, and is never journaled as late. */
const NO_DEADLINE = new Date(Date.UTC(9999, 0, 1))

/**
 * The receipt of an erasure the retention policy makes (`RetentionPolicy.eraseClosedOrdersBefore`): journaled like
 * `personal-data erase`, with a note saying it was the policy. `requestId` is the store's (a fresh UUID).
 */
export const retentionErasureReceipt = (
  originalOrderId: string,
  closedBefore: Date,
  now: Date,
  requestId: string,
): RequestReceipt => ({
  requestId,
  receivedAt: now,
  answerBy: NO_DEADLINE,
  eventType: PERSONAL_DATA_ERASED_EVENT_TYPE,
  rawBody: personalDataErasedBody(
    originalOrderId,
    `retention policy: delivered or cancelled, last changed before ${closedBefore.toISOString()}`,
  ),
})
