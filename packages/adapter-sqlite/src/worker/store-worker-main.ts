/**
 * The thread that owns the store's connection (`node:worker_threads`). Everything that can take time runs here,
 * never on the service's event loop: BEGIN IMMEDIATE and the wait for the write lock, the read-decide-write with
 * core's decisions, COMMIT and its fsync. The main thread sends plain data (`StoreRequest`) and gets plain data
 * back (`StoreReply`). The same file, started with role `checkpointer`, runs the WAL checkpoints.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { storeTimeout, type RetentionReport } from '@domino-sm/core'
import { openDatabase } from '../shared/open-database.js'
import { classifySqliteError, isBusy } from './sqlite-error-classification.js'
import { runCheckpointer } from './checkpointer.js'
import type { StoreReply, StoreRequest, StoreWorkerData, ToWorker, WorkerStatus } from '../shared/store-protocol.js'
import { StoreOperations, type WriteMode } from './store-operations.js'
import { checkpointWithWait, WalLimit } from './wal-limit.js'
import { WriteBatcher, type WriteOutcome } from './write-batcher.js'

const data = workerData as StoreWorkerData
const port = parentPort
if (port === null) throw new Error('store-worker-main runs as a worker thread')

const post = (message: StoreReply | WorkerStatus): void => port.postMessage(message)

const replyOf = (request: StoreRequest, outcome: WriteOutcome): StoreReply =>
  outcome.ok ? { id: request.id, ok: true, value: outcome.value } : { id: request.id, ok: false, error: classifySqliteError(request.op, outcome.error) }

/** Reads run at once (WAL: no lock to wait for); a rare BUSY (WAL recovery by another process) is tried again until the budget ends. */
const read = (request: StoreRequest, work: () => unknown): void => {
  try {
    post({ id: request.id, ok: true, value: work() })
  } catch (error) {
    if (isBusy(error) && Date.now() + 5 < request.expiresAt) setTimeout(() => read(request, work), 5)
    else post(replyOf(request, { ok: false, error }))
  }
}

/** How long the checkpoint at close may wait for other processes' readers before it leaves the WAL as it is. */
const CLOSE_CHECKPOINT_WAIT_MS = 200

const serve = (db: Database.Database): void => {
  const ops = new StoreOperations(db)
  const s = ops.statements
  const walLimit = new WalLimit(db, `${data.settings.path}-wal`, data.settings.maxWalBytes)
  const batcher = new WriteBatcher(
    {
      begin: () => s.begin.run(),
      commit: () => s.commit.run(),
      rollback: () => s.rollback.run(),
      inTransaction: () => db.inTransaction,
      savepoint: (work) => ops.savepoint(work),
      betweenGroups: () => walLimit.check(),
    },
  )

  const write = (request: StoreRequest, work: (mode: WriteMode) => unknown): void =>
    batcher.enqueue({ expiresAt: request.expiresAt, work, settle: (outcome) => post(replyOf(request, outcome)) })

  /** Retention in batches, each a write of its own group, until a batch finds less than a full batch of either kind. */
  const retention = (request: StoreRequest & { readonly op: 'applyRetention' }, total: RetentionReport = { bodiesCleared: 0, pendingExpired: 0 }): void => {
    const { policy } = request
    batcher.enqueue({
      expiresAt: Math.max(request.expiresAt, Date.now() + data.settings.busyTimeoutMs),
      work: () => ops.retentionBatch(policy),
      settle: (outcome) => {
        if (!outcome.ok) return post(replyOf(request, outcome))
        const batch = outcome.value as RetentionReport
        const erased = batch.ordersErased === undefined ? {} : { ordersErased: (total.ordersErased ?? 0) + batch.ordersErased }
        const sum = { bodiesCleared: total.bodiesCleared + batch.bodiesCleared, pendingExpired: total.pendingExpired + batch.pendingExpired, ...erased }
        const full = batch.bodiesCleared >= policy.batchSize || batch.pendingExpired >= policy.batchSize || (batch.ordersErased ?? 0) >= policy.batchSize
        if (!full) post({ id: request.id, ok: true, value: sum })
        // The next batch goes to the back of the queue, so request writes queued meanwhile commit first.
        else setImmediate(() => retention(request, sum))
      },
    })
  }

  const handle = (request: StoreRequest): void => {
    if (request.expiresAt <= Date.now()) {
      post({ id: request.id, ok: false, error: storeTimeout(`sqlite ${request.op}: its budget ran out before it could start`) })
      return
    }
    switch (request.op) {
      case 'createOrGet':
        return write(request, (mode) => ops.createOrGet(request.event, request.receipt, mode))
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
      case 'erasePersonalData':
        return write(request, () => ops.erasePersonalData(request.key, request.receipt))
    }
  }

  port.on('message', (message: ToWorker) => {
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

const start = (): void => {
  let db: Database.Database
  try {
    db = openDatabase(data.settings)
    // The lock is waited for by WriteBatcher, with each job's budget; SQLite's own busy handler would sleep
    // through budgets and messages. The checkpoints are the checkpointer's: none on this connection's commits.
    db.pragma('busy_timeout = 0')
    db.pragma('wal_autocheckpoint = 0')
  } catch (cause) {
    post({ status: 'failed', reason: cause instanceof Error ? cause.message : String(cause) })
    port.close()
    return
  }
  if (data.role === 'checkpointer') runCheckpointer(db, port, data.checkpointEveryMs)
  else serve(db)
}

start()
