import { Worker } from 'node:worker_threads'
import * as E from 'fp-ts/lib/Either.js'
import { storeTimeout, storeUnavailable, type RepositoryError } from '@domino-sm/core'
import type { ResolvedSqliteSettings } from './sqlite-settings.js'
import {
  isBatch,
  type FromWorker,
  type StoreCall,
  type StoreReply,
  type StoreRequest,
  type StoreWorkerData,
  type ToWorker,
} from '../shared/store-protocol.js'

const WORKER_FILE = new URL('../worker/store-worker-main.js', import.meta.url)

/**
 * How long past its budget a call waits for the worker before it is answered `StoreTimeout` here. The worker
 * answers every call by its budget itself; this only catches a worker stuck in one system call (an fsync on a
 * dying disk), which nothing on this side can interrupt.
 */
export const BACKSTOP_GRACE_MS = 1000

/** How long `close` lets the worker drain before it is terminated. */
const CLOSE_GRACE_MS = 5000

interface InFlight {
  readonly expiresAt: number
  readonly resolve: (result: E.Either<RepositoryError, unknown>) => void
}

/** The worker thread behind the store, and the calls waiting for it. */
interface Running {
  readonly worker: Worker
  readonly ready: Promise<void>
  /** Requests of this turn not yet sent: they go to this worker as one message (`sendOutbox`), or to none. */
  readonly outbox: StoreRequest[]
}

/** Sends the requests waiting in `running`'s outbox as one message (one request alone, several as an array). */
const sendOutbox = (running: Running): void => {
  const batch = running.outbox.splice(0)
  const [first] = batch
  if (first !== undefined) running.worker.postMessage((batch.length === 1 ? first : batch) satisfies ToWorker)
}

const startWorker = (data: StoreWorkerData): Running => {
  const worker = new Worker(WORKER_FILE, { workerData: data })
  const ready = new Promise<void>((resolve, reject) => {
    const onMessage = (message: FromWorker): void => {
      if (!('status' in message)) return
      worker.off('message', onMessage)
      if (message.status === 'ready') resolve()
      else reject(new Error(message.reason))
    }
    worker.on('message', onMessage)
    worker.once('exit', (code) =>
      reject(new Error(`the sqlite ${data.role} thread exited (code ${code}) before it was ready`)),
    )
    worker.once('error', reject)
  })
  // Never unhandled: a start that fails is reported by `whenReady` or as StoreUnavailable to the calls.
  ready.catch(() => undefined)
  return { worker, ready, outbox: [] }
}

const stopWorker = async (worker: Worker): Promise<void> => {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.postMessage({ op: 'close' } satisfies ToWorker)
  const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS)
  await exited
  clearTimeout(timer)
}

/**
 * The main thread's side of the store: sends each call to the worker that owns the connection and resolves it
 * with the worker's answer. Never throws and never rejects: every failure is a `RepositoryError`.
 * - A worker that dies (crash, out of memory, terminated) fails its calls in flight with `StoreUnavailable`; the
 *   next call starts a new one.
 * - The worker holds the process open only while a call waits for it, so a service that forgets `close` still exits.
 * - A PASSIVE checkpointer runs in a second thread (see `checkpointer.ts`), restarted likewise when it dies.
 */
export class StoreWorkerClient {
  private store: Running | undefined
  private checkpointer: Running | undefined
  private readonly inFlight = new Map<number, InFlight>()
  private nextId = 1
  private closed: Promise<void> | undefined
  private backstop: NodeJS.Timeout | undefined
  /** Worker threads started after one died (diagnostics, tests). */
  readonly stats = { restarts: 0, crashes: 0 }

  constructor(
    private readonly settings: ResolvedSqliteSettings,
    private readonly checkpointEveryMs: number,
  ) {
    this.store = this.startStore()
    this.checkpointer = this.startCheckpointer()
  }

  /** Resolves once both threads have opened their connections; rejects with the reason when one could not. */
  async whenReady(): Promise<void> {
    // Held open until then: the threads are unref'd, and nothing else may keep a script's event loop alive.
    const threads = [this.store, this.checkpointer]
    for (const running of threads) running?.worker.ref()
    try {
      await Promise.all(threads.map((running) => running?.ready ?? Promise.resolve()))
    } finally {
      for (const running of threads) running?.worker.unref()
    }
  }

