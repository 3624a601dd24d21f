import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import {
  decodeHookBody,
  receiveHookRequest,
  type HookFailure,
  type HookSuccess,
  type OrderRepository,
} from '@domino-sm/core'
import { orderRepositoryContract, type RepositoryHarness } from '@domino-sm/testkit/contract'

/** How long SberMarket waits for an answer; the use case journals a later commit as answered 503. */
const DEADLINE_MS = 4000

/** 1. Decode a body without a store: a problem (what the body lacks) or the message it carries. */
export const describeBody = (rawBody: string): string => {
  const decoded = decodeHookBody(rawBody)
  return E.isLeft(decoded) ? `unreadable: ${decoded.left._tag}` : `reads as ${decoded.right._tag}`
}

/** 2. Run the use case on your own store: anything that implements the `OrderRepository` port. */
export const receiveOn = (orders: OrderRepository) => {
  const receive = receiveHookRequest({ orders })
  return async (rawBody: string): Promise<E.Either<HookFailure, HookSuccess>> => {
    const receivedAt = new Date()
    return receive({
      requestId: randomUUID(),
      rawBody,
      receivedAt,
      answerBy: new Date(receivedAt.getTime() + DEADLINE_MS),
    })()
  }
}

/** 3. Prove your store: call this in one of your mocha test files; it is the suite every store of the hook runs. */
export const proveStore = (name: string, open: () => Promise<RepositoryHarness>): void =>
  orderRepositoryContract(name, open)
