import * as E from 'fp-ts/lib/Either.js'
import { Gauge, type Registry } from 'prom-client'
import type { Clock, OrderRepository } from '@domino-sm/core'
import { changeQueueConsumer } from '@domino-sm/core/internals'
import { withinDeadline } from '../http/deadline.js'

/** How long a scrape waits for the store before it reports what it knows. */
const STORE_CHECK_MS = 2000

/**
 * The review figures come from `stats`, which also counts whole tables: they are read when scraped, at most this
 * often. An order waits hours for a person, so a figure a few minutes old is enough to alert on.
 */
export const REVIEW_READ_EVERY_MS = 5 * 60_000

interface ReviewFigures {
  readonly waiting: number
  readonly oldestMark: Date | null
  /** The change queue of each consumer of Domino's jobs (a store that has them): changes not taken, and the oldest. */
  readonly queues: readonly { readonly consumer: string; readonly depth: number; readonly oldest: Date | null }[]
}

/**
 * The gauges that ask the store, on the registry of the hook's metrics, all read when Prometheus scrapes (nothing
 * runs when nobody scrapes, and there is no timer to stop):
 * - `sbermarket_hook_store_ready`: the store answered a ping within 2 s (the store half of `/readyz`);
 * - `sbermarket_hook_orders_for_review`, `sbermarket_hook_oldest_review_wait_seconds`: orders marked for review that no
 *   person has cleared, and how long the oldest has waited (0 when none), from `stats` read at most every
 *   `readEveryMs`. They hold counts and an age only: no order key.
 * - `sbermarket_hook_change_queue_depth{consumer}`, `sbermarket_hook_change_queue_oldest_seconds{consumer}`: the change
 *   queue of each consumer Domino's jobs registered (`change-queue add-consumer`), from the same read; a consumer that stopped
 *   taking shows as an oldest change that only ages. The label is the administrator's consumer name.
 */
export const registerStoreGauges = (
  registry: Registry,
  orders: OrderRepository,
  clock: Clock,
  readEveryMs = REVIEW_READ_EVERY_MS,
): void => {
  let figures: ReviewFigures = { waiting: 0, oldestMark: null, queues: [] }
  let lastAttempt = Number.NEGATIVE_INFINITY
  let reading: Promise<void> | undefined

  // A read that outlasts the scrape goes on, and the next scrape reports it; a failed one keeps the last figures
  // (the store-ready gauge says why) and is tried again after `readEveryMs`.
  const refresh = async (): Promise<void> => {
    if (reading === undefined && clock.now().getTime() - lastAttempt >= readEveryMs) {
      lastAttempt = clock.now().getTime()
      reading = orders
        .stats()()
        .then((stats) => {
          if (E.isRight(stats)) {
            const queues = stats.right.tables.flatMap((t) => {
              const consumer = changeQueueConsumer(t.table)
              return consumer === undefined ? [] : [{ consumer, depth: t.rows, oldest: t.oldest }]
            })
            figures = { waiting: stats.right.ordersForReview, oldestMark: stats.right.oldestReviewMark, queues }
          }
          reading = undefined
        })
    }
    if (reading !== undefined) await withinDeadline(reading, STORE_CHECK_MS)
  }

  new Gauge({
    name: 'sbermarket_hook_store_ready',
    help: 'Whether the store answered a ping within 2 s when scraped (1) or not (0): 0 means hook requests get 503',
    registers: [registry],
    async collect() {
      const pinged = await withinDeadline(orders.ping()(), STORE_CHECK_MS)
      this.set(pinged._tag === 'InTime' && E.isRight(pinged.value) ? 1 : 0)
    },
  })
  new Gauge({
    name: 'sbermarket_hook_orders_for_review',
    help: 'Orders marked for review that no person has cleared yet (docs/contract.md §2); read from the store at most every few minutes',
    registers: [registry],
    async collect() {
      await refresh()
      this.set(figures.waiting)
    },
  })
  new Gauge({
    name: 'sbermarket_hook_oldest_review_wait_seconds',
    help: 'How long the oldest order marked for review has waited for a person, in seconds (0 when none waits)',
    registers: [registry],
    async collect() {
      await refresh()
      this.set(
        figures.oldestMark === null ? 0 : Math.max(0, (clock.now().getTime() - figures.oldestMark.getTime()) / 1000),
      )
    },
  })
  new Gauge({
    name: 'sbermarket_hook_change_queue_depth',
    help: "Changes of orders a consumer of Domino's jobs has not taken yet, per consumer (docs/domino-integration.md §4); from the store's statistics",
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      await refresh()
      this.reset()
      for (const queue of figures.queues) this.set({ consumer: queue.consumer }, queue.depth)
    },
  })
  new Gauge({
    name: 'sbermarket_hook_change_queue_oldest_seconds',
    help: 'How long the oldest change a consumer has not taken has waited, in seconds (0 when its queue is empty)',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      await refresh()
      this.reset()
      for (const queue of figures.queues) {
        this.set(
          { consumer: queue.consumer },
          queue.oldest === null ? 0 : Math.max(0, (clock.now().getTime() - queue.oldest.getTime()) / 1000),
        )
      }
    },
  })
}
