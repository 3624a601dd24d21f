import type { DestinationStream } from 'pino'

/** A log destination that can be flushed, as pino's `logger.flush(cb)` expects. */
export interface FlushableDestination extends DestinationStream {
  flush(cb: (error?: Error) => void): void
}

interface Target {
  write(text: string): unknown
  flush(cb: (error?: Error) => void): void
}

/** How long a line waits at most for the lines after it before they are written together. */
const BATCH_WINDOW_MS = 20

/** A batch this long (UTF-16 code units, about its bytes for log lines) is written at once, before its window ends. */
const BATCH_MAX_CHARS = 64 * 1024

/**
 * Collects the lines written within `BATCH_WINDOW_MS` of the first one (or until they reach `BATCH_MAX_CHARS`) and
 * hands them to `target` (pino's SonicBoom on stdout) as one string. Why: every hand-over is an asynchronous
 * `fs.write` (a request to libuv's thread pool and its completion), which under load cost about 5 % of the hook's
 * CPU when it was done once per event-loop turn (a turn answers a few requests); SonicBoom itself measures the byte
 * length of its pending buffer on every write, flattening a string that grows line by line. Lines keep their order
 * and reach stdout at most `BATCH_WINDOW_MS` later; `flush` (the service's stop) writes what is pending at once, so
 * only a crash can lose the last lines, as before.
 */
export const tickBatchedStream = (
  target: Target,
  windowMs: number = BATCH_WINDOW_MS,
  maxChars: number = BATCH_MAX_CHARS,
): FlushableDestination => {
  let pending: string[] = []
  let pendingChars = 0
  let timer: NodeJS.Timeout | undefined
  const drain = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending.length === 0) return
    const text = pending.length === 1 ? (pending[0] ?? '') : pending.join('')
    pending = []
    pendingChars = 0
    target.write(text)
  }
  return {
    write(line: string): void {
      pending.push(line)
      pendingChars += line.length
      if (pendingChars >= maxChars) drain()
      else timer ??= setTimeout(drain, windowMs)
    },
    flush(cb: (error?: Error) => void): void {
      drain()
      target.flush(cb)
    },
  }
}
