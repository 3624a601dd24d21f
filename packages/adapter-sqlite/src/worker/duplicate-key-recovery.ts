import type { CreateOrGetResult, Order } from '@domino-sm/core'
import { isUniqueViolation } from './sqlite-error-classification.js'

/**
 * Runs `create` (one transaction) and, if it fails on a unique constraint, answers the order that exists for the
 * key, read by `findExisting` once `create` has rolled back its savepoint. Under `BEGIN IMMEDIATE` the read and the insert of `create` are
 * serialised with every other writer, so this cannot happen through this code; it covers a writer that does not
 * take the lock first (another tool, a future code path), so that the key's UNIQUE constraint is the last word
 * and a duplicate create still answers the one order. Any other error, or no order found, is rethrown.
 */
export const createOrFindExisting = (
  create: () => CreateOrGetResult,
  findExisting: () => Order | undefined,
): CreateOrGetResult => {
  try {
    return create()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const existing = findExisting()
    if (existing === undefined) throw error
    return { _tag: 'AlreadyExists', order: existing }
  }
}
