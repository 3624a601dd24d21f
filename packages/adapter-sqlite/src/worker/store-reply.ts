import { classifySqliteError } from './sqlite-error-classification.js'
import type { StoreReply, StoreRequest } from '../shared/store-protocol.js'
import type { WriteOutcome } from './write-batcher.js'

/** The answer to `request` once its work has run: the value, or the failure classified as a `RepositoryError`. */
export const replyOf = (request: StoreRequest, outcome: WriteOutcome): StoreReply =>
  outcome.ok
    ? { id: request.id, ok: true, value: outcome.value }
    : { id: request.id, ok: false, error: classifySqliteError(request.op, outcome.error) }
