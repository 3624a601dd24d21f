import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { Order, OrderRepository, OriginalOrderId } from '@domino-sm/core'

/** What the checker needs to know of a stored order. */
export interface InspectedOrder {
  readonly number: string
  readonly status: string
  /** Whether it carries a review mark (docs/contract.md §2); undefined when the reader cannot tell. */
  readonly review?: boolean
  readonly storeId?: string
  readonly shipmentMethod?: string
  /** The `orderUUID` kept on the order (docs/contract.md §3). */
  readonly orderUuid?: string
  /** Per line, in order: its marking codes, or undefined for none. */
  readonly markingCodes?: readonly (readonly string[] | undefined)[]
}

const given = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]: V })

/** What the checker reads of a domain order. */
export const inspectedOf = (order: Order): InspectedOrder => ({
  number: order.number,
  status: order.status,
  review: order.review !== undefined,
  ...given('storeId', order.content.storeId),
  ...given('shipmentMethod', order.content.shipmentMethod),
  ...given('orderUuid', order.content.orderUuid),
  markingCodes: order.content.positions.map((line) => line.markingCodes),
})

const textOf = (u: unknown): string | undefined => (typeof u === 'string' ? u : undefined)

/** What the checker reads of the admin API's JSON of an order (`http/order-view.ts`). */
const inspectedFromView = (body: Readonly<Record<string, unknown>>, number: string, status: string): InspectedOrder => {
  const positions = Array.isArray(body['positions'])
    ? (body['positions'] as readonly Readonly<Record<string, unknown>>[])
    : undefined
  const codes = positions?.map((line) => {
    const value = line['markingCodes']
    return Array.isArray(value) && value.length > 0
      ? value.filter((c): c is string => typeof c === 'string')
      : undefined
  })
  return {
    number,
    status,
    ...given('review', 'review' in body ? body['review'] !== null && body['review'] !== undefined : undefined),
    ...given('storeId', textOf(body['storeId'])),
    ...given('shipmentMethod', textOf(body['shipmentMethod'])),
    ...given('orderUuid', textOf(body['orderUuid'])),
    ...given('markingCodes', codes),
  }
}

/**
 * Reads an order back by its key: undefined when the service does not have it. Throws when it cannot tell (the
 * store or the admin API is down), which the checker reports as a mismatch.
 */
export type OrderInspector = (originalOrderId: string) => Promise<InspectedOrder | undefined>

/** Reads orders straight from a repository (tests that hold the store). */
export const repositoryInspector =
  (orders: Pick<OrderRepository, 'findOrder'>): OrderInspector =>
  async (originalOrderId) => {
    const found = await orders.findOrder(originalOrderId as OriginalOrderId)()
    if (E.isLeft(found)) throw new Error(`the store could not be read: ${found.left._tag}`)
    return O.isSome(found.right) ? inspectedOf(found.right.value) : undefined
  }

const ADMIN_ATTEMPTS = 3

/**
 * Reads orders through the service's read-only admin API (`GET /admin/orders/:key` with the admin token), at the
 * origin of `adminUrl` (the service's internal listener). Retries a 5xx or a failed connection a few times before it
 * gives up.
 */
export const adminApiInspector =
  (adminUrl: string, adminToken: string): OrderInspector =>
  async (originalOrderId) => {
    const url = new URL(`/admin/orders/${encodeURIComponent(originalOrderId)}`, adminUrl)
    let problem = 'no attempt made'
    for (let attempt = 1; attempt <= ADMIN_ATTEMPTS; attempt += 1) {
      try {
        const res = await fetch(url, {
          headers: { Authorization: `Bearer ${adminToken}` },
          signal: AbortSignal.timeout(5000),
        })
        if (res.status === 404) return undefined
        if (res.status === 200) {
          const body = (await res.json()) as Readonly<Record<string, unknown>>
          const number = body['number']
          const status = body['status']
          if (typeof number !== 'string' || typeof status !== 'string')
            throw new Error('the admin API answered an unexpected body')
          return inspectedFromView(body, number, status)
        }
        problem = `the admin API answered ${res.status}`
        if (res.status < 500) break
      } catch (error) {
        problem = `the admin API could not be read: ${error instanceof Error ? error.message : String(error)}`
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt))
    }
    throw new Error(problem)
  }
