import type { MessagePort } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { storeTimeout } from '@domino-sm/core'
import type { ResolvedSqliteSettings } from '../main-thread/sqlite-settings.js'
import type { StoreReply, StoreRequest, ToWorker, WorkerStatus } from '../shared/store-protocol.js'
import { isBatch } from '../shared/store-protocol.js'
import { retentionInBatches } from './retention-in-batches.js'
import { StoreOperations, type WriteMode } from './store-operations.js'
import { replyToCreate } from '../shared/created-reply.js'
import { replyOf } from './store-reply.js'
import { checkpointWithWait, WalLimit } from './wal-limit.js'
import { isBusy } from './sqlite-error-classification.js'
import { WriteBatcher } from './write-batcher.js'

/** How long the checkpoint at close may wait for other processes' readers before it leaves the WAL as it is. */
const CLOSE_CHECKPOINT_WAIT_MS = 200

/**
 * The store thread's request loop: reads at once, writes through the group commit (`WriteBatcher`) with the WAL's
 * bound between groups, retention in batches, and at `close` the drain, the last checkpoint and the end of the thread.
 */
export const serveRequests = (db: Database.Database, port: MessagePort, settings: ResolvedSqliteSettings): void => {
  const post = (message: StoreReply | WorkerStatus): void => port.postMessage(message)
  /**
   * The replies to writes wait for the end of the group commit that settled them (or of the current turn, for those
   * settled outside a group: budgets run out, a failed BEGIN) and go to the main thread as one message.
   */
  let replies: StoreReply[] = []
  const sendReplies = (): void => {
    if (replies.length === 0) return
    const batch = replies
    replies = []
    port.postMessage(batch.length === 1 ? batch[0] : batch)
  }
  const reply = (message: StoreReply): void => {
    if (replies.push(message) === 1) queueMicrotask(sendReplies)
  }
  /** Reads run at once (WAL: no lock to wait for); a rare BUSY (WAL recovery by another process) is tried again until the budget ends. */
  const read = (request: StoreRequest, work: () => unknown): void => {
    try {
      post({ id: request.id, ok: true, value: work() })
    } catch (error) {
      if (isBusy(error) && Date.now() + 5 < request.expiresAt) setTimeout(() => read(request, work), 5)
      else post(replyOf(request, { ok: false, error }))
    }
  }

  const ops = new StoreOperations(db)
  const s = ops.statements
  const walLimit = new WalLimit(db, `${settings.path}-wal`, settings.maxWalBytes)
  const batcher = new WriteBatcher({
    begin: () => s.begin.run(),
    commit: () => s.commit.run(),
    rollback: () => s.rollback.run(),
    inTransaction: () => db.inTransaction,
    savepoint: (work) => ops.savepoint(work),
    betweenGroups: () => {
      sendReplies()
      walLimit.check()
    },
  })

  const write = (request: StoreRequest, work: (mode: WriteMode) => unknown): void =>
    batcher.enqueue({ expiresAt: request.expiresAt, work, settle: (outcome) => reply(replyOf(request, outcome)) })

  const retention = retentionInBatches({ batcher, ops, post: reply, busyTimeoutMs: settings.busyTimeoutMs })

  const handle = (request: StoreRequest): void => {
    if (request.expiresAt <= Date.now()) {
      post({
        id: request.id,
        ok: false,
        error: storeTimeout(`sqlite ${request.op}: its budget ran out before it could start`),
      })
      return
    }
    switch (request.op) {
      case 'createOrGet':
        return write(request, (mode) =>
          replyToCreate(request.event, ops.createOrGet(request.event, request.receipt, mode)),
        )
      case 'applyUpdate':
        return write(request, () => ops.applyUpdate(request.update, request.receipt))
      case 'recordJournal':
        return write(request, () => ops.recordJournal(request.entry))
      case 'applyRetention':
        return retention(request)
      case 'findOrder':
        return read(request, () => ops.findOrder(request.key))
      case 'listJournal':
        return read(request, () => ops.listJournal(request.key))
      case 'ping':
        return read(request, () => ops.ping())
      case 'stats':
        return read(request, () => ops.stats())
      case 'searchJournal':
        return read(request, () => ops.searchJournal(request.query))
      case 'summariseJournal':
        return read(request, () => ops.summariseJournal(request.query))
      case 'ordersForReview':
        return read(request, () => ops.ordersForReview(request.limit))
      case 'erasePersonalData':
        return write(request, () => ops.erasePersonalData(request.key, request.receipt))
    }
  }

  port.on('message', (message: ToWorker) => {
    if (isBatch(message)) {
      for (const request of message) handle(request)
      return
    }
    if (message.op !== 'close') return handle(message)
    // Drain: what is queued gets its group commit (or its StoreTimeout), then the connection closes and the thread ends.
    batcher.flush()
    const finish = (): void => {
      if (batcher.queued > 0) return void setTimeout(finish, 5)
      // Leave the file checkpointed and the WAL empty, also when other processes keep the file open (the last
      // connection to close would do it anyway, but only when no other one is open at that moment).
      try {
        checkpointWithWait(db, 'TRUNCATE', CLOSE_CHECKPOINT_WAIT_MS)
      } catch {
        // The file stays consistent without it: the WAL is checkpointed by the next connection.
      }
      db.close()
      port.close()
    }
    finish()
  })
  post({ status: 'ready' })
}
