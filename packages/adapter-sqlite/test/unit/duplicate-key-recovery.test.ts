import { expect } from 'chai'
import Database from 'better-sqlite3'
import { openOrder, type DominoNumber, type Order } from '@domino-sm/core'
import { createOrFindExisting } from '@domino-sm/adapter-sqlite/internals'
import { orderCreated } from '../support/order-events.js'

const existing: Order = openOrder(orderCreated('H7'), '3' as DominoNumber, new Date('2026-05-24T09:00:00Z'), []).order
const unique = new Database.SqliteError(
  'UNIQUE constraint failed: orders.original_order_id',
  'SQLITE_CONSTRAINT_UNIQUE',
)

describe('duplicate key recovery', () => {
  it('returns what create made when it succeeds, without reading again', () => {
    let reads = 0
    const created = { _tag: 'Created', order: existing, pendingApplied: [] } as const
    expect(
      createOrFindExisting(
        () => created,
        () => {
          reads += 1
          return existing
        },
      ),
    ).to.equal(created)
    expect(reads).to.equal(0)
  })

  it('answers AlreadyExists with the stored order when the insert hit the unique key', () => {
    const result = createOrFindExisting(
      () => {
        throw unique
      },
      () => existing,
    )
    expect(result).to.deep.equal({ _tag: 'AlreadyExists', order: existing })
  })

  it('rethrows the violation when no order exists for the key after all', () => {
    expect(() =>
      createOrFindExisting(
        () => {
          throw unique
        },
        () => undefined,
      ),
    ).to.throw(unique)
  })

  it('rethrows any other error without reading', () => {
    let reads = 0
    const busy = new Database.SqliteError('database is locked', 'SQLITE_BUSY')
    expect(() =>
      createOrFindExisting(
        () => {
          throw busy
        },
        () => {
          reads += 1
          return existing
        },
      ),
    ).to.throw(busy)
    expect(reads).to.equal(0)
  })
})
