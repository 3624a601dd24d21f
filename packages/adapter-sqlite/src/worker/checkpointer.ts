import type { MessagePort } from 'node:worker_threads'
import type Database from 'better-sqlite3'
import { isBatch, type ToWorker, type WorkerStatus } from '../shared/store-protocol.js'

/**
 * The WAL checkpoints, on a connection and thread of their own. With SQLite's automatic checkpoint, the commit that
 * crosses 1000 WAL pages copies them into the database file and fsyncs it before it returns: a 5-14 ms stall of
 * that request every few hundred. Here the request connection has `wal_autocheckpoint = 0`, and this
 * thread runs a PASSIVE checkpoint on a timer: PASSIVE takes no write lock and never waits, so writers (of this
 * process or another) go on while it copies; a page a writer is still changing is left for the next round. When
 * everything is copied and no reader needs the old pages, the next writer starts the WAL from its beginning; while
 * commits keep coming that moment never comes, so the store thread bounds the WAL itself (`WalLimit`), and these
 * rounds keep the copying that its RESTART has left to do small. Several processes running this at once are
 * harmless: one checkpoints, the others find it busy and skip the round.
 */
export const runCheckpointer = (db: Database.Database, port: MessagePort, everyMs: number): void => {
  const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)')
  const timer = setInterval(() => {
    try {
      checkpoint.run()
    } catch {
      // A round that cannot run (busy, I/O) is simply skipped; the next one tries again, and the writers are unaffected.
    }
  }, everyMs)
  port.on('message', (message: ToWorker) => {
    if (isBatch(message) || message.op !== 'close') return
    clearInterval(timer)
    db.close()
    port.close()
  })
  port.postMessage({ status: 'ready' } satisfies WorkerStatus)
}
