import * as E from 'fp-ts/lib/Either.js'
import { isPermanent, type HookFailure, type HookProblem, type HookSuccess } from '@domino-sm/core'
import type { ExpectedAssembly } from '../config/app-config.js'

/** A response: its status and JSON body; no body means an empty one. */
export interface HttpAnswer {
  readonly status: number
  readonly body?: Readonly<Record<string, string>>
}

const problemCode = (problem: HookProblem): string => {
  switch (problem._tag) {
    case 'MalformedJson':
      return 'malformed_json'
    case 'MalformedEnvelope':
      return 'malformed_envelope'
    case 'InvalidPayload':
      return 'invalid_payload'
  }
}

/** The 5xx body: fixed text, never an internal message. */
export const UNAVAILABLE: HttpAnswer = {
  status: 503,
  body: { error: 'unavailable', detail: 'the order store did not answer in time; please retry' },
}

/**
 * The answer when the store refused the request for a reason a retry does not fix (`StorePermanent`): 500, still a
 * 5xx, so SberMarket keeps retrying (a 4xx to order.created cancels the order) while a person looks.
 */
const STORE_REFUSED: HttpAnswer = {
  status: 500,
  body: { error: 'store_refused', detail: 'the order store refused this request; it is journaled for support' },
}

const MINUTE_MS = 60_000

/**
 * `at` as ISO 8601 in the fixed offset `utcOffset` (`+03:00`), to the second: `2026-05-24T12:30:00+03:00`. The
 * offset is written out, as SberMarket's own times are, rather than `Z`.
 */
export const isoWithOffset = (at: Date, utcOffset: string): string => {
  const sign = utcOffset.startsWith('-') ? -1 : 1
  const [hours = 0, minutes = 0] = utcOffset.slice(1).split(':').map(Number)
  const shifted = new Date(at.getTime() + sign * (hours * 60 + minutes) * MINUTE_MS)
  return `${shifted.toISOString().slice(0, 19)}${utcOffset}`
}

/**
 * The one mapping from what the use case said to what the wire gets (docs/contract.md §2): the Domino number for
 * `order.created` (and, when configured, `expectedAssemblyTime`: the order's creation plus the minutes, the same on
 * every retry), an empty 200 for every other event, 400 with a short problem, 503 when the store failed.
 */
export const answerFor = (result: E.Either<HookFailure, HookSuccess>, assembly?: ExpectedAssembly): HttpAnswer => {
  if (E.isRight(result)) {
    const answer = result.right.answer
    switch (answer._tag) {
      case 'OrderNumber':
        return assembly === undefined
          ? { status: 200, body: { status: 'created', number: answer.number } }
          : {
              status: 200,
              body: {
                status: 'created',
                number: answer.number,
                expectedAssemblyTime: isoWithOffset(
                  new Date(answer.createdAt.getTime() + assembly.minutes * MINUTE_MS),
                  assembly.utcOffset,
                ),
              },
            }
      case 'NoContent':
        return { status: 200 }
    }
  }
  const failure = result.left
  switch (failure._tag) {
    case 'Rejected':
      return { status: 400, body: { error: problemCode(failure.problem), detail: failure.problem.detail } }
    case 'StoreFailed':
      return isPermanent(failure.error) ? STORE_REFUSED : UNAVAILABLE
  }
}

/**
 * The status `answerFor` gives a result: what the journal entry of a request the edge journals itself records. The
 * replay (CLI, admin API, console) records it too, through core's `ReplayDeps.answeredStatus`.
 */
export const answeredStatus = (result: E.Either<HookFailure, HookSuccess>): number => answerFor(result).status
