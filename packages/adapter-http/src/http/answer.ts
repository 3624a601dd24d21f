import * as E from 'fp-ts/lib/Either.js'
import type { HookFailure, HookProblem, HookSuccess } from '@domino-sm/core'

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
 * The one mapping from what the use case said to what the wire gets (spec §2): the Domino number for
 * `order.created`, an empty 200 for every other event, 400 with a short problem, 503 when the store failed.
 */
export const answerFor = (result: E.Either<HookFailure, HookSuccess>): HttpAnswer => {
  if (E.isRight(result)) {
    const answer = result.right.answer
    switch (answer._tag) {
      case 'OrderNumber':
        return { status: 200, body: { status: 'created', number: answer.number } }
      case 'NoContent':
        return { status: 200 }
    }
  }
  const failure = result.left
  switch (failure._tag) {
    case 'Rejected':
      return { status: 400, body: { error: problemCode(failure.problem), detail: failure.problem.detail } }
    case 'StoreFailed':
      return UNAVAILABLE
  }
}
