import { expect } from 'chai'
import { openOrder, type DominoNumber, type Order } from '@domino-sm/core'
import { linesToRows, orderFromRows, orderToRow, RowMappingError, type OrderRow } from '@domino-sm/adapter-sqlite/internals'
import { orderCreated } from '../support/order-events.js'

const at = new Date('2026-05-24T09:00:00.123Z')

const fullOrder = (): Order => {
  const { order } = openOrder(orderCreated('H100'), '17' as DominoNumber, at, [])
  return { ...order, status: 'cancelled', cancellation: { slug: 'no_stock', description: 'нет товара' }, updatedAt: new Date(at.getTime() + 1) }
}

const minimalOrder = (): Order =>
  openOrder(orderCreated('H101', { storeID: undefined, shipmentMethod: undefined, replacementPolicy: undefined, comment: undefined, customer: undefined,
    address: undefined, delivery: undefined, paymentMethods: undefined, total: undefined,
    positions: [{ id: 'SKU-9', quantity: 1, price: '10' }] }), '18' as DominoNumber, at, []).order

const roundTrip = (order: Order): Order => orderFromRows({ ...orderToRow(order), id: 1 }, linesToRows(order.content.positions))

describe('order row mapping', () => {
  it('gives back every field of a full order, dates and nested groups included', () => {
    const order = fullOrder()
    expect(roundTrip(order)).to.deep.equal(order)
  })

  it('keeps absent optional fields absent rather than null or empty objects', () => {
    const order = minimalOrder()
    const back = roundTrip(order)
    expect(back).to.deep.equal(order)
    expect(back.content).to.have.all.keys('positions', 'paymentMethods')
    expect(back.content.positions[0]).to.have.all.keys('sku', 'quantity', 'price')
    expect(back).not.to.have.property('cancellation')
  })

  it('stores money as integer kopecks and quantities as integer thousandths', () => {
    const rows = linesToRows(fullOrder().content.positions)
    expect(rows.map((r) => [r.line_no, r.price_kopecks, r.quantity_thousandths])).to.deep.equal([[1, 8990, 2000], [2, 34900, 455]])
    expect(orderToRow(fullOrder()).total_price_kopecks).to.equal(31585)
  })

  it('keeps a false delivery_to_door as false, not as absent', () => {
    const row = orderToRow(fullOrder())
    expect(row.address_delivery_to_door).to.equal(0)
    expect(roundTrip(fullOrder()).content.address?.deliveryToDoor).to.equal(false)
  })

  it('refuses a row the domain cannot hold, naming the column and never the data', () => {
    const order = fullOrder()
    const lines = linesToRows(order.content.positions)
    const bad: readonly [string, OrderRow, typeof lines][] = [
      ['orders.status', { ...orderToRow(order), id: 1, status: 'lost' }, lines],
      ['orders.created_at', { ...orderToRow(order), id: 1, created_at: 'yesterday' }, lines],
      ['review_marked_at', { ...orderToRow(order), id: 1, review_reasons_json: '["Иван"]', review_marked_at: null }, lines],
      ['marking_codes_json', { ...orderToRow(order), id: 1 }, lines.map((l) => ({ ...l, marking_codes_json: '{"Иван":1}' }))],
      ['payment_methods_json', { ...orderToRow(order), id: 1, payment_methods_json: '{"a":1}' }, lines],
      ['customer_name', { ...orderToRow(order), id: 1, customer_name: 42 }, lines],
    ]
    for (const [column, row, lineRows] of bad) {
      let thrown: unknown
      try {
        orderFromRows(row, lineRows)
      } catch (error) {
        thrown = error
      }
      expect(thrown, column).to.be.instanceOf(RowMappingError)
      const message = (thrown as Error).message
      expect(message).to.contain(column)
      for (const secret of ['Иван', '+7999', 'Ленина']) expect(message).not.to.contain(secret)
    }
  })
})
