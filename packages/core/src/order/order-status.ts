/**
 * The life of a «Заказ СМ»: `new` -> `paid` -> `handed_to_courier` -> `delivered`, and `cancelled` from any
 * state before `delivered`. Delivered and cancelled are final.
 */
export type OrderStatus = 'new' | 'paid' | 'handed_to_courier' | 'delivered' | 'cancelled'

/** A status that an event can report (every status but `new`, which only creation gives). */
export type ReportedStatus = Exclude<OrderStatus, 'new'>

export const ORDER_STATUSES: readonly OrderStatus[] = ['new', 'paid', 'handed_to_courier', 'delivered', 'cancelled']

const RANK: Record<Exclude<OrderStatus, 'cancelled'>, number> = { new: 0, paid: 1, handed_to_courier: 2, delivered: 3 }

/** What reporting `next` on an order in `current` does. */
export type TransitionVerdict = 'advance' | 'duplicate' | 'stale'

export const isFinalStatus = (status: OrderStatus): status is 'delivered' | 'cancelled' =>
  status === 'delivered' || status === 'cancelled'

/** Statuses move forward only; a repeat is a duplicate, anything backwards or after a final status is stale. */
export const judgeTransition = (current: OrderStatus, next: ReportedStatus): TransitionVerdict => {
  if (current === next) return 'duplicate'
  if (isFinalStatus(current)) return 'stale'
  if (next === 'cancelled') return 'advance'
  return RANK[next] > RANK[current] ? 'advance' : 'stale'
}
