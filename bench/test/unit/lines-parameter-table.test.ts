import { expect } from 'chai'
import { checkLineTable, procedureDdl, tableTypeDdl } from '../../dist/lines-parameter-table.js'

/** `order_line` as `sys.columns` describes it after the shipped migrations (0002, 0005). */
const ORDER_LINE = [
  { name: 'order_id', declaration: 'bigint', nullable: false, computed: false },
  { name: 'line_no', declaration: 'int', nullable: false, computed: false },
  { name: 'sku', declaration: 'nvarchar(255)', nullable: false, computed: false },
  { name: 'name', declaration: 'nvarchar(1000)', nullable: true, computed: false },
  { name: 'original_quantity_milli', declaration: 'bigint', nullable: true, computed: false },
  { name: 'quantity_milli', declaration: 'bigint', nullable: false, computed: false },
  { name: 'price_kopecks', declaration: 'bigint', nullable: false, computed: false },
  { name: 'discount_price_kopecks', declaration: 'bigint', nullable: true, computed: false },
  { name: 'total_price_kopecks', declaration: 'bigint', nullable: true, computed: false },
  { name: 'total_discount_price_kopecks', declaration: 'bigint', nullable: true, computed: false },
  { name: 'weight', declaration: 'nvarchar(50)', nullable: true, computed: false },
  { name: 'replaced_by_sku', declaration: 'nvarchar(255)', nullable: true, computed: false },
  { name: 'quantity', declaration: 'decimal', nullable: true, computed: true },
  { name: 'original_quantity', declaration: 'decimal', nullable: true, computed: true },
  { name: 'price', declaration: 'decimal', nullable: true, computed: true },
  { name: 'discount_price', declaration: 'decimal', nullable: true, computed: true },
  { name: 'total_price', declaration: 'decimal', nullable: true, computed: true },
  { name: 'total_discount_price', declaration: 'decimal', nullable: true, computed: true },
  { name: 'marking_codes_json', declaration: 'nvarchar(max)', nullable: true, computed: false },
]

describe('lines-parameter-cost: the table and the procedures (bench/src/lines-parameter-table.ts)', () => {
  it("takes the store's order_line", () => {
    expect(() => checkLineTable(ORDER_LINE)).to.not.throw()
  })

  it('refuses a table with a column the bench does not write (a new migration), naming it', () => {
    const added = [...ORDER_LINE, { name: 'vat_rate', declaration: 'int', nullable: true, computed: false }]
    expect(() => checkLineTable(added)).to.throw('order_line.vat_rate is not written by the bench')
  })

  it('refuses a table without a column the bench writes, or of another type than the store sends', () => {
    expect(() => checkLineTable(ORDER_LINE.filter((c) => c.name !== 'weight'))).to.throw(
      'order_line has no column weight',
    )
    const wider = ORDER_LINE.map((c) => (c.name === 'sku' ? { ...c, declaration: 'nvarchar(400)' } : c))
    expect(() => checkLineTable(wider)).to.throw('order_line.sku is nvarchar(400), sent as nvarchar(255)')
  })

  it('refuses a computed column whose values it cannot check', () => {
    const computed = [...ORDER_LINE, { name: 'weight_kg', declaration: 'decimal', nullable: true, computed: true }]
    expect(() => checkLineTable(computed)).to.throw(
      'order_line.weight_kg is computed in a way the bench does not check',
    )
  })

  it("declares the table type with the table's writable columns and nullability, and the TVP READONLY", () => {
    const type = tableTypeDdl('lines_x', ORDER_LINE)
    expect(type).to.include('CREATE TYPE [lines_x].[order_line_list] AS TABLE (')
    expect(type).to.include('line_no int NOT NULL')
    expect(type).to.include('marking_codes_json nvarchar(max) NULL')
    expect(type).to.not.include('order_id').and.to.not.include('quantity decimal')
    const tvp = procedureDdl('lines_x', ORDER_LINE, 'tvp')
    expect(tvp).to.include('@order_id BIGINT, @lines [lines_x].[order_line_list] READONLY')
    expect(tvp).to.match(/BEGIN TRANSACTION;\s+INSERT INTO \[lines_x\]\.\[order_line\] \(order_id, line_no, sku,/)
  })

  it("reads every column of the JSON with the table's type, by its name", () => {
    const json = procedureDdl('lines_x', ORDER_LINE, 'json')
    expect(json).to.include('@order_id BIGINT, @lines NVARCHAR(MAX)')
    expect(json).to.include(
      "FROM OPENJSON(@lines) WITH (\n    line_no int '$.line_no',\n    sku nvarchar(255) '$.sku',",
    )
    expect(json).to.include("price_kopecks bigint '$.price_kopecks'")
    expect(json).to.include("marking_codes_json nvarchar(max) '$.marking_codes_json'")
  })
})
