import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { ApplyUpdateResult, Order, OrderRepository, OrderUpdate, OriginalOrderId, RepositoryError } from '@domino-sm/core'
import type { UpdateCase } from '../domain-builders.js'

/** How a themed suite reaches the repository that `before` opened. */
export type RepositoryGetter = () => OrderRepository

/** Runs a repository task; a `RepositoryError` fails the test with its tag and reason. */
export const run = async <A>(task: TE.TaskEither<RepositoryError, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(`the repository failed: ${result.left._tag}: ${result.left.reason}`)
  return result.right
}

/** The stored order of `key`; fails the test when there is none. */
export const storedOrder = async (repository: OrderRepository, key: string): Promise<Order> => {
  const found = await run(repository.findOrder(key as OriginalOrderId))
  if (O.isNone(found)) throw new Error(`no order stored for ${key}`)
  return found.value
}

/** Applies a built update at `at`. */
export const applyAt = (repository: OrderRepository, update: UpdateCase<OrderUpdate>, at: Date): Promise<ApplyUpdateResult> =>
  run(repository.applyUpdate(update.update, update.rawBody, at))

/** Times with milliseconds, one minute apart, so that stores that lose precision are caught. */
export const minute = (n: number): Date => new Date(Date.UTC(2026, 4, 24, 9, n, 0, 123 + n))
