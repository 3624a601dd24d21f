import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import { eventKindOf, type Outcome } from '@domino-sm/core'

/** The hook's Prometheus metrics, on a registry of its own so that several apps (tests) never share counters. */
export class HookMetrics {
  readonly registry = new Registry()
  readonly #requests: Counter<'event_type' | 'outcome' | 'status'>
  readonly #duration: Histogram<'event_type'>

  constructor(options: { readonly processMetrics: boolean }) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry })
    this.#requests = new Counter({
      name: 'sbermarket_hook_requests_total',
      help: 'Hook requests by event type, outcome and status answered',
      labelNames: ['event_type', 'outcome', 'status'],
      registers: [this.registry],
    })
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

  observe(eventType: string | null, outcome: Outcome | 'unauthorized', status: number, seconds: number): void {
    const label = HookMetrics.eventLabel(eventType)
    this.#requests.inc({ event_type: label, outcome, status: String(status) })
    this.#duration.observe({ event_type: label }, seconds)
  }
}
