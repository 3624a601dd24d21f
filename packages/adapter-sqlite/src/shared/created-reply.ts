import type { CreateOrGetResult, Journaled, Order, OrderCreated } from '@domino-sm/core'

/** A new order as the store thread sends it back when its content is the one it was sent: without it. */
type OrderWithoutContent = Omit<Order, 'content' | 'payloadJson'>

/**
 * What the store thread answers to `createOrGet`: the result, or, for an order created with the very content and
 * payload the main thread sent (no pending update changed it), the result without them (`contentAsSent`): the main
 * thread puts its own event's back. The content and the payload text are most of a new order's size, and every
 * reply is a structured clone on the store thread, the SQLite pipeline's bottleneck, and another on the main
 * thread.
 */
export type CreateOrGetReply =
  | Journaled<CreateOrGetResult>
  | {
      readonly contentAsSent: true
      readonly result: Omit<Extract<CreateOrGetResult, { readonly _tag: 'Created' }>, 'order'> & {
        readonly order: OrderWithoutContent
      }
      readonly journal: Journaled<CreateOrGetResult>['journal']
    }

/**
 * The store thread's side: `journaled` without the new order's content and payload when they are the event's own
 * objects (core's `openOrder` keeps them when no pending update applies), else as it is.
 */
export const replyToCreate = (event: OrderCreated, journaled: Journaled<CreateOrGetResult>): CreateOrGetReply => {
  const { result } = journaled
  if (result._tag !== 'Created') return journaled
  const { content, payloadJson, ...order } = result.order
  if (content !== event.content || payloadJson !== event.payloadJson) return journaled
  return { contentAsSent: true, result: { ...result, order }, journal: journaled.journal }
}

/** The main thread's side: the result, with the content and payload of `event` (the caller's own) put back. */
export const resultOfCreate = (event: OrderCreated, reply: CreateOrGetReply): Journaled<CreateOrGetResult> => {
  if (!('contentAsSent' in reply)) return reply
  const { result } = reply
  return {
    result: { ...result, order: { ...result.order, content: event.content, payloadJson: event.payloadJson } },
    journal: reply.journal,
  }
}
