import { mapWithConcurrency } from './bounded-concurrency.js'
import { acceptableStatuses } from './expected-status.js'
import type { DeliveryResult } from './hook-client.js'
import type { InspectedOrder, OrderInspector } from './order-inspector.js'
import type { OrderRun } from './play-day.js'

/** A difference between what was sent and what the service answered or kept. */
export interface Mismatch {
  readonly originalOrderId: string
  readonly problem: string
}

/** An order as checked: what it was expected to end as and what the service holds (when it was read). */
export interface CheckedOrder {
  readonly run: OrderRun
  readonly acceptable: ReadonlySet<string>
  readonly found?: InspectedOrder
}

export interface DayCheck {
  readonly orders: readonly CheckedOrder[]
  readonly mismatches: readonly Mismatch[]
}

/**
 * The answers to one order's `order.created`: every attempt the hook answered was a 2xx; a 4xx means SberMarket
 * would retry and then cancel the order (docs/contract.md §2): a sale lost to strictness.
 */
const createdAnswers = (run: OrderRun, mismatches: Mismatch[]): void => {
  for (const delivery of run.deliveries.filter((d) => d.event.eventType === 'order.created')) {
    for (const attempt of delivery.attempts) {
      if (attempt._tag === 'Answered' && attempt.status >= 400 && attempt.status < 500) {
        mismatches.push({
          originalOrderId: run.plan.originalOrderId,
          problem: `order.created answered ${attempt.status}: SberMarket would cancel the order`,
        })
      }
    }
  }
}

const sameCodes = (
  a: readonly (readonly string[] | undefined)[],
  b: readonly (readonly string[] | undefined)[],
): boolean => JSON.stringify(a) === JSON.stringify(b)

/** The forms' side: an order sent unreadable is marked for review (and only such orders); the aliases' values were kept. */
const checkForms = (run: OrderRun, found: InspectedOrder, mismatches: Mismatch[]): void => {
  const { expected, originalOrderId } = run.plan
  const problem = (text: string): void => void mismatches.push({ originalOrderId, problem: text })
  const unreadable = expected.unreadable !== undefined
  if (found.review !== undefined && found.review !== unreadable) {
    problem(
      unreadable
        ? `sent with ${expected.unreadable}, but not marked for review`
        : 'marked for review, but it was sent readable',
    )
  }
  if (expected.orderUuid !== undefined && found.orderUuid !== expected.orderUuid)
    problem(`orderUUID ${found.orderUuid ?? 'not kept'}, sent ${expected.orderUuid}`)
  if (unreadable || run.plan.changed) return
  if (expected.storeId !== undefined && found.storeId !== undefined && found.storeId !== expected.storeId)
    problem(`store id ${found.storeId}, sent ${expected.storeId}`)
  if (
    expected.shipmentMethod !== undefined &&
    found.shipmentMethod !== undefined &&
    found.shipmentMethod !== expected.shipmentMethod
  ) {
    problem(`shipment method ${found.shipmentMethod}, sent ${expected.shipmentMethod}`)
  }
  if (
    expected.markingCodes !== undefined &&
    found.markingCodes !== undefined &&
    !sameCodes(found.markingCodes, expected.markingCodes)
  ) {
    problem(`marking codes ${JSON.stringify(found.markingCodes)}, sent ${JSON.stringify(expected.markingCodes)}`)
  }
}

/** The Domino number in an `order.created` answer (`{"status": "created", "number": "..."}`), if it has one. */
const numberIn = (delivery: DeliveryResult): string | undefined => {
  try {
    const body = JSON.parse(delivery.answer?.body ?? '') as { readonly number?: unknown }
    return typeof body.number === 'string' ? body.number : undefined
  } catch {
    return undefined
  }
}

/** The answers' side: every successful `order.created` answer for one key carried one and the same number. */
const answeredNumber = (run: OrderRun, mismatches: Mismatch[]): string | undefined => {
  const id = run.plan.originalOrderId
  const created = run.deliveries.filter((d) => d.event.eventType === 'order.created' && d.delivered)
  const numbers = created.map(numberIn)
  if (numbers.some((n) => n === undefined))
    mismatches.push({ originalOrderId: id, problem: 'an order.created answer carried no number' })
  const distinct = [...new Set(numbers.filter((n): n is string => n !== undefined))]
  if (distinct.length > 1)
    mismatches.push({
      originalOrderId: id,
      problem: `order.created answers carried different numbers: ${distinct.join(', ')}`,
    })
  return distinct[0]
}

const checkOrder = async (
  run: OrderRun,
  inspect: OrderInspector | undefined,
  mismatches: Mismatch[],
): Promise<CheckedOrder> => {
  const id = run.plan.originalOrderId
  const acked = run.deliveries.filter((d) => d.delivered).map((d) => d.event.eventType)
  const unacked = run.deliveries.filter((d) => !d.delivered).map((d) => d.event.eventType)
  const acceptable = acceptableStatuses(acked, unacked)
  const number = answeredNumber(run, mismatches)
  createdAnswers(run, mismatches)
  if (run.cancelledByMarketplace || inspect === undefined) return { run, acceptable }
  let found: InspectedOrder | undefined
  try {
    found = await inspect(id)
  } catch (error) {
    mismatches.push({
      originalOrderId: id,
      problem: `could not be read back: ${error instanceof Error ? error.message : String(error)}`,
    })
    return { run, acceptable }
  }
  if (found === undefined) {
    mismatches.push({
      originalOrderId: id,
      problem: 'missing: its order.created was answered, but the service does not have it',
    })
    return { run, acceptable }
  }
  if (number !== undefined && found.number !== number) {
    mismatches.push({
      originalOrderId: id,
      problem: `stored with number ${found.number}, but order.created was answered ${number}`,
    })
  }
  if (!acceptable.has(found.status)) {
    mismatches.push({
      originalOrderId: id,
      problem: `status ${found.status}, expected ${[...acceptable].join(' or ')}`,
    })
  }
  checkForms(run, found, mismatches)
  return { run, acceptable, found }
}

/**
 * Checks a played day against what was sent: every order the marketplace did not cancel exists (read back through
 * `inspect`) with one number, the one every `order.created` answer carried, no two orders share a number, and each
 * is in the status its acknowledged events lead to, marked for review exactly when it was sent unreadable, with the
 * store id, shipment method and marking codes sent under any of their spellings. No `order.created` may be answered
 * 4xx. Without `inspect` only the answers are checked.
 */
export const checkDay = async (
  runs: readonly OrderRun[],
  inspect?: OrderInspector,
  concurrency = 16,
): Promise<DayCheck> => {
  const mismatches: Mismatch[] = []
  const orders = await mapWithConcurrency(runs, concurrency, (run) => checkOrder(run, inspect, mismatches))
  const owners = new Map<string, string>()
  for (const order of orders) {
    if (order.found === undefined) continue
    const owner = owners.get(order.found.number)
    const id = order.run.plan.originalOrderId
    if (owner === undefined) owners.set(order.found.number, id)
    else mismatches.push({ originalOrderId: id, problem: `shares number ${order.found.number} with ${owner}` })
  }
  return { orders, mismatches }
}
