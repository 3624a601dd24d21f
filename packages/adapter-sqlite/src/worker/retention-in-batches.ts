import type { RetentionReport } from '@domino-sm/core'
import type { StoreReply, StoreRequest } from '../shared/store-protocol.js'
import type { StoreOperations } from './store-operations.js'
import { replyOf } from './store-reply.js'
import type { WriteBatcher } from './write-batcher.js'

/** What the retention needs from the thread that serves requests. */
export interface RetentionDeps {
  readonly batcher: WriteBatcher
  readonly ops: StoreOperations
  readonly post: (message: StoreReply) => void
  /** The settings' `busyTimeoutMs`: each batch may wait this long for the write lock, whatever the request's budget. */
  readonly busyTimeoutMs: number
}

/** Retention in batches, each a write of its own group, until a batch finds less than a full batch of either kind. */
export const retentionInBatches = ({
  batcher,
  ops,
  post,
  busyTimeoutMs,
}: RetentionDeps): ((request: StoreRequest & { readonly op: 'applyRetention' }) => void) => {
  const retention = (
    request: StoreRequest & { readonly op: 'applyRetention' },
    total: RetentionReport = { bodiesCleared: 0, pendingExpired: 0 },
  ): void => {
    const { policy } = request
    batcher.enqueue({
      expiresAt: Math.max(request.expiresAt, Date.now() + busyTimeoutMs),
      work: () => ops.retentionBatch(policy),
      settle: (outcome) => {
        if (!outcome.ok) return post(replyOf(request, outcome))
        const batch = outcome.value as RetentionReport
        const erased =
          batch.ordersErased === undefined ? {} : { ordersErased: (total.ordersErased ?? 0) + batch.ordersErased }
        const sum = {
          bodiesCleared: total.bodiesCleared + batch.bodiesCleared,
          pendingExpired: total.pendingExpired + batch.pendingExpired,
          ...erased,
        }
        const full =
          batch.bodiesCleared >= policy.batchSize ||
          batch.pendingExpired >= policy.batchSize ||
          (batch.ordersErased ?? 0) >= policy.batchSize
        if (!full) post({ id: request.id, ok: true, value: sum })
        // The next batch goes to the back of the queue, so request writes queued meanwhile commit first.
        else setImmediate(() => retention(request, sum))
      },
    })
  }
  return retention
}
