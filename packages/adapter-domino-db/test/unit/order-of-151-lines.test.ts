import { expect } from 'chai'
import { dominoNumberFromSequence, openOrder, type Order } from '@domino-sm/core'
import {
  LINE_COLUMNS,
  LINES_PER_STATEMENT,
  MAX_PARAMETERS_PER_REQUEST,
  orderStatements,
  packed,
  type SqlStatement,
} from '@domino-sm/adapter-domino-db/internals'
import type { SchemaName } from '@domino-sm/adapter-domino-db'
import { aWirePosition, anOrderCreated } from '@domino-sm/testkit'

/**
 * Regression: an order whose last chunk of lines is short enough to share a request with the chunk before it (151
 * lines: 150 + 1; 301: 150 + 150 + 1) had two chunks that both named their first line's parameters @l0_..., and
 * building the request failed ("two values for the parameter @l0_0"), so such an order could never be created or
 * changed. Found by the driver-recording test (integration/statement-texts.test.ts), which creates 151 lines.
 */
const orderOf = (lines: number): Order =>
  openOrder(
    anOrderCreated({
      originalOrderId: 'H151',
      positions: Array.from({ length: lines }, (_, i) => aWirePosition({ id: `SKU-${i}`, price: `${i + 1}.00` })),
    }),
    dominoNumberFromSequence(7),
    new Date('2026-05-24T09:00:00.000Z'),
    [],
  ).order

const expectOneValuePerName = (statement: SqlStatement): void => {
  const names = statement.params.map((p) => p.name)
  expect(new Set(names).size, 'every parameter name once').to.equal(names.length)
  expect(statement.params.length).to.be.lessThan(MAX_PARAMETERS_PER_REQUEST)
}

describe('SQL statements of an order whose last chunk of lines shares a request with the one before', () => {
  const statements = orderStatements('sm' as SchemaName)
  const trailing: SqlStatement = { text: 'SELECT 1 AS trailing_marker;', params: [] }

  for (const lines of [LINES_PER_STATEMENT + 1, LINES_PER_STATEMENT + 20, 2 * LINES_PER_STATEMENT + 1]) {
    it(`builds the requests of a create and of a change of ${lines} lines, each line's values under names of its own`, () => {
      const order = orderOf(lines)
      const created = statements.createOrder(order, trailing)
      const requests = [created.first, ...created.rest(42)]
      requests.forEach(expectOneValuePerName)
      const lineParams = (rs: readonly SqlStatement[]): number =>
        rs.flatMap((r) => r.params).filter((p) => /^l[0-9]+_[0-9]+$/.test(p.name)).length
      expect(lineParams(requests), 'every value of every line, once').to.equal(lines * LINE_COLUMNS.length)
      const lineNumbers = requests.flatMap((r) =>
        [...r.text.matchAll(/\(@order_id, (\d+), /g)].map((m) => Number(m[1])),
      )
      expect(lineNumbers).to.deep.equal(Array.from({ length: lines }, (_, i) => i + 1))
      // A change sends its statements packed as the operation packs them (apply-update-operation.ts).
      const changed = packed([...statements.updateOrder(17, order, true), trailing])
      changed.forEach(expectOneValuePerName)
      expect(lineParams(changed)).to.equal(lines * LINE_COLUMNS.length)
    })
  }
})
