/**
 * The thread that owns the store's connection (`node:worker_threads`). Everything that can take time runs here,
 * never on the service's event loop: BEGIN IMMEDIATE and the wait for the write lock, the read-decide-write with
 * core's decisions, COMMIT and its fsync. The main thread sends plain data (`StoreRequest`) and gets plain data
 * back (`StoreReply`). This file is the thread's entry: it opens the connection and runs the role it was started
 * with: `store` serves the requests (`serve-requests.ts`), `checkpointer` runs the WAL checkpoints (`checkpointer.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { openDatabase } from '../shared/open-database.js'
import type { StoreWorkerData, WorkerStatus } from '../shared/store-protocol.js'
import { runCheckpointer } from './checkpointer.js'
import { serveRequests } from './serve-requests.js'

const data = workerData as StoreWorkerData
const port = parentPort
if (port === null) throw new Error('store-worker-main runs as a worker thread')

const post = (message: WorkerStatus): void => port.postMessage(message)

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
  else serveRequests(db, port, data.settings)
}

start()
