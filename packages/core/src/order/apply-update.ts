import type { DominoNumber } from './order-id.js'
import type { Order, OrderContent, OrderState, ReviewMark } from './order.js'
import type {
  OrderCreated,
  OrderUpdate,
  PendingApplied,
  PendingUpdate,
  StatusReported,
  UpdateOutcome,
} from './order-event.js'
import { isFinalStatus, judgeTransition } from './order-status.js'

/**
 * Whether an outcome changed the order, so that the store writes it back: `applied`, and `review` (the order's
 * review mark changed). Lines change only for an applied `OrderChanged`.
 */
export const changesOrder = (outcome: UpdateOutcome): outcome is 'applied' | 'review' =>
  outcome === 'applied' || outcome === 'review'

const withoutReview = (order: Order): Order => {
  if (order.review === undefined) return order
  const { review: _cleared, ...rest } = order
  return rest
}

/** The mark after an unreadable change: the reasons so far, then this change's; the change kept for support. */
const markAgain = (
  previous: ReviewMark | undefined,
  reasons: readonly string[],
  payloadJson: string,
  at: Date,
): ReviewMark => ({
  reasons: previous === undefined ? [...reasons] : [...previous.reasons, ...reasons],
  markedAt: at,
  unappliedChangeJson: payloadJson,
})

/** The result of a pure decision: what happened and the order as it is afterwards. */
export interface Decision {
  readonly outcome: Exclude<UpdateOutcome, 'pending'>
  readonly order: Order
}

/** What a status event decided on an order's state (`decideStatus`): the same state type, afterwards. */
export interface StatusDecision<S extends OrderState> {
  readonly outcome: Exclude<UpdateOutcome, 'pending' | 'review'>
  readonly order: S
}

/**
 * The rule of a status event (docs/contract.md §4: forward only, `cancelled` from any state before `delivered`,
 * final states final), on the order's state alone: it reads the status, and writes the status, `updatedAt` and the
 * cancellation the event carries; everything else of `state` (an `Order`'s content and payload too) is kept as it
 * is. `applyUpdate` decides every status event with it; a store that read only an `OrderState` calls it directly.
 */
export const decideStatus = <S extends OrderState>(state: S, update: StatusReported, at: Date): StatusDecision<S> => {
  const verdict = judgeTransition(state.status, update.status)
  if (verdict !== 'advance') return { outcome: verdict, order: state }
  const base: S = { ...state, status: update.status, updatedAt: at }
  return {
    outcome: 'applied',
    order: update.cancellation === undefined ? base : { ...base, cancellation: update.cancellation },
  }
}

/**
 * The state of an order (`OrderState`): what an update answers (`ApplyUpdateResult.order`), the same fields
 * whichever store decided it, so that a store that read the whole order answers what one that read its state does.
 */
export const orderStateOf = (order: OrderState): OrderState => ({
  originalOrderId: order.originalOrderId,
  number: order.number,
  status: order.status,
  ...(order.cancellation === undefined ? {} : { cancellation: order.cancellation }),
  ...(order.review === undefined ? {} : { review: order.review }),
  createdAt: order.createdAt,
  updatedAt: order.updatedAt,
})

const keepOrderUuid = (before: OrderContent, after: OrderContent): OrderContent =>
  after.orderUuid !== undefined || before.orderUuid === undefined ? after : { ...after, orderUuid: before.orderUuid }

/**
 * Decides what one update does to an existing order. Pure: the stores call it inside their transaction, with
 * the order read under lock, and write `order` back only when `changesOrder(outcome)` (its lines only for an
 * applied `OrderChanged`).
 */
export const applyUpdate = (order: Order, update: OrderUpdate, at: Date): Decision => {
  switch (update._tag) {
    case 'OrderChanged':
      if (isFinalStatus(order.status)) return { outcome: 'stale', order }
      // A change that reads cleanly replaces everything that was read before: a review mark has no more reason.
      // Except the orderUUID: an identifier, not content; a change keyed by originalOrderId alone does not unset it.
      return {
        outcome: 'applied',
        order: {
          ...withoutReview(order),
          content: keepOrderUuid(order.content, update.content),
          payloadJson: update.payloadJson,
          updatedAt: at,
        },
      }
    case 'ChangeUnreadable':
      if (isFinalStatus(order.status)) return { outcome: 'stale', order }
      return {
        outcome: 'review',
        order: { ...order, review: markAgain(order.review, update.reasons, update.payloadJson, at), updatedAt: at },
      }
    case 'ReviewCleared':
      if (order.review === undefined) return { outcome: 'duplicate', order }
      return { outcome: 'applied', order: { ...withoutReview(order), updatedAt: at } }
    case 'StatusReported':
      return decideStatus(order, update, at)
  }
}

/** A new order and what its pending updates did to it. */
export interface Opening {
  readonly order: Order
  readonly pendingApplied: readonly PendingApplied[]
}

/**
 * Builds the order that `order.created` creates, with the number the store allocated, and applies the updates
 * that overtook it. `pending` must be in the order the store received it (its insertion order, not the clocks of
 * several instances). The stores call it in the transaction that inserts the order.
 */
export const openOrder = (
  created: OrderCreated,
  number: DominoNumber,
  at: Date,
  pending: readonly PendingUpdate[],
): Opening => {
  const base: Order = {
    originalOrderId: created.originalOrderId,
    number,
    status: 'new',
    content: created.content,
    payloadJson: created.payloadJson,
    createdAt: at,
    updatedAt: at,
  }
  const initial: Order =
    created.unread === undefined || created.unread.length === 0
      ? base
      : { ...base, review: { reasons: [...created.unread], markedAt: at } }
  let order = initial
  const pendingApplied: PendingApplied[] = []
  for (const { update } of pending) {
    const decision = applyUpdate(order, update, at)
    order = decision.order
    pendingApplied.push({ update, outcome: decision.outcome })
  }
  return { order, pendingApplied }
}
