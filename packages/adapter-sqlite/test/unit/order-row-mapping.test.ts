import { expect } from 'chai'
import { openOrder, type DominoNumber, type Order } from '@domino-sm/core'
import {
  linesToRows,
  orderFromRows,
  orderToRow,
  RowMappingError,
  type OrderRow,
} from '@domino-sm/adapter-sqlite/internals'
import { orderCreated } from '../support/order-events.js'

const at = new Date('2026-05-24T09:00:00.123Z')

const fullOrder = (): Order => {
  const { order } = openOrder(orderCreated('H100'), '17' as DominoNumber, at, [])
  return {
    ...order,
    status: 'cancelled',
    cancellation: { slug: 'no_stock', description: 'нет товара' },
    updatedAt: new Date(at.getTime() + 1),
  }
}

const minimalOrder = (): Order =>
  openOrder(
    orderCreated('H101', {
      storeID: undefined,
      shipmentMethod: undefined,
      replacementPolicy: undefined,
      comment: undefined,
      customer: undefined,
      address: undefined,
      delivery: undefined,
      paymentMethods: undefined,
      total: undefined,
      positions: [{ id: 'SKU-9', quantity: 1, price: '10' }],
    }),
    '18' as DominoNumber,
    at,
    [],
  ).order

const roundTrip = (order: Order): Order =>
  orderFromRows({ ...orderToRow(order), id: 1 }, linesToRows(order.content.positions))

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
    expect(rows.map((r) => [r.line_no, r.price_kopecks, r.quantity_thousandths])).to.deep.equal([
      [1, 8990, 2000],
      [2, 34900, 455],
    ])
    expect(orderToRow(fullOrder()).total_price_kopecks).to.equal(31585)
  })

  it('keeps a false delivery_to_door as false, not as absent', () => {
    const row = orderToRow(fullOrder())
    expect(row.address_delivery_to_door).to.equal(0)
    expect(roundTrip(fullOrder()).content.address?.deliveryToDoor).to.equal(false)
  })

  // docs/contract.md §2: an order the hook could not read whole is created with a review mark, possibly with no lines.
  const GS = '\u001d'
  const reasons = ['positions[0].price: не число "12,5"', 'две строки\nв одной причине', `кавычки ' " \\ и GS${GS}`, '']
  const markedOrder = (unappliedChangeJson?: string): Order => ({
    ...fullOrder(),
    review: {
      reasons,
      markedAt: new Date(at.getTime() + 5),
      ...(unappliedChangeJson === undefined ? {} : { unappliedChangeJson }),
    },
  })

  it('gives back a review mark exactly: reasons holding newlines, quotes, Cyrillic and GS, the time, the unapplied change', () => {
    const order = markedOrder('{"originalOrderId":"H100","positions":"нечитаемо\u001d"}')
    const row = orderToRow(order)
    // Reasons are a JSON array, not joined with "\n": a reason may itself hold a newline.
    expect(JSON.parse(row.review_reasons_json as string)).to.deep.equal(reasons)
    expect(row.review_marked_at).to.equal('2026-05-24T09:00:00.128Z')
    expect(roundTrip(order)).to.deep.equal(order)
  })

  it('leaves the unapplied change out of a mark that has none, and the mark out of an order that has none', () => {
    const marked = roundTrip(markedOrder())
    expect(marked.review).to.have.all.keys('reasons', 'markedAt')
    const row = orderToRow(fullOrder())
    expect([row.review_reasons_json, row.review_marked_at, row.review_unapplied_change_json]).to.deep.equal([
      null,
      null,
      null,
    ])
    expect(roundTrip(fullOrder())).not.to.have.property('review')
  })

  it('gives back an order with no lines (created for review) with empty positions', () => {
    const base = markedOrder()
    const order: Order = { ...base, content: { ...base.content, positions: [] } }
    expect(linesToRows(order.content.positions)).to.deep.equal([])
    expect(roundTrip(order)).to.deep.equal(order)
  })

  it("keeps each line's marking codes exactly (GS, quotes, Cyrillic, an empty list), and none on a line without", () => {
    const base = fullOrder()
    const [first, second] = base.content.positions
    if (first === undefined || second === undefined) throw new Error('fullOrder has two lines')
    const codes = [`0104601234567890215abc"'${GS}93Zz`, 'код «Честный знак» \\ ', `${GS}${GS}`]
    const third = { ...second, sku: 'SKU-4', markingCodes: [] }
    const order: Order = {
      ...base,
      content: { ...base.content, positions: [{ ...first, markingCodes: codes }, second, third] },
    }
    const rows = linesToRows(order.content.positions)
    expect(rows.map((r) => r.marking_codes_json)).to.deep.equal([JSON.stringify(codes), null, '[]'])
    const back = roundTrip(order)
    expect(back).to.deep.equal(order)
    expect(back.content.positions[1]).not.to.have.property('markingCodes')
  })

  it('refuses a row the domain cannot hold, naming the column and never the data', () => {
    const order = fullOrder()
    const lines = linesToRows(order.content.positions)
    const bad: readonly [string, OrderRow, typeof lines][] = [
      ['orders.status', { ...orderToRow(order), id: 1, status: 'lost' }, lines],
      ['orders.created_at', { ...orderToRow(order), id: 1, created_at: 'yesterday' }, lines],
      [
        'review_marked_at',
        { ...orderToRow(order), id: 1, review_reasons_json: '["Иван"]', review_marked_at: null },
        lines,
      ],
      [
        'marking_codes_json',
        { ...orderToRow(order), id: 1 },
        lines.map((l) => ({ ...l, marking_codes_json: '{"Иван":1}' })),
      ],
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
