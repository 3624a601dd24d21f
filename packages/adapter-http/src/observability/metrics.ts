import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { eventKindOf, KNOWN_EVENT_TYPES, type Outcome } from '@domino-sm/core'
import { FOR_REVIEW, NEEDS_A_PERSON } from '@domino-sm/core/internals'

type RequestLabels = 'event_type' | 'outcome' | 'status'
type HistogramChild = ReturnType<Histogram<'event_type'>['labels']>

/** Event types as sent are client text: at most this many spellings are remembered with their label. */
const MAX_REMEMBERED_SPELLINGS = 64

/** Every value the `event_type` label can take. */
const EVENT_LABELS: readonly string[] = [...KNOWN_EVENT_TYPES, 'other', 'none']

/** An answer later than this share of HOOK_DEADLINE_MS is counted as near the deadline. */
export const NEAR_DEADLINE_SHARE = 0.8

export interface HookMetricsOptions {
  readonly processMetrics: boolean
  /** HOOK_DEADLINE_MS in seconds: answers later than `NEAR_DEADLINE_SHARE` of it are counted. Absent: none is. */
  readonly deadlineSeconds?: number
  /**
   * What this instance runs and where it writes: `sbermarket_hook_build_info{version,commit,store} 1`. Absent (tests
   * of the edge alone): the series is not served.
   */
  readonly build?: BuildLabels
}

/** The labels of `sbermarket_hook_build_info`: the build (build-info/build-info.ts) and the store's identity. */
interface BuildLabels {
  readonly version: string
  readonly commit: string
  /** Where the orders go (StoreHandle.identity): never a password. */
  readonly store: string
}

/**
 * The hook's Prometheus metrics, on a registry of its own so that several apps (tests) never share counters.
 * Per request they cost no label object and no label hashing for the counter: the counts live in cells found
 * through small maps (event label -> outcome -> status; the label sets are few and known), and are handed to
 * prom-client when it is scraped. The histogram's children are bound once per event label; prom-client still
 * hashes the label inside `observe`, which is all that remains of the label cost.
 */
export class HookMetrics {
  readonly registry = new Registry()
  readonly #cells = new Map<string, Map<string, Map<number, { count: number }>>>()
  readonly #durations = new Map<string, HistogramChild>()
  readonly #labelOf = new Map<string, string>()
  readonly #duration: Histogram<'event_type'>
  readonly #reviewMarks: Counter<'event_type'>
  readonly #storeRefusals: Counter<'event_type'>
  readonly #rejected: Counter<'event_type'>
  readonly #nearDeadline: Counter
  readonly #journalEntriesLost: Counter
  readonly #nearDeadlineSeconds: number
  readonly #retentionLastSuccess: Gauge
  readonly #retentionInterval: Gauge

