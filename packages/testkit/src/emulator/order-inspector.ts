import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { OrderRepository, OriginalOrderId } from '@domino-sm/core'

/** What the checker needs to know of a stored order. */
export interface InspectedOrder {
  readonly number: string
  readonly status: string
}

/**
 * Reads an order back by its key: undefined when the service does not have it. Throws when it cannot tell (the
 * store or the admin API is down), which the checker reports as a mismatch.
 */
export type OrderInspector = (originalOrderId: string) => Promise<InspectedOrder | undefined>

/** Reads orders straight from a repository (tests that hold the store). */
export const repositoryInspector = (orders: Pick<OrderRepository, 'findOrder'>): OrderInspector => async (originalOrderId) => {
  const found = await orders.findOrder(originalOrderId as OriginalOrderId)()
  if (E.isLeft(found)) throw new Error(`the store could not be read: ${found.left._tag}`)
  return O.isSome(found.right) ? { number: found.right.value.number, status: found.right.value.status } : undefined
}

const ADMIN_ATTEMPTS = 3

/**
 * Reads orders through the service's read-only admin API (`GET /admin/orders/:key` with the admin token), at the
 * origin of `hookUrl`. Retries a 5xx or a failed connection a few times before it gives up.
 */
export const adminApiInspector = (hookUrl: string, adminToken: string): OrderInspector => async (originalOrderId) => {
  const url = new URL(`/admin/orders/${encodeURIComponent(originalOrderId)}`, hookUrl)
  let problem = 'no attempt made'
  for (let attempt = 1; attempt <= ADMIN_ATTEMPTS; attempt += 1) {
    try {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(5000) })
      if (res.status === 404) return undefined
      if (res.status === 200) {
        const body = (await res.json()) as { readonly number?: unknown; readonly status?: unknown }
        if (typeof body.number !== 'string' || typeof body.status !== 'string') throw new Error('the admin API answered an unexpected body')
        return { number: body.number, status: body.status }
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
