import {
  createJournalEntry,
  dominoNumberFromSequence,
  duplicateJournalEntry,
  openOrder,
  stampOf,
  type CreateOrGetResult,
  type Journaled,
  type JournalEntry,
  type OrderCreated,
  type RequestReceipt,
} from '@domino-sm/core'
import type { OperationBudget } from '../driver/operation-budget.js'
import { classifySqlError, RowShapeError } from '../driver/sql-error.js'
import { outsideTransaction, type Recordsets } from '../driver/requests.js'
import { readInteger, readOptionalInteger, readText, type Row } from '../rows/column-values.js'
import { orderFromRows } from '../rows/order-row-mapping.js'
import { createKeysOf, type CreateSeen, type PendingSeen } from '../sql/create-statements.js'
import { ORDER_ID_COLUMN, type KeyLookup } from '../sql/order-statements.js'
import { together, type SqlStatement } from '../sql/sql-statement.js'
import { VERSION_CONFLICT_COLUMN } from '../sql/checked-batch.js'
import { createLookupOf, journalIdOf, lockedCreate, pendingOf, rowWith } from './locked-create.js'
import { operationJournalWrite } from './journal-write.js'
import { retryWithinBudget, type OperationContext } from './operation-context.js'

export { rowWith } from './locked-create.js'

/**
 * How many checked creates one attempt sends before it decides under the key lock instead. A conflict means a
 * pending update of the key was written (or expired) between the read and the write: rare, as the order it waits for
 * is the one being created.
 */
const MAX_CHECKED_CREATES = 3

/** The column of the last row of `hook_duplicate_create` (migration 0011): 1 when it journaled a duplicate. */
const DUPLICATE_COLUMN = 'duplicate'

/** What request 1 of a create found. */
type Probed =
  | { readonly _tag: 'Duplicate'; readonly journaled: Journaled<CreateOrGetResult> }
  | { readonly _tag: 'New'; readonly pendingRows: readonly Row[]; readonly sequence: number }
  | { readonly _tag: 'Locked' }
  /** The call found no order, and the check after it found one: created meanwhile by another copy, or journaled first. */
  | { readonly _tag: 'Appeared' }

const LOCKED: Probed = { _tag: 'Locked' }

/** The duplicate `hook_duplicate_create` journaled (its flag 1), or undefined (flag 0: it changed nothing). */
const duplicateOf = (answer: Recordsets, entry: JournalEntry): Journaled<CreateOrGetResult> | undefined => {
  const flag = rowWith(answer, DUPLICATE_COLUMN)?.[DUPLICATE_COLUMN]
  if (flag !== true && flag !== 1) return undefined
  const [headers, lines] = answer
  const header = headers?.[0]
  if (header === undefined) throw new RowShapeError('order_header', 'original_order_id')
  return {
    result: { _tag: 'AlreadyExists', order: orderFromRows(header, lines ?? []) },
    journal: stampOf(journalIdOf(answer), entry),
  }
}

/** The pending rows of `key` among those read: how many, and the highest id. */
const pendingSeenOf = (rows: readonly Row[], key: string): PendingSeen => {
  const ids = rows
    .filter((row) => readText(row, 'pending_update', 'original_order_id') === key)
    .map((row) => readInteger(row, 'pending_update', 'id'))
  return { count: ids.length, maxId: ids.reduce((max, id) => Math.max(max, id), 0) }
}

/** The call of `hook_duplicate_create` for this request, its entry completed now, with the lock wait given. */
const duplicateCall = (
  context: OperationContext,
  event: OrderCreated,
  receipt: RequestReceipt,
  lockWaitMs: number,
): { readonly statement: SqlStatement; readonly entry: JournalEntry } => {
  const at = context.clock.now()
  const entry = duplicateJournalEntry(receipt, event.originalOrderId, at)
  return { statement: context.orders.duplicateInOneRequest(event.originalOrderId, lockWaitMs, entry, at), entry }
}

/**
 * Request 1 of a create (`creates.probe`, autocommit, no lock held afterwards): SberMarket's retry of a known order
 * is answered and journaled by it (`Duplicate`, 1 round trip); a new order gets what `openOrder` needs (`New`). Every
 * other case (an order found by its `orderUUID` under another key, a request the edge journaled first, an order
 * created between the statements of the read, a duplicate key on the retry's entry) is decided under the lock
 * (`Locked`).
 */
