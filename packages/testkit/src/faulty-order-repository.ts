import * as TE from 'fp-ts/lib/TaskEither.js'
import { storeUnavailable, type OrderRepository, type RepositoryError } from '@domino-sm/core'
import { seededRandom } from './seeded-random.js'

/** The operations of an `OrderRepository`, by name. */
export type RepositoryOperation =
  | 'createOrGet'
  | 'applyUpdate'
  | 'recordJournal'
  | 'findOrder'
  | 'listJournal'
  | 'ping'
  | 'applyRetention'
  | 'stats'
  | 'searchJournal'
  | 'erasePersonalData'
  | 'summariseJournal'
  | 'ordersForReview'

export const REPOSITORY_OPERATIONS: readonly RepositoryOperation[] = [
  'createOrGet',
  'applyUpdate',
  'recordJournal',
  'findOrder',
  'listJournal',
  'ping',
  'applyRetention',
  'stats',
  'searchJournal',
  'erasePersonalData',
  'summariseJournal',
  'ordersForReview',
]

/** When an operation fails instead of reaching the wrapped store. */
export type FailureMode =
  | { readonly _tag: 'Always' }
  | { readonly _tag: 'Next'; readonly calls: number }
  | { readonly _tag: 'Random'; readonly probability: number }

export const always: FailureMode = { _tag: 'Always' }
export const onNextCalls = (calls: number): FailureMode => ({ _tag: 'Next', calls })
export const atRandom = (probability: number): FailureMode => ({ _tag: 'Random', probability })

/** The faults of one operation. */
export interface OperationFaults {
  /** Milliseconds to wait before answering (before failing, or before calling the wrapped store). */
  readonly delayMs?: number
  readonly fail?: FailureMode
  /** What a failure returns; `StoreUnavailable` by default. */
  readonly error?: RepositoryError
}

/** Faults per operation; `all` applies to every operation that has no entry of its own. */
export type FaultPlan = { readonly [K in RepositoryOperation]?: OperationFaults } & { readonly all?: OperationFaults }

export interface FaultyOptions {
  /** Seed of the PRNG that decides `atRandom` failures; the same seed fails the same calls. */
  readonly seed?: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Wraps any `OrderRepository` and injects faults per operation: a delay, and a failure always, on the next N
 * calls or at random. The plan can be changed while a test runs (`setFaults`). Whether a call fails is decided
 * when its task starts; a delayed call that does not fail still reaches the wrapped store when the delay ends.
 */
export class FaultyOrderRepository implements OrderRepository {
  private plan: FaultPlan
  private remaining = new Map<RepositoryOperation, number>()
  private readonly random: () => number
  private readonly counts = new Map<RepositoryOperation, number>()

  constructor(
    private readonly inner: OrderRepository,
    faults: FaultPlan = {},
    options: FaultyOptions = {},
  ) {
    this.random = seededRandom(options.seed ?? 1)
    this.plan = faults
    this.resetCounters()
  }

  /** Replaces the whole fault plan; `Next` counters start again. */
  setFaults(faults: FaultPlan): void {
    this.plan = faults
    this.resetCounters()
  }

  /** Removes every fault. */
  heal(): void {
    this.setFaults({})
  }

  /** How many times `operation` was called (failed or not) since the wrapper was made. */
  calls(operation: RepositoryOperation): number {
    return this.counts.get(operation) ?? 0
  }

  private resetCounters(): void {
    this.remaining = new Map()
    for (const operation of REPOSITORY_OPERATIONS) {
      const fail = this.faultsOf(operation).fail
      if (fail?._tag === 'Next') this.remaining.set(operation, fail.calls)
    }
  }

  private faultsOf(operation: RepositoryOperation): OperationFaults {
    return this.plan[operation] ?? this.plan.all ?? {}
  }

  private shouldFail(operation: RepositoryOperation, fail: FailureMode | undefined): boolean {
    if (fail === undefined) return false
    switch (fail._tag) {
      case 'Always':
        return true
      case 'Next': {
        const left = this.remaining.get(operation) ?? 0
        if (left <= 0) return false
        this.remaining.set(operation, left - 1)
        return true
      }
      case 'Random':
        return this.random() < fail.probability
    }
  }

  private wrap<A>(
    operation: RepositoryOperation,
    run: () => TE.TaskEither<RepositoryError, A>,
  ): TE.TaskEither<RepositoryError, A> {
    return async () => {
      this.counts.set(operation, this.calls(operation) + 1)
      const faults = this.faultsOf(operation)
      const fails = this.shouldFail(operation, faults.fail)
      if (faults.delayMs !== undefined && faults.delayMs > 0) await sleep(faults.delayMs)
      if (fails) return TE.left<RepositoryError, A>(faults.error ?? storeUnavailable(`injected fault: ${operation}`))()
      return run()()
    }
  }

  readonly createOrGet: OrderRepository['createOrGet'] = (event, receipt) =>
    this.wrap('createOrGet', () => this.inner.createOrGet(event, receipt))
  readonly applyUpdate: OrderRepository['applyUpdate'] = (update, receipt) =>
    this.wrap('applyUpdate', () => this.inner.applyUpdate(update, receipt))
  readonly recordJournal: OrderRepository['recordJournal'] = (entry) =>
    this.wrap('recordJournal', () => this.inner.recordJournal(entry))
  readonly applyRetention: OrderRepository['applyRetention'] = (policy) =>
    this.wrap('applyRetention', () => this.inner.applyRetention(policy))
  readonly stats: OrderRepository['stats'] = () => this.wrap('stats', () => this.inner.stats())
  readonly findOrder: OrderRepository['findOrder'] = (originalOrderId) =>
    this.wrap('findOrder', () => this.inner.findOrder(originalOrderId))
  readonly listJournal: OrderRepository['listJournal'] = (originalOrderId) =>
    this.wrap('listJournal', () => this.inner.listJournal(originalOrderId))
  readonly ping: OrderRepository['ping'] = () => this.wrap('ping', () => this.inner.ping())
  readonly searchJournal: OrderRepository['searchJournal'] = (query) =>
    this.wrap('searchJournal', () => this.inner.searchJournal(query))
  readonly summariseJournal: OrderRepository['summariseJournal'] = (query) =>
    this.wrap('summariseJournal', () => this.inner.summariseJournal(query))
  readonly ordersForReview: OrderRepository['ordersForReview'] = (limit) =>
    this.wrap('ordersForReview', () => this.inner.ordersForReview(limit))
  readonly erasePersonalData: OrderRepository['erasePersonalData'] = (key, receipt) =>
    this.wrap('erasePersonalData', () => this.inner.erasePersonalData(key, receipt))
}
