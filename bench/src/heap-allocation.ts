import { GCProfiler, getHeapStatistics } from 'node:v8'

/** Counts the bytes allocated on the V8 heap between `start` and `stop`, across any garbage collections. */
export interface AllocationMeter {
  /** Stops counting; the bytes allocated since the meter started. */
  readonly stop: () => number
}

/**
 * Allocated = heap used at the end - heap used at the start + what every GC in between freed. `GCProfiler`
 * reports the heap before and after each collection, so this holds under load, with scavenges running; it
 * counts the V8 heap only (not Buffers' external memory).
 */
export const startAllocationMeter = (): AllocationMeter => {
  const profiler = new GCProfiler()
  profiler.start()
  const usedAtStart = getHeapStatistics().used_heap_size
  return {
    stop: () => {
      const usedAtEnd = getHeapStatistics().used_heap_size
      const result = profiler.stop()
      let freed = 0
      for (const gc of result.statistics)
        freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize
      return usedAtEnd - usedAtStart + freed
    },
  }
}
