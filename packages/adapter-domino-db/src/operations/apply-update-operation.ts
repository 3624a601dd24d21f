import {
  addressedTo,
  applyUpdate as decideUpdate,
  changesOrder,
  decideStatus,
  orderStateOf,
  stampOf,
  updateJournalEntry,
  type ApplyUpdateResult,
  type Journaled,
  type OrderState,
  type OrderUpdate,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { RowShapeError } from '../driver/sql-error.js'
import { readInteger, type Row } from '../rows/column-values.js'
import { headerIdOf, orderFromRows } from '../rows/order-row-mapping.js'
import { stateFromRow } from '../rows/order-state-mapping.js'
import { changeKindOf } from '../sql/change-statements.js'
import { JOURNAL_ID_COLUMN } from '../sql/journal-statements.js'
import { lookupOf, ROW_VERSION_COLUMN } from '../sql/order-statements.js'
import { inTransaction, outsideTransaction, type Recordsets } from '../driver/requests.js'
import { MAX_PARAMETERS_PER_REQUEST, packed, together, type SqlStatement } from '../sql/sql-statement.js'
import { VERSION_CONFLICT_COLUMN } from '../sql/checked-batch.js'
import { keysOf, type SeenOrder } from '../sql/update-statements.js'
import { rowWith } from './create-or-get-operation.js'
import { operationJournalWrite, type OperationJournalWrite } from './journal-write.js'
import { retryWithinBudget, type OperationContext } from './operation-context.js'

/** Parameters kept free in a checked write for its locks and its check (`checkedWrite` adds at most 7). */
const CHECK_PARAMETERS = 16

/**
 * How many checked writes one attempt sends before it takes the key lock for the whole decision instead. Each
 * conflict means another operation changed the order (or journaled the request) between this one's read and its
 * write: in a burst of copies of one event only the first changes it, so the others conflict once and then write.
 */
const MAX_CHECKED_WRITES = 4

/** What an update decided on the rows it was given, and the writes that carry it out. */
interface Decided {
  readonly result: ApplyUpdateResult
  readonly writes: readonly SqlStatement[]
  readonly journal: OperationJournalWrite
  /**
   * The order's state as `writes` leave it, when they change it (with `committedAt`, the time of its change row):
   * all that a status event's write (`statusWrite`) writes of it.
   */
  readonly changed: OrderState | undefined
  readonly committedAt: Date
}

/**
 * Core's decision on an order's rows (`header` undefined: no order, the update is kept pending): `addressedTo`,
 * `applyUpdate`, `updateJournalEntry`, exactly as every store decides; then the writes of the decision: the change
 * (or the pending row, or nothing for a stale or duplicate event), the change rows of the consumers when the order
 * changed (`changes.recordChange`), and the request's one journal entry. A status event is decided on the order's
 * state alone (core's `decideStatus`, which `applyUpdate` uses for it: one rule), taken from `header` whether it is
 * the state's row (`readStateForUpdate`, no lines) or the whole order's (every other read, a conflict's answer).
 */
const decide = (
  context: OperationContext,
  received: OrderUpdate,
  receipt: RequestReceipt,
  header: Row | undefined,
  lines: readonly Row[],
  found: Row | undefined,
): Decided => {
  const writes: SqlStatement[] = []
  let result: ApplyUpdateResult
  let before: OrderState | undefined
  let changed: OrderState | undefined
  let update = received
  const committedAt = context.clock.now()
  if (header === undefined) {
    result = { outcome: 'pending' }
    writes.push(
      context.orders.insertPending(received.originalOrderId, receipt.rawBody, receipt.receivedAt, committedAt),
    )
  } else if (received._tag === 'StatusReported') {
    const state = stateFromRow(header)
    const status = addressedTo(received, state)
    const decision = decideStatus(state, status, receipt.receivedAt)
    before = state
    update = status
    result = { outcome: decision.outcome, order: decision.order }
    // An applied status writes only what it changes.
    if (changesOrder(decision.outcome)) {
      changed = decision.order
      writes.push(context.updates.updateStatus(headerIdOf(header), decision.order))
      writes.push(context.changes.recordChange(decision.order, changeKindOf(status), committedAt))
    }
  } else {
    const order = orderFromRows(header, lines)
    before = order
    update = addressedTo(received, order)
    const decision = decideUpdate(order, update, receipt.receivedAt)
    result = { outcome: decision.outcome, order: orderStateOf(decision.order) }
    // A review outcome rewrites the header (its mark); only an applied order.changed replaces the lines.
    if (changesOrder(decision.outcome)) {
      changed = decision.order
      writes.push(
        ...context.orders.updateOrder(
          headerIdOf(header),
          decision.order,
          update._tag === 'OrderChanged' && decision.outcome === 'applied',
        ),
      )
      writes.push(context.changes.recordChange(decision.order, changeKindOf(update), committedAt))
    }
  }
  const journal = operationJournalWrite(
    context.journal,
    updateJournalEntry(receipt, update, result, committedAt, before),
    found,
    committedAt,
  )
  return { result, writes, journal, changed, committedAt }
}

const journaled = (decided: Decided, answer: Recordsets): Journaled<ApplyUpdateResult> => ({
  result: decided.result,
  journal: stampOf(
    readInteger(rowWith(answer, JOURNAL_ID_COLUMN) ?? {}, 'journal', JOURNAL_ID_COLUMN),
    decided.journal.written,
  ),
})

/** The version of the order a read found, which the write checks. */
const seenOf = (header: Row | undefined, found: Row | undefined): SeenOrder => {
  const requestIdAbsent = found === undefined
  if (header === undefined) return { requestIdAbsent }
  const version = header[ROW_VERSION_COLUMN]
  if (!Buffer.isBuffer(version) || version.length !== 8) throw new RowShapeError('order_header', ROW_VERSION_COLUMN)
  return { order: { id: headerIdOf(header), version }, requestIdAbsent }
}

/**
 * The answer of `readStateForUpdate` (the order's state row, the request's entry) in the places of `readForUpdate`'s
 * (header, lines, entry): a status event's decision reads no lines.
 */
const stateRead = ([headers, journalRows]: Recordsets): Recordsets => [headers ?? [], [], journalRows ?? []]

/**
 * The decision under the key lock for its whole length, through mssql's `Transaction` (begin, read under the lock,
 * write, commit: 4 round trips, more for an order.changed of more than about 180 lines): for writes too long for
 * one request, and for an update whose checked writes kept meeting changes of its order (`MAX_CHECKED_WRITES`).
 */
const lockedUpdate = (
  context: OperationContext,
  budget: OperationBudget,
  received: OrderUpdate,
  receipt: RequestReceipt,
): Promise<Journaled<ApplyUpdateResult>> =>
  inTransaction(context.pool, budget, async (send) => {
    const read = together([
      context.orders.lockAndRead(received.originalOrderId, budget.lockWaitMs(), false, lookupOf(received)),
      context.journal.ofRequest(receipt.requestId, false),
    ])
    const [headers, lines, journalRows] = await send(read)
    const decided = decide(context, received, receipt, headers?.[0], lines ?? [], journalRows?.[0])
    let answer: Recordsets = []
    for (const request of packed([...decided.writes, decided.journal.statement])) answer = await send(request)
    return journaled(decided, answer)
  })

/**
 * `applyUpdate` in two round trips (docs/domino-integration.md §5). Request 1, in autocommit and locking nothing,
 * reads the order the event reaches (by its key; an event keyed by `orderUUID` alone, or with one beside its key,
 * also the order that has it under another key: core's `orderUuidToFind`, `addressedTo`, decided and journaled under
 * that order's key) with its `row_version`, and the request's journal entry if the edge wrote one. For a status event
 * keyed by its `originalOrderId` alone it reads only the order's state (the procedure `hook_read_state_for_update` of
 * migration 0015, `updates.readStateForUpdate`: no content, no payload, no lines), all that core decides a status on
 * (`decideStatus`). Core decides.
 * Request 2 (`updates.checkedWrite`) begins, takes the key's lock (and the reached order's), checks that the order
 * is still at the version read (or still absent, for a pending write), writes the change (or the pending row, or
 * nothing for a stale or duplicate event) with the request's one journal entry and, when the order changed, one
 * change row per registered consumer, and commits; or, when the order changed meanwhile, answers its current rows,
 * read under the lock, and rolls back: core decides again on them and request 2 goes again (one more round trip per
 * conflict, never a read queued behind the key's writers). For a status event keyed by its `originalOrderId` alone on
 * an order the read found, request 2 is the procedure `hook_status_write` of migration 0012 (`updates.statusWrite`:
 * the same lock, check, writes and answers, compiled once per session on the T-SQL engine instead of on every call);
 * every other shape sends the text. Writes too long for one request, and an update that met
 * `MAX_CHECKED_WRITES` conflicts, run under the lock for their whole length (`lockedUpdate`). A deadlock victim or a
 * duplicate key (the request journaled meanwhile by the edge) runs the whole attempt again (`retryWithinBudget`).
 */
export const applyUpdateOperation = (
  context: OperationContext,
  budget: OperationBudget,
  received: OrderUpdate,
  receipt: RequestReceipt,
): Promise<Journaled<ApplyUpdateResult>> =>
  retryWithinBudget('applyUpdate', budget, async () => {
    const key = received.originalOrderId
    const lookup = lookupOf(received)
    const statusByKey = received._tag === 'StatusReported' && !keysOf(lookup).byUuid
    const ofRequest = context.journal.ofRequest(receipt.requestId, false)
    let [headers, lines, journalRows] = statusByKey
      ? stateRead(await outsideTransaction(context.pool, budget, context.updates.readStateForUpdate(key, ofRequest)))
      : await outsideTransaction(context.pool, budget, context.updates.readForUpdate(key, lookup, ofRequest))
    for (let tries = 1; tries <= MAX_CHECKED_WRITES; tries += 1) {
      const header = headers?.[0]
      const found = journalRows?.[0]
      const decided = decide(context, received, receipt, header, lines ?? [], found)
      const seen = seenOf(header, found)
      if (statusByKey && seen.order !== undefined) {
        const answer = await outsideTransaction(
          context.pool,
          budget,
          context.updates.statusWrite({
            originalOrderId: key,
            requestId: receipt.requestId,
            lockWaitMs: budget.lockWaitMs(),
            seen: seen.order,
            changed: decided.changed === undefined ? undefined : { order: decided.changed, at: decided.committedAt },
            entry: decided.journal.written,
            storedAt: decided.committedAt,
            rewrites: decided.journal.rewrites,
          }),
        )
        if (rowWith(answer, VERSION_CONFLICT_COLUMN) === undefined) return journaled(decided, answer)
        ;[headers, lines, journalRows] = answer
        continue
      }
      const requests = packed(
        [...decided.writes, decided.journal.statement],
        MAX_PARAMETERS_PER_REQUEST - 1 - CHECK_PARAMETERS,
      )
      const [writes] = requests
      if (writes === undefined || requests.length > 1) break
      const answer = await outsideTransaction(
        context.pool,
        budget,
        context.updates.checkedWrite(key, budget.lockWaitMs(), lookup, seen, ofRequest, writes),
      )
      if (rowWith(answer, VERSION_CONFLICT_COLUMN) === undefined) return journaled(decided, answer)
      ;[headers, lines, journalRows] = answer
    }
    return lockedUpdate(context, budget, received, receipt)
  })