  private startStore(): Running {
    const running = startWorker({ role: 'store', settings: this.settings, checkpointEveryMs: this.checkpointEveryMs })
    running.worker.unref()
    running.worker.on('message', (message: FromWorker) => {
      if (isBatch(message)) for (const reply of message) this.answer(reply)
      else if (!('status' in message)) this.answer(message)
    })
    running.worker.on('error', () => {
      this.stats.crashes += 1
    })
    running.worker.once('exit', () => {
      if (this.store === running) this.store = undefined
      // Requests not yet sent are among the calls failed below: no other worker may run them after their answer.
      running.outbox.length = 0
      const reason = this.closed === undefined ? 'the store thread stopped' : 'the store is closed'
      for (const [id, call] of this.inFlight) this.settle(id, call, E.left(storeUnavailable(`sqlite: ${reason}`)))
    })
    return running
  }

  private startCheckpointer(): Running {
    const running = startWorker({
      role: 'checkpointer',
      settings: this.settings,
      checkpointEveryMs: this.checkpointEveryMs,
    })
    running.worker.unref()
    running.worker.on('error', () => undefined)
    running.worker.once('exit', () => {
      if (this.checkpointer !== running) return
      this.checkpointer = undefined
      // A dead checkpointer lets the WAL grow; start another one soon, unless the store is closing.
      if (this.closed === undefined)
        setTimeout(() => {
          if (this.closed === undefined && this.checkpointer === undefined) this.checkpointer = this.startCheckpointer()
        }, 1000).unref()
    })
    return running
  }

  private answer(reply: StoreReply): void {
    const call = this.inFlight.get(reply.id)
    if (call !== undefined) this.settle(reply.id, call, reply.ok ? E.right(reply.value) : E.left(reply.error))
  }

  private settle(id: number, call: InFlight, result: E.Either<RepositoryError, unknown>): void {
    this.inFlight.delete(id)
    if (this.inFlight.size === 0) {
      this.store?.worker.unref()
      if (this.backstop !== undefined) clearInterval(this.backstop)
      this.backstop = undefined
    }
    call.resolve(result)
  }

  /** Answers `StoreTimeout` to calls the worker has not answered well past their budget. */
  private checkBackstop(): void {
    const now = Date.now()
    for (const [id, call] of this.inFlight) {
      if (now > call.expiresAt + BACKSTOP_GRACE_MS)
        this.settle(id, call, E.left(storeTimeout('sqlite: the store thread did not answer in time')))
    }
  }

  /** Sends `call` with its budget (epoch ms) and resolves with the worker's answer, or a `RepositoryError`. */
  call(call: StoreCall, expiresAt: number): Promise<E.Either<RepositoryError, unknown>> {
    if (this.closed !== undefined)
      return Promise.resolve(E.left(storeUnavailable(`sqlite ${call.op}: the store is closed`)))
    if (this.store === undefined) {
      this.stats.restarts += 1
      this.store = this.startStore()
    }
    const running = this.store
    const id = this.nextId++
    return new Promise((resolve) => {
      if (this.inFlight.size === 0) {
        running.worker.ref()
        this.backstop = setInterval(() => this.checkBackstop(), 100)
      }
      this.inFlight.set(id, { expiresAt, resolve })
      // Sent with the other requests of this turn, after the poll phase that read them (`ToWorker`).
      if (running.outbox.push({ ...call, id, expiresAt }) === 1) setImmediate(() => sendOutbox(running))
    })
  }

  /** Kills the store thread as a crash would (tests of the crash path); the calls in flight fail, the next call restarts it. */
  async killStoreThread(): Promise<void> {
    await this.store?.worker.terminate()
  }

  /** Lets the worker finish what it holds (each call gets its commit or its StoreTimeout), then stops both threads. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      // The requests of this turn go before the close, so that the drain answers them.
      if (this.store !== undefined) sendOutbox(this.store)
      const threads = [this.checkpointer?.worker, this.store?.worker].filter((w): w is Worker => w !== undefined)
      for (const worker of threads) worker.ref()
      // One after the other, the checkpointer first: the store thread's final TRUNCATE checkpoint cannot run while
      // a PASSIVE round holds the checkpoint lock, and two connections closing at once can each see the other
      // still open, so that neither checkpoints and deletes the WAL (a 19 MiB WAL was once left so).
      for (const worker of threads) await stopWorker(worker)
      if (this.backstop !== undefined) clearInterval(this.backstop)
    })()
    return this.closed
  }
}