  constructor(options: HookMetricsOptions) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry })
    const cells = this.#cells
    new Counter<RequestLabels>({
      name: 'sbermarket_hook_requests_total',
      help: 'Hook requests by event type, outcome and status answered',
      labelNames: ['event_type', 'outcome', 'status'],
      registers: [this.registry],
      // Scrapes are rare; the totals are copied in here, so the series are exactly the label sets counted so far.
      collect() {
        this.reset()
        for (const [eventType, byOutcome] of cells) {
          for (const [outcome, byStatus] of byOutcome) {
            for (const [status, cell] of byStatus)
              this.inc({ event_type: eventType, outcome, status: String(status) }, cell.count)
          }
        }
      },
    })
    this.#reviewMarks = new Counter({
      name: 'sbermarket_hook_review_marks_total',
      help: 'Requests that marked an order for review: an order.created or order.changed the hook could not read whole (docs/contract.md §2)',
      labelNames: ['event_type'],
      registers: [this.registry],
    })
    this.#storeRefusals = new Counter({
      name: 'sbermarket_hook_store_refusals_total',
      help: 'Requests the store refused for a reason a retry does not fix (answered 500, journaled failed "needs a person"): each needs support',
      labelNames: ['event_type'],
      registers: [this.registry],
    })
    this.#rejected = new Counter({
      name: 'sbermarket_hook_rejected_requests_total',
      help: 'Requests answered 4xx because the hook could not read them (journaled rejected, with what was received): each needs a look from support',
      labelNames: ['event_type'],
      registers: [this.registry],
    })
    // The counters that alerts watch one by one start at zero for every label value: Prometheus's increase() only
    // sees a rise between two samples, so a series that first appeared at 1 would hide the first one counted.
    for (const label of EVENT_LABELS) {
      this.#reviewMarks.labels(label).inc(0)
      this.#storeRefusals.labels(label).inc(0)
      this.#rejected.labels(label).inc(0)
    }
    // Starts at 0 like the counters above, so that increase() sees the first loss.
    this.#journalEntriesLost = new Counter({
      name: 'sbermarket_hook_journal_entries_lost_total',
      help: "Journal entries of answered requests that could not be written (after their retries, or when a stop's grace ended): each is in the log as one error line",
      registers: [this.registry],
    })
    this.#journalEntriesLost.inc(0)
    const deadlineSeconds = options.deadlineSeconds
    this.#nearDeadlineSeconds =
      deadlineSeconds === undefined ? Number.POSITIVE_INFINITY : deadlineSeconds * NEAR_DEADLINE_SHARE
    this.#nearDeadline = new Counter({
      name: 'sbermarket_hook_answers_near_deadline_total',
      help: `Hook requests answered after ${NEAR_DEADLINE_SHARE * 100}% of HOOK_DEADLINE_MS (SberMarket gives up at 5 s and sends again)`,
      registers: [this.registry],
    })
    new Gauge({
      name: 'sbermarket_hook_deadline_seconds',
      help: 'HOOK_DEADLINE_MS in seconds: a request the store has not answered by then is answered 503',
      registers: [this.registry],
    }).set(deadlineSeconds ?? 0)
    this.#retentionInterval = new Gauge({
      name: 'sbermarket_hook_retention_interval_seconds',
      help: 'RETENTION_INTERVAL_MINUTES in seconds: how often this instance applies the retention policy (0: never, a DBA runs journal prune)',
      registers: [this.registry],
    })
    this.#retentionLastSuccess = new Gauge({
      name: 'sbermarket_hook_retention_last_success_timestamp_seconds',
      help: 'When a retention run of this instance last finished without error (Unix time); the start of the schedule before the first run',
      registers: [this.registry],
    })
    if (options.build !== undefined) {
      // The alerts SberMarketHookStoresDiffer and SberMarketHookVersionsDiffer compare these labels across instances.
      new Gauge<keyof BuildLabels>({
        name: 'sbermarket_hook_build_info',
        help: 'Always 1: the version and commit this instance runs, and the store it writes orders to',
        labelNames: ['version', 'commit', 'store'],
        registers: [this.registry],
      }).set({ version: options.build.version, commit: options.build.commit, store: options.build.store }, 1)
    }
    this.#duration = new Histogram({
      name: 'sbermarket_hook_request_duration_seconds',
      help: 'Time from receiving a hook request to answering it',
      labelNames: ['event_type'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 4, 5],
      registers: [this.registry],
    })
  }

  /** Event types as sent are unbounded text: only the known ones become label values, the rest `other`. */
  static eventLabel(eventType: string | null): string {
    if (eventType === null) return 'none'
    return eventKindOf(eventType) === undefined ? 'other' : eventType.trim().toLowerCase()
  }

  /** `eventLabel`, remembered for the spellings seen (a few: `order.created`, ...), so that a request costs a lookup. */
  #label(eventType: string | null): string {
    if (eventType === null) return 'none'
    const known = this.#labelOf.get(eventType)
    if (known !== undefined) return known
    const label = HookMetrics.eventLabel(eventType)
    if (this.#labelOf.size < MAX_REMEMBERED_SPELLINGS) this.#labelOf.set(eventType, label)
    return label
  }

  #cell(label: string, outcome: string, status: number): { count: number } {
    let byOutcome = this.#cells.get(label)
    if (byOutcome === undefined) this.#cells.set(label, (byOutcome = new Map<string, Map<number, { count: number }>>()))
    let byStatus = byOutcome.get(outcome)
    if (byStatus === undefined) byOutcome.set(outcome, (byStatus = new Map<number, { count: number }>()))
    let cell = byStatus.get(status)
    if (cell === undefined) byStatus.set(status, (cell = { count: 0 }))
    return cell
  }

  #durationOf(label: string): HistogramChild {
    let child = this.#durations.get(label)
    if (child === undefined) this.#durations.set(label, (child = this.#duration.labels(label)))
    return child
  }

  /**
   * One answered request. `detail` is the journal's: a created order or a kept change that carries a review mark
   * says so with core's `FOR_REVIEW` prefix, and is counted in `sbermarket_hook_review_marks_total`; a request the
   * store refused for good says so with `NEEDS_A_PERSON`, and is counted in `sbermarket_hook_store_refusals_total`.
   * A rejected request is counted in `sbermarket_hook_rejected_requests_total`, an answer later than
   * `NEAR_DEADLINE_SHARE` of the deadline in `sbermarket_hook_answers_near_deadline_total`. The alert rules in
   * deploy/prometheus/ are written against these names.
   */
  observe(
    eventType: string | null,
    outcome: Outcome | 'unauthorized',
    status: number,
    seconds: number,
    detail: string | null = null,
  ): void {
    const label = this.#label(eventType)
    this.#cell(label, outcome, status).count += 1
    this.#durationOf(label).observe(seconds)
    if (seconds > this.#nearDeadlineSeconds) this.#nearDeadline.inc()
    if (outcome === 'rejected') this.#rejected.inc({ event_type: label })
    if (outcome === 'failed' && detail?.startsWith(NEEDS_A_PERSON) === true)
      this.#storeRefusals.inc({ event_type: label })
    if (status === 200 && (outcome === 'review' || (outcome === 'created' && detail?.startsWith(FOR_REVIEW) === true)))
      this.#reviewMarks.inc({ event_type: label })
  }

  /** A journal entry of an answered request was given up (http/late-journal-writes.ts logs which). */
  journalEntryLost(): void {
    this.#journalEntriesLost.inc()
  }

  /** The retention schedule started (its interval; 0 when off): the start counts as the last success until a run ends. */
  retentionScheduled(intervalMs: number, at: Date): void {
    this.#retentionInterval.set(intervalMs / 1000)
    if (intervalMs > 0) this.#retentionLastSuccess.set(at.getTime() / 1000)
  }

  /** A retention run finished without error. */
  retentionSucceeded(at: Date): void {
    this.#retentionLastSuccess.set(at.getTime() / 1000)
  }
}
