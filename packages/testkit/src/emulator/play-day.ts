import { mapWithConcurrency } from './bounded-concurrency.js'
import type { OrderPlan } from './day-plan.js'
import type { DeliveryResult, HookClient } from './hook-client.js'

/** What happened to one order's events. */
export interface OrderRun {
  readonly plan: OrderPlan
  /** Every delivery made, in the order the waves started them. */
  readonly deliveries: readonly DeliveryResult[]
  /** Its `order.created` failed every attempt, so SberMarket cancelled it and sent nothing more. */
  readonly cancelledByMarketplace: boolean
}

/** Plays one order: its waves one after another, the events of a wave at once. */
export const playOrder = async (client: HookClient, plan: OrderPlan): Promise<OrderRun> => {
  const deliveries: DeliveryResult[] = []
  for (const wave of plan.waves) {
    const results = await Promise.all(wave.map((event) => client.deliver(event)))
    deliveries.push(...results)
    // SberMarket cancels an order whose creation it could not deliver, and sends nothing more about it.
    if (results.some((r) => r.cancelledByMarketplace)) return { plan, deliveries, cancelledByMarketplace: true }
  }
  return { plan, deliveries, cancelledByMarketplace: false }
}

/** Plays a day: up to `concurrency` orders in flight at once (16 by default). */
export const playDay = (client: HookClient, plans: readonly OrderPlan[], concurrency = 16): Promise<OrderRun[]> =>
  mapWithConcurrency(plans, concurrency, (plan) => playOrder(client, plan))
