import type { DestinationStream } from 'pino'

/** A log destination that can be flushed, as pino's `logger.flush(cb)` expects. */
export interface FlushableDestination extends DestinationStream {
  flush(cb: (error?: Error) => void): void
}

interface Target {
  write(text: string): unknown
  flush(cb: (error?: Error) => void): void
}

/**
 * Collects the lines written in one turn of the event loop and hands them to `target` (pino's SonicBoom on stdout)
 * as one string at the next `setImmediate`. Why: SonicBoom measures the byte length of its pending buffer on every
 * write, flattening a string that grows line by line; under load that cost about 6 KB of garbage and 1 us per
 * line. One write per turn keeps the order of lines and costs one `join`.
 */
export const tickBatchedStream = (target: Target): FlushableDestination => {
  let pending: string[] = []
  let scheduled = false
  const drain = (): void => {
    scheduled = false
    if (pending.length === 0) return
    const text = pending.length === 1 ? (pending[0] ?? '') : pending.join('')
    pending = []
    target.write(text)
  }
  return {
    write(line: string): void {
      pending.push(line)
      if (!scheduled) {
        scheduled = true
        setImmediate(drain)
      }
    },
    flush(cb: (error?: Error) => void): void {
      drain()
      target.flush(cb)
    },
  }
}
