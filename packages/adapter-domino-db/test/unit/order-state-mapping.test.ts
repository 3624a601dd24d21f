import { expect } from 'chai'
import { decideStatus, dominoNumberFromSequence, openOrder, orderStateOf, type Order } from '@domino-sm/core'
import {
  HEADER_CREATE_COLUMNS,
  HEADER_STATE_COLUMNS,
  HEADER_UPDATE_COLUMNS,
  orderFromRows,
  RowShapeError,
  stateFromRow,
  STATUS_COLUMNS,
} from '@domino-sm/adapter-domino-db/internals'
import { aStatusReported, anOrderCreated } from '@domino-sm/testkit'
import { storedRow } from './stored-row.js'

const at = new Date('2026-05-24T09:15:42.123Z')

const orderOf = (originalOrderId: string): Order =>
  openOrder(anOrderCreated({ originalOrderId }), dominoNumberFromSequence(1042), at, []).order

/** The whole header row SQL Server would hold for `order`, and the row of its state columns alone. */
const rowsOf = (order: Order): { whole: Record<string, unknown>; state: Record<string, unknown> } => {
  const whole = storedRow([...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS], order, { id: '17' })
  const state = Object.fromEntries(HEADER_STATE_COLUMNS.map((c) => [c, whole[c]]))
  return { whole, state }
}

const cancelled = (order: Order): Order => {
  const decision = decideStatus(
    order,
    aStatusReported('order.cancelled', order.originalOrderId, {
      cancellation: { slug: 'client_refused', description: 'Клиент отказался' },
    }).update,
    new Date('2026-05-24T10:00:00.000Z'),
  )
  return decision.order
}

describe('order state mapping', () => {
  const marked: Order = {
    ...orderOf('H2'),
    review: { reasons: ['нет цены'], markedAt: new Date('2026-05-24T09:00:00.123Z'), unappliedChangeJson: '{"a":1}' },
  }
  for (const [name, order] of [
    ['a new order', orderOf('H1')],
    ['an order with a review mark', marked],
    ['a cancelled order with its reason', cancelled(orderOf('H3'))],
  ] as const) {
    it(`reads ${name} from its state columns alone as core's state of the order read whole`, () => {
      const { whole, state } = rowsOf(order)
      expect(stateFromRow(state)).to.deep.equal(orderStateOf(order))
      expect(stateFromRow(whole)).to.deep.equal(orderStateOf(orderFromRows(whole, [])))
      // The state read whole is the order's: one mapping for both reads.
      expect(orderFromRows(whole, [])).to.deep.include(stateFromRow(whole))
    })
  }

  it('holds every column a status write writes, and none of the content or the payload', () => {
    for (const spec of STATUS_COLUMNS) expect(HEADER_STATE_COLUMNS).to.include(spec.column)
    for (const column of ['payload_json', 'customer_name', 'address_full', 'payment_methods_json', 'order_uuid'])
      expect(HEADER_STATE_COLUMNS).to.not.include(column)
  })

  it('refuses a row whose status is not one of the statuses, or whose review mark is half there', () => {
    const { state } = rowsOf(marked)
    expect(() => stateFromRow({ ...state, status: 'lost' })).to.throw(RowShapeError)
    expect(() => stateFromRow({ ...state, review_marked_at: null })).to.throw(RowShapeError)
  })
})
