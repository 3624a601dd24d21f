import type { Order, OrderLine } from '@domino-sm/core'
import { formatQuantity, MAX_READABLE_DEPTH, nestedDeeperThan } from '@domino-sm/core/internals'

/**
 * The admin API's JSON form of an order: money as integer kopecks (named `...Kopecks`), quantities as decimal
 * text, times as ISO 8601. Exact, and unambiguous to whoever reads it.
 */
export const orderView = (order: Order): Record<string, unknown> => {
  const { positions, total, ...header } = order.content
  return {
    originalOrderId: order.originalOrderId,
    number: order.number,
    status: order.status,
    ...(order.cancellation === undefined ? {} : { cancellation: order.cancellation }),
    review: reviewView(order),
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
    ...header,
    ...(total === undefined
      ? {}
      : {
          total: {
            ...(total.totalPrice === undefined ? {} : { totalPriceKopecks: total.totalPrice }),
            ...(total.discountTotalPrice === undefined ? {} : { discountTotalPriceKopecks: total.discountTotalPrice }),
          },
        }),
    positions: positions.map(lineView),
  }
}

/** The review mark (docs/contract.md §2), or null: what could not be read, since when, and the change not applied. */
const reviewView = (order: Order): Record<string, unknown> | null => {
  if (order.review === undefined) return null
  const change = order.review.unappliedChangeJson
  let unappliedChange: unknown = null
  // A change nested deeper than the reader reads stays text: as an object, the answer's JSON.stringify would overflow.
  if (change !== undefined && nestedDeeperThan(change, MAX_READABLE_DEPTH)) {
    unappliedChange = change
  } else if (change !== undefined) {
    try {
      unappliedChange = JSON.parse(change) as unknown
    } catch {
      unappliedChange = change
    }
  }
  return { reasons: order.review.reasons, markedAt: order.review.markedAt.toISOString(), unappliedChange }
}

const lineView = (line: OrderLine): Record<string, unknown> => ({
  sku: line.sku,
  ...(line.name === undefined ? {} : { name: line.name }),
  quantity: formatQuantity(line.quantity),
  ...(line.originalQuantity === undefined ? {} : { originalQuantity: formatQuantity(line.originalQuantity) }),
  priceKopecks: line.price,
  ...(line.discountPrice === undefined ? {} : { discountPriceKopecks: line.discountPrice }),
  ...(line.totalPrice === undefined ? {} : { totalPriceKopecks: line.totalPrice }),
  ...(line.totalDiscountPrice === undefined ? {} : { totalDiscountPriceKopecks: line.totalDiscountPrice }),
  ...(line.weight === undefined ? {} : { weight: line.weight }),
  ...(line.replacedBySku === undefined ? {} : { replacedBySku: line.replacedBySku }),
  markingCodes: line.markingCodes ?? [],
})
