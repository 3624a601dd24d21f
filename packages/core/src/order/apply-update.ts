import type { DominoNumber } from './order-id.js'
import type { Order } from './order.js'
import type { OrderCreated, OrderUpdate, PendingApplied, PendingUpdate, UpdateOutcome } from './order-event.js'
import { isFinalStatus, judgeTransition } from './order-status.js'

/** The result of a pure decision: what happened and the order as it is afterwards. */
export interface Decision {
  readonly outcome: Exclude<UpdateOutcome, 'pending'>
  readonly order: Order
}

/**
 * Decides what one update does to an existing order. Pure: the stores call it inside their transaction, with
 * the order read under lock, and write `order` back only when `outcome` is `applied`.
 */
export const applyUpdate = (order: Order, update: OrderUpdate, at: Date): Decision => {
  switch (update._tag) {
    case 'OrderChanged':
      if (isFinalStatus(order.status)) return { outcome: 'stale', order }
      return {
        outcome: 'applied',
        order: { ...order, content: update.content, payloadJson: update.payloadJson, updatedAt: at },
      }
    case 'StatusReported': {
      const verdict = judgeTransition(order.status, update.status)
      if (verdict !== 'advance') return { outcome: verdict, order }
      const base: Order = { ...order, status: update.status, updatedAt: at }
      return { outcome: 'applied', order: update.cancellation === undefined ? base : { ...base, cancellation: update.cancellation } }
    }
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
export const openOrder = (created: OrderCreated, number: DominoNumber, at: Date, pending: readonly PendingUpdate[]): Opening => {
  const initial: Order = {
    originalOrderId: created.originalOrderId,
    number,
    status: 'new',
    content: created.content,
    payloadJson: created.payloadJson,
    createdAt: at,
    updatedAt: at,
  }
  let order = initial
  const pendingApplied: PendingApplied[] = []
  for (const { update } of pending) {
    const decision = applyUpdate(order, update, at)
    order = decision.order
    pendingApplied.push({ update, outcome: decision.outcome })
  }
  return { order, pendingApplied }
}
