import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { migratedSchema, type DominoDbTarget } from './domino-db.js'

/** Which hook scenario a floor stands under: the rows of a new order, of a repeated create, of a status event. */
export type FloorKind = 'created' | 'repeated' | 'status'

/** The environment variable that carries the floor child's job (JSON): not argv, which `ps` shows with the password. */
export const FLOOR_JOB_VARIABLE = 'BENCH_DOMINO_FLOOR_JOB'

/** What the floor child is asked to do. */
export interface FloorJob {
  readonly url: string
  readonly schema: string
  readonly kind: FloorKind
  /** Orders in flight at once (the hook scenarios' autocannon connections). */
  readonly concurrency: number
  readonly poolSize: number
  /** The orders a `status` floor creates before its clock starts (the hook scenario's `--status-orders`). */
  readonly statusOrders: number
  readonly warmupSeconds: number
  readonly durationSeconds: number
}

/** The floor's numbers over the measured seconds. */
export interface DominoFloorResult {
  readonly kind: FloorKind
  readonly orders: number
  readonly ordersPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  /** User + system CPU time of the floor's process over the measured seconds, per order. */
  readonly cpuMicrosPerOrder: number
  /** The local database server's CPU time over the measured seconds, per order (see engine-cpu.ts). */
  readonly engineCpuMicrosPerOrder?: number
  readonly errors: number
  readonly firstError?: string
  readonly loadAverage: number
}

const CHILD = fileURLToPath(new URL('./domino-floor-child.js', import.meta.url))

/**
 * Runs one floor in a child process of its own (its CPU time is the floor's alone), on a schema migrated by
 * `buildRoot`'s `migrate` (the current tree's: the floor writes the rows of the schema being benchmarked).
 */
export const dominoFloor = async (
  target: DominoDbTarget,
  buildRoot: string,
  kind: FloorKind,
  options: {
    readonly concurrency: number
    readonly statusOrders: number
    readonly warmupSeconds: number
    readonly durationSeconds: number
  },
): Promise<DominoFloorResult> => {
  const schema = await migratedSchema(buildRoot, target, `floor_${kind}`)
  const job: FloorJob = { url: target.url, schema, kind, poolSize: target.poolSize, ...options }
  const child = fork(CHILD, [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [FLOOR_JOB_VARIABLE]: JSON.stringify(job) },
  })
  return new Promise<DominoFloorResult>((resolve, reject) => {
    child.once('message', (message: DominoFloorResult) => resolve(message))
    child.once('exit', (code) =>
      reject(new Error(`the domino-db floor (${kind}) exited with ${String(code)} before reporting`)),
    )
  })
}
