import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { dominoNumberFromSequence, openOrder, type OrderUpdate, type OriginalOrderId } from '@domino-sm/core'
import { parseConsumerName, type SchemaName } from '@domino-sm/adapter-domino-db'
import { changeKindOf, changeStatements, consumerStatements, together } from '@domino-sm/adapter-domino-db/internals'
import { aStatusReported, anOrderChanged, anOrderCreated, anUnreadableChange } from '@domino-sm/testkit'

const schema = 'sm' as SchemaName
const SECRET_NAME = 'Зинаида Секретова'

describe('change queue statements', () => {
  const order = openOrder(
    anOrderCreated({ originalOrderId: 'H900', customer: { name: SECRET_NAME } }),
    dominoNumberFromSequence(9),
    new Date('2026-05-24T09:00:00.000Z'),
    [],
  ).order

  it('adds one row per consumer with one parameterised INSERT ... SELECT, and the key row with the first change', () => {
    const statement = changeStatements(schema).recordChange(order, 'created', new Date('2026-05-24T09:00:01.000Z'))
    expect(statement.text).to.match(
      /^INSERT INTO \[sm\]\.\[order_change\] \(consumer_id, original_order_id, domino_number, change_kind, status, changed_at\)\nSELECT c\.consumer_id, @ch_key/,
    )
    expect(statement.text).to.contain('FROM [sm].[change_consumer] AS c WITH (REPEATABLEREAD)')
    expect(statement.text).to.contain('INSERT INTO [sm].[order_change_key]')
    expect(statement.params.map((p) => [p.name, p.value])).to.deep.equal([
      ['ch_key', 'H900'],
      ['ch_number', order.number],
      ['ch_kind', 'created'],
      ['ch_status', 'new'],
      ['ch_at', new Date('2026-05-24T09:00:01.000Z')],
    ])
    // Values only as parameters: neither the key nor the customer is in the text.
    expect(statement.text).to.not.contain('H900')
    expect(statement.text).to.not.contain(SECRET_NAME)
    const used = new Set([...statement.text.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
    expect([...used].sort()).to.deep.equal(statement.params.map((p) => p.name).sort())
  })

  it('shares a request with the order writes of one key (its parameter names are its own)', () => {
    const change = changeStatements(schema).recordChange(order, 'status', new Date())
    const other = {
      text: 'UPDATE x SET a = @h0 WHERE id = @order_id;',
      params: [{ name: 'h0', type: change.params[0]!.type, value: 'a' }],
    }
    expect(() => together([other, change])).to.not.throw()
  })

  it('names the kind of change of each update that changes an order', () => {
    const key = 'H901' as OriginalOrderId
    const cleared: OrderUpdate = { _tag: 'ReviewCleared', originalOrderId: key, note: 'settled' }
    expect(changeKindOf(anOrderChanged({ originalOrderId: key }).update)).to.equal('changed')
    expect(changeKindOf(anUnreadableChange({ originalOrderId: key, positions: 'нет' }).update)).to.equal(
      'review_marked',
    )
    expect(changeKindOf(cleared)).to.equal('review_cleared')
    expect(changeKindOf(aStatusReported('order.paid', key).update)).to.equal('status')
  })

  it('takes consumer names that every tool shows as typed, and refuses the rest', () => {
    for (const good of ['erp-assembly', 'sales_docs', 'monitoring.v2', 'A'.repeat(64)])
      expect(E.isRight(parseConsumerName(good)), good).to.equal(true)
    for (const bad of ['', 'a b', 'a]; DROP TABLE x; --', '-x', '.x', 'склад', 'A'.repeat(65)])
      expect(E.isLeft(parseConsumerName(bad)), bad).to.equal(true)
  })

  it('removes a consumer before its rows, so that no change is written for it afterwards', () => {
    const name = parseConsumerName('erp')
    if (E.isLeft(name)) throw new Error(name.left)
    const text = consumerStatements(schema).remove(name.right).text
    expect(text.indexOf('DELETE FROM [sm].[change_consumer]')).to.be.lessThan(
      text.indexOf('DELETE FROM [sm].[order_change]'),
    )
    expect(text).to.contain('DELETE FROM [sm].[order_change_key]')
    expect(text).to.not.contain("N'erp'")
  })
})
