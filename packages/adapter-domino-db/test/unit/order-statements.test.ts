import { expect } from 'chai'
import { dominoNumberFromSequence, openOrder, type Order } from '@domino-sm/core'
import {
  lineChunks,
  LINES_PER_STATEMENT,
  MAX_PARAMETERS_PER_REQUEST,
  orderStatements,
  journalStatements,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import { parseSchemaName, type SchemaName } from '@domino-sm/adapter-domino-db'
import { aWirePosition, anOrderCreated } from '@domino-sm/testkit'

const schema = 'sm' as SchemaName
const statements = orderStatements(schema)
const SECRET_NAME = 'Зинаида Секретова'

const bigOrder = (lines: number): Order =>
  openOrder(
    anOrderCreated({
      originalOrderId: 'H777',
      customer: { name: SECRET_NAME, phone: '+79990001122' },
      positions: Array.from({ length: lines }, (_, i) => aWirePosition({ id: `SKU-${i}`, name: `Товар ${SECRET_NAME} ${i}` })),
    }),
    dominoNumberFromSequence(5),
    new Date('2026-05-24T09:00:00.000Z'),
    [],
  ).order

/** Every @name in the text has a parameter and every parameter is used; no value is spliced into the text. */
const expectWellFormed = (statement: SqlStatement): void => {
  const used = new Set([...statement.text.matchAll(/@([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]))
  const declared = new Set(['inserted', 'order_id'])
  const names = statement.params.map((p) => p.name)
  expect(new Set(names).size, 'parameter names are unique').to.equal(names.length)
  for (const name of names) expect(used.has(name), `@${name} is used`).to.equal(true)
  for (const name of used) expect(names.includes(name ?? '') || declared.has(name ?? ''), `@${name} has a value`).to.equal(true)
  expect(statement.params.length).to.be.lessThan(MAX_PARAMETERS_PER_REQUEST)
  expect(statement.text).to.not.contain(SECRET_NAME)
  expect(statement.text).to.not.contain('+7999')
  expect(statement.text).to.not.contain('{{')
}

describe('order statements', () => {
  it('reads the key under UPDLOCK and HOLDLOCK, then its lines (and pending updates when creating)', () => {
    const locked = statements.lockOrder('H1', true)
    expect(locked.text).to.contain('[sm].[order_header] AS h WITH (UPDLOCK, HOLDLOCK) WHERE h.original_order_id = @original_order_id')
    expect(locked.text).to.contain('[sm].[pending_update]')
    expect(statements.lockOrder('H1', false).text).to.not.contain('pending_update')
    expectWellFormed(locked)
  })

  it('numbers orders from the schema\'s sequence', () => {
    expect(statements.nextNumber().text).to.equal('SELECT NEXT VALUE FOR [sm].[domino_number_seq] AS next_number;')
  })

  it('inserts the header with OUTPUT ... INTO, its first lines and drops the pending updates of the key', () => {
    const order = bigOrder(3)
    const insert = statements.insertOrder(order, order.content.positions)
    expect(insert.text).to.contain('OUTPUT INSERTED.id INTO @inserted (id)')
    expect(insert.text).to.contain('DELETE FROM [sm].[pending_update] WHERE original_order_id = @original_order_id;')
    expect(insert.text).to.match(/\(@order_id, 1, @l0_0,/)
    expect(insert.text).to.match(/\(@order_id, 3, @l2_0,/)
    expect(insert.text).to.not.match(/\bMERGE\b/i)
    expectWellFormed(insert)
  })

  it('splits a 1000-line order into statements that stay under 2100 parameters, numbering lines 1..1000', () => {
    const order = bigOrder(1000)
    const chunks = lineChunks(order.content.positions)
    expect(chunks.map((c) => c.firstLineNo)).to.deep.equal(Array.from({ length: Math.ceil(1000 / LINES_PER_STATEMENT) }, (_, i) => 1 + i * LINES_PER_STATEMENT))
    expect(chunks.reduce((n, c) => n + c.lines.length, 0)).to.equal(1000)
    const [first, ...rest] = chunks
    expectWellFormed(statements.insertOrder(order, first?.lines ?? []))
    expectWellFormed(statements.updateOrder(17, order, first?.lines ?? []))
    for (const chunk of rest) expectWellFormed(statements.insertLines(17, chunk.lines, chunk.firstLineNo))
    const last = rest[rest.length - 1]
    expect(statements.insertLines(17, last?.lines ?? [], last?.firstLineNo ?? 0).text).to.match(/\(@order_id, 1000, /)
  })

  it('rewrites the header without touching the key, the number or created_at; replaces lines only when asked', () => {
    const order = bigOrder(2)
    const statusOnly = statements.updateOrder(17, order)
    expect(statusOnly.text).to.match(/^UPDATE \[sm\]\.\[order_header\] SET status = @h0, /)
    expect(statusOnly.text).to.not.match(/original_order_id =|domino_number =|created_at =/)
    expect(statusOnly.text).to.not.contain('order_line')
    const withLines = statements.updateOrder(17, order, order.content.positions)
    expect(withLines.text).to.contain('DELETE FROM [sm].[order_line] WHERE order_id = @order_id;')
    expectWellFormed(statusOnly)
    expectWellFormed(withLines)
  })

  it('keeps pending updates and journal entries with typed parameters only', () => {
    expectWellFormed(statements.insertPending('H1', `{"name":"${SECRET_NAME}"}`, new Date(), new Date()))
    const journal = journalStatements(schema)
    expectWellFormed(
      journal.insertEntry(
        { receivedAt: new Date(), eventType: 'order.paid', originalOrderId: 'H1', rawBody: SECRET_NAME, outcome: 'applied', httpStatus: 200, durationMs: 3, detail: null },
        new Date(),
      ),
    )
    expect(journal.listByOrder('H1').text).to.contain('ORDER BY id')
  })

  it('puts only a validated schema name into the text', () => {
    const other = parseSchemaName('sm_test_1f2e')
    if (other._tag === 'Left') throw new Error(other.left)
    expect(orderStatements(other.right).nextNumber().text).to.contain('[sm_test_1f2e].[domino_number_seq]')
    for (const bad of ['sm]', 'sm;DROP', '1sm', '', 'a'.repeat(129), 'dbo', 'sys']) expect(parseSchemaName(bad)._tag, bad).to.equal('Left')
  })
})
