import { expect } from 'chai'
import mssql from 'mssql'
import { dominoNumberFromSequence, openOrder, type Order } from '@domino-sm/core'
import {
  fitText,
  HEADER_CREATE_COLUMNS,
  HEADER_LENGTHS,
  HEADER_SELECT_COLUMNS,
  HEADER_UPDATE_COLUMNS,
  LINE_COLUMNS,
  LINE_SELECT_COLUMNS,
  orderFromRows,
  RowShapeError,
  toSafeInteger,
} from '@domino-sm/adapter-domino-db/internals'
import { aStatusReported, aWeighedWirePosition, aWirePosition, anOrderCreated } from '@domino-sm/testkit'
import { storedRow } from './stored-row.js'

const at = new Date('2026-05-24T09:15:42.123Z')

const orderOf = (
  input: Parameters<typeof anOrderCreated>[0],
  options: Parameters<typeof anOrderCreated>[1] = {},
): Order => openOrder(anOrderCreated(input, options), dominoNumberFromSequence(1042), at, []).order

/** The rows SQL Server would hold for an order written by the adapter's column specs. */
const rowsOf = (order: Order): { header: Record<string, unknown>; lines: Record<string, unknown>[] } => ({
  header: storedRow([...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS], order, { id: '17' }),
  lines: order.content.positions.map((line, i) => storedRow(LINE_COLUMNS, line, { order_id: '17', line_no: i + 1 })),
})

