import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { OriginalOrderId } from '@domino-sm/core'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { LINES_PER_INSERT } from '@domino-sm/adapter-sqlite/internals'
import {
  aWeighedWirePosition,
  aWirePosition,
  anOrderChanged,
  anOrderCreated,
  createdReceipt,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { tempDatabase } from '../support/temp-database.js'

const at = new Date('2026-05-24T09:00:00.000Z')

/** `count` positions, each different: piece and weighed ones, some with marking codes, some with fields absent. */
const positions = (count: number, price: number): ReturnType<typeof aWirePosition>[] =>
  Array.from({ length: count }, (_, i) => {
    const id = String(4600000000000 + i)
    if (i % 3 === 1) return aWeighedWirePosition({ id, price: `${price + i}.50` })
    if (i % 3 === 2) return { id, quantity: i + 1, price: String(price + i) }
    return aWirePosition({ id, price: `${price + i}.90`, markingCodes: [`010460${i}`, `010461${i}`] })
  })

// Lines go in statements of up to LINES_PER_INSERT rows each (store-operations.ts): every count around a boundary,
// and more than two statements' worth, must come back as sent, in order.
describe('sqlite store: the lines of an order, inserted several to a statement', () => {
  const counts = [1, 2, LINES_PER_INSERT - 1, LINES_PER_INSERT, LINES_PER_INSERT + 1, 2 * LINES_PER_INSERT + 5]

  for (const count of counts) {
    it(`keeps the ${count} lines of a new order and of its change, in order, field for field`, async () => {
      const database = tempDatabase()
      const store = await openSqliteStore({ path: database.path })
      try {
        const key = uniqueOrderId()
        const created = anOrderCreated({ originalOrderId: key, positions: positions(count, 100) })
        expect(created.content.positions).to.have.length(count)
        const result = await store.repository.createOrGet(created, createdReceipt(created, at))()
        expect(E.isRight(result) && result.right.result._tag).to.equal('Created')
        const found = await store.repository.findOrder(key as OriginalOrderId)()
        if (E.isLeft(found) || O.isNone(found.right)) throw new Error('the order was not found')
        expect(found.right.value.content.positions).to.deep.equal(created.content.positions)

        // An order.changed rewrites the lines: a different count, different values.
        const changed = anOrderChanged({ originalOrderId: key, positions: positions(count + 2, 500) })
        const applied = await store.repository.applyUpdate(
          changed.update,
          receiptFor('order.changed', changed.rawBody, at),
        )()
        expect(E.isRight(applied) && applied.right.result.outcome).to.equal('applied')
        const after = await store.repository.findOrder(key as OriginalOrderId)()
        if (E.isLeft(after) || O.isNone(after.right)) throw new Error('the order was not found')
        if (changed.update._tag !== 'OrderChanged') throw new Error('not a change')
        expect(after.right.value.content.positions).to.deep.equal(changed.update.content.positions)
        expect(after.right.value.content.positions).to.have.length(count + 2)
      } finally {
        await store.close()
        database.remove()
      }
    })
  }
})
