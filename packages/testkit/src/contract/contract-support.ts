import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type {
  ApplyUpdateResult,
  CreateOrGetResult,
  Journaled,
  Order,
  OrderCreated,
  OrderRepository,
  OrderUpdate,
  OriginalOrderId,
  RepositoryError,
} from '@domino-sm/core'
import type { UpdateCase } from '../domain-builders.js'
import { createdReceipt, receiptFor } from '../receipts.js'

export { createdBodyOf, receiptFor } from '../receipts.js'

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

/** `createOrGet` of `event` received at `at`, with its journal stamp. */
export const createJournaled = (
  repository: OrderRepository,
  event: OrderCreated,
  at: Date,
  answerBy?: Date,
): Promise<Journaled<CreateOrGetResult>> => run(repository.createOrGet(event, createdReceipt(event, at, answerBy)))

/** `createOrGet` of `event` received at `at`. */
export const createAt = async (
  repository: OrderRepository,
  event: OrderCreated,
  at: Date,
): Promise<CreateOrGetResult> => (await createJournaled(repository, event, at)).result

/** The event type a built update's body carries. */
export const eventTypeOf = (update: UpdateCase<OrderUpdate>): string => {
  const parsed = JSON.parse(update.rawBody) as { readonly event_type?: unknown }
  return typeof parsed.event_type === 'string' ? parsed.event_type : 'order.changed'
}

/** `applyUpdate` of a built update received at `at`, with its journal stamp. */
export const applyJournaled = (
  repository: OrderRepository,
  update: UpdateCase<OrderUpdate>,
  at: Date,
  answerBy?: Date,
): Promise<Journaled<ApplyUpdateResult>> =>
  run(repository.applyUpdate(update.update, receiptFor(eventTypeOf(update), update.rawBody, at, answerBy)))

/** Applies a built update at `at`. */
export const applyAt = async (
  repository: OrderRepository,
  update: UpdateCase<OrderUpdate>,
  at: Date,
): Promise<ApplyUpdateResult> => (await applyJournaled(repository, update, at)).result

/** Times with milliseconds, one minute apart, so that stores that lose precision are caught. */
export const minute = (n: number): Date => new Date(Date.UTC(2026, 4, 24, 9, n, 0, 123 + n))