describe('order row mapping', () => {
  it('writes and reads back a full order exactly: kopecks, thousandths, Cyrillic, booleans, dates', () => {
    const order = orderOf({ originalOrderId: 'H1000000001' })
    const { header, lines } = rowsOf(order)
    expect(orderFromRows(header, lines)).to.deep.equal(order)
    expect(order.content.customer?.name).to.equal('Иван Петров')
  })

  it('keeps absent optional fields absent (no undefined, no empty objects)', () => {
    const order = orderOf(
      {
        originalOrderId: 'H1',
        comment: null,
        customer: { name: 'Ёлкина Мария', phone: null },
        positions: [{ id: 'ONLY', quantity: 1, price: '65' }],
      },
      { minimal: true },
    )
    const read = orderFromRows(rowsOf(order).header, rowsOf(order).lines)
    expect(read).to.deep.equal(order)
    expect(read.content).to.not.have.property('address')
    expect(read.content).to.not.have.property('total')
    expect(read.content.positions[0]).to.not.have.property('name')
    expect(read).to.not.have.property('cancellation')
  })

  it('stores money as BIGINT kopecks and quantities as BIGINT thousandths, and reads extremes back exactly', () => {
    const order = orderOf({
      originalOrderId: 'H2',
      positions: [
        aWirePosition({ id: 'A', price: '0.01', quantity: 0.001, totalPrice: '0' }),
        aWeighedWirePosition({ id: 'B', price: '1234567.89', quantity: '1000.5', totalPrice: '90071992547409.91' }),
      ],
      total: { totalPrice: '99999999.99', discountTotalPrice: '0.10' },
    })
    const { header, lines } = rowsOf(order)
    expect(lines.map((l) => [l['price_kopecks'], l['quantity_milli'], l['total_price_kopecks']])).to.deep.equal([
      ['1', '1', '0'],
      ['123456789', '1000500', '9007199254740991'],
    ])
    expect(header['total_price_kopecks']).to.equal('9999999999')
    expect(orderFromRows(header, lines)).to.deep.equal(order)
  })

  it('writes the cancellation and the status of an order, and reads them back', () => {
    const created = orderOf({ originalOrderId: 'H3' })
    const cancelled = aStatusReported('order.cancelled', 'H3', {
      cancellation: { slug: 'client_refused', description: 'Клиент отказался' },
    })
    const order = openOrder(anOrderCreated({ originalOrderId: 'H3' }), created.number, at, [
      { update: cancelled.update, receivedAt: at },
    ]).order
    const { header, lines } = rowsOf(order)
    expect(header['status']).to.equal('cancelled')
    expect(orderFromRows(header, lines)).to.deep.equal(order)
  })

  it('uses parameter types that match the migration: NVARCHAR(n), BIGINT, BIT, DATETIMEOFFSET(3)', () => {
    const byName = new Map(
      [...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS].map((c) => [
        c.column,
        c.type as mssql.ISqlType & { length?: number; scale?: number },
      ]),
    )
    expect(byName.get('original_order_id')?.type).to.equal(mssql.NVarChar)
    expect(byName.get('original_order_id')?.length).to.equal(64)
    expect(byName.get('total_price_kopecks')?.type).to.equal(mssql.BigInt)
    expect(byName.get('address_delivery_to_door')?.type).to.equal(mssql.Bit)
    expect(byName.get('created_at')?.type).to.equal(mssql.DateTimeOffset)
    expect(byName.get('created_at')?.scale).to.equal(3)
    expect(byName.get('payload_json')?.length).to.equal(mssql.MAX)
  })

  it('writes every column it reads, and reads every column it writes', () => {
    const written = [...HEADER_CREATE_COLUMNS, ...HEADER_UPDATE_COLUMNS].map((c) => c.column).sort()
    expect([...HEADER_SELECT_COLUMNS].filter((c) => c !== 'id').sort()).to.deep.equal(written)
    expect([...LINE_SELECT_COLUMNS].filter((c) => c !== 'line_no').sort()).to.deep.equal(
      LINE_COLUMNS.map((c) => c.column).sort(),
    )
  })

  it('cuts over-long text to the column length without splitting a surrogate pair', () => {
    const long = `${'я'.repeat(HEADER_LENGTHS.customer_name - 1)}😀tail`
    const order = orderOf({ originalOrderId: 'H4', customer: { name: long } })
    const { header } = rowsOf(order)
    expect((header['customer_name'] as string).length).to.equal(HEADER_LENGTHS.customer_name - 1)
    expect(fitText('ab😀', 3)).to.equal('ab')
    expect(fitText('abc', 3)).to.equal('abc')
    // the payload keeps the whole text
    expect(header['payload_json']).to.contain('😀tail')
  })

  it('refuses rows it cannot read, naming the column and never the value', () => {
    const order = orderOf({ originalOrderId: 'H5' })
    const { header, lines } = rowsOf(order)
    const bad = (mutate: (h: Record<string, unknown>) => void, ls = lines): Error => {
      const copy = { ...header }
      mutate(copy)
      try {
        orderFromRows(copy, ls)
      } catch (error) {
        if (error instanceof Error) return error
      }
      throw new Error('expected the row to be refused')
    }
    const wrongStatus = bad((h) => (h['status'] = 'lost'))
    expect(wrongStatus).to.be.instanceOf(RowShapeError)
    expect(wrongStatus.message).to.contain('order_header.status')
    expect(wrongStatus.message).to.not.contain('lost')
    expect(bad((h) => (h['total_price_kopecks'] = '12.5'))).to.be.instanceOf(RowShapeError)
    expect(bad((h) => (h['payment_methods_json'] = '{"a":1}'))).to.be.instanceOf(RowShapeError)
    expect(bad((h) => (h['created_at'] = '2026-01-01'))).to.be.instanceOf(RowShapeError)
    // A mark is its reasons and its time together; marking codes are a JSON array of strings.
    expect(bad((h) => (h['review_reasons_json'] = '["x"]'))).to.be.instanceOf(RowShapeError)
    expect(bad((h) => ((h['review_reasons_json'] = '{"x":1}'), (h['review_marked_at'] = new Date())))).to.be.instanceOf(
      RowShapeError,
    )
    expect(
      bad(
        () => undefined,
        lines.map((l) => ({ ...l, marking_codes_json: '[1]' })),
      ),
    ).to.be.instanceOf(RowShapeError)
  })

  it('reads an order created for review with no lines, its mark and its marking codes back as written', () => {
    const order = {
      ...orderOf({ originalOrderId: 'H6' }),
      review: {
        reasons: ['строка "1": нет цены', 'b\nc'],
        markedAt: new Date('2026-05-24T09:00:00.123Z'),
        unappliedChangeJson: '{"a":1}',
      },
    }
    const { header } = rowsOf(order)
    expect(orderFromRows(header, [])).to.deep.equal({ ...order, content: { ...order.content, positions: [] } })
    const coded = orderOf({
      originalOrderId: 'H7',
      positions: [{ id: 'A', quantity: 1, price: '1', markingCode: [{ value: 'c1\u001dx' }, { value: 'c2' }] }],
    })
    const rows = rowsOf(coded)
    expect(orderFromRows(rows.header, rows.lines).content.positions[0]?.markingCodes).to.deep.equal(['c1\u001dx', 'c2'])
  })

  it('reads BIGINT strings exactly and refuses values beyond 2^53', () => {
    expect(toSafeInteger('9007199254740991')).to.equal(9007199254740991)
    expect(toSafeInteger('9007199254740993')).to.equal(undefined)
    expect(toSafeInteger(12n)).to.equal(12)
    expect(toSafeInteger('1e3')).to.equal(undefined)
  })
})