const probe = async (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
  lookup: KeyLookup,
): Promise<Probed> => {
  const duplicate = duplicateCall(context, event, receipt, budget.lockWaitMs())
  let answer: Recordsets
  try {
    answer = await outsideTransaction(
      context.pool,
      budget,
      context.creates.probe(duplicate.statement, lookup, 'entry_request_id'),
    )
  } catch (error) {
    if (classifySqlError('createOrGet', error)._tag === 'DuplicateKey') return LOCKED
    throw error
  }
  const journaled = duplicateOf(answer, duplicate.entry)
  if (journaled !== undefined) return { _tag: 'Duplicate', journaled }
  const flagAt = answer.findIndex((recordset) => recordset[0] !== undefined && DUPLICATE_COLUMN in recordset[0])
  const reads = answer.slice(flagAt + 1)
  if (flagAt < 0) return LOCKED
  // No reads: the order of the key exists (created since the call looked, or the request journaled first by the edge).
  if (reads.length === 0) return { _tag: 'Appeared' }
  const [headers, , pendingRows, journalRows, numbers] = createKeysOf(lookup).byUuid ? reads : [[], [], ...reads]
  if (headers?.[0] !== undefined || journalRows?.[0] !== undefined) return LOCKED
  const sequence = readOptionalInteger(numbers?.[0] ?? {}, 'domino_number_seq', 'next_number')
  return sequence === undefined ? LOCKED : { _tag: 'New', pendingRows: pendingRows ?? [], sequence }
}

/**
 * One attempt of a create: the probe, then for a new order core's decision (`openOrder`, `createJournalEntry`) and
 * the checked create (`creates.checkedCreate`, one request): it writes the order and commits; or, when another copy
 * of the order.created created it meanwhile, journals this request as its duplicate in the same request; or, when the
 * pending updates changed, answers them and the decision is made again on them with the same number (one more
 * request per conflict). What it does not check itself runs under the lock (`lockedCreate`).
 */
const attempt = async (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
): Promise<Journaled<CreateOrGetResult>> => {
  const lookup = createLookupOf(event)
  let probed = await probe(context, budget, event, receipt, lookup)
  // Another copy created the order between the call and the check after it (a burst of copies): the call again
  // journals this request as its duplicate, one request instead of the four of the locked path.
  if (probed._tag === 'Appeared') probed = await probe(context, budget, event, receipt, lookup)
  if (probed._tag === 'Duplicate') return probed.journaled
  if (probed._tag !== 'New') return lockedCreate(context, budget, event, receipt)
  const key = event.originalOrderId
  const { pendingUuid } = createKeysOf(lookup)
  let pendingRows = probed.pendingRows
  for (let tries = 1; tries <= MAX_CHECKED_CREATES; tries += 1) {
    const committedAt = context.clock.now()
    const opening = openOrder(
      event,
      dominoNumberFromSequence(probed.sequence),
      receipt.receivedAt,
      pendingOf(pendingRows),
    )
    const result: CreateOrGetResult = { _tag: 'Created', order: opening.order, pendingApplied: opening.pendingApplied }
    const journal = operationJournalWrite(
      context.journal,
      createJournalEntry(receipt, key, result, committedAt),
      undefined,
      committedAt,
    )
    const writes = context.orders.createOrder(
      opening.order,
      together([context.changes.recordChange(opening.order, 'created', committedAt), journal.statement]),
      pendingUuid,
    )
    // An order of more than 150 lines is written in more requests than one: under the lock for its whole length.
    if (!writes.complete) break
    const seen: CreateSeen = {
      key: pendingSeenOf(pendingRows, key),
      ...(pendingUuid === undefined ? {} : { uuid: pendingSeenOf(pendingRows, pendingUuid) }),
    }
    const lockWaitMs = budget.lockWaitMs()
    const duplicate = duplicateCall(context, event, receipt, lockWaitMs)
    const answer = await outsideTransaction(
      context.pool,
      budget,
      context.creates.checkedCreate(key, lockWaitMs, lookup, seen, duplicate.statement, writes.first),
    )
    if (rowWith(answer, ORDER_ID_COLUMN) !== undefined)
      return { result, journal: stampOf(journalIdOf(answer), journal.written) }
    const journaled = duplicateOf(answer, duplicate.entry)
    if (journaled !== undefined) return journaled
    if (rowWith(answer, VERSION_CONFLICT_COLUMN) === undefined) break
    pendingRows = answer[0] ?? []
  }
  return lockedCreate(context, budget, event, receipt)
}

/**
 * `createOrGet` in two round trips (docs/domino-integration.md §5): request 1 answers SberMarket's retry of a known
 * order by itself (1 round trip) or reads, locking nothing, what a new order needs; core decides; request 2 begins,
 * locks, checks and writes (or journals the duplicate of a copy that lost the race) and commits. A deadlock victim
 * or a duplicate key (the request journaled meanwhile by the edge) runs the whole attempt again
 * (`retryWithinBudget`).
 */
export const createOrGetOperation = (
  context: OperationContext,
  budget: OperationBudget,
  event: OrderCreated,
  receipt: RequestReceipt,
): Promise<Journaled<CreateOrGetResult>> =>
  retryWithinBudget('createOrGet', budget, () => attempt(context, budget, event, receipt))
