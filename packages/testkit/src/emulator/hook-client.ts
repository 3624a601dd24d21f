import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { authHeader, type EmulatorAuthForm } from './auth-form.js'
import { attemptSucceeded, postAttempt, type AttemptResult } from './post-attempt.js'
import { scaledTiming, type DeliveryTiming } from './retry-schedule.js'

/** One event to deliver: its type as sent, its order key, and the JSON body. */
export interface OutgoingEvent {
  readonly eventType: string
  readonly originalOrderId: string
  readonly body: string
}

/** How the delivery of one event ended, with every attempt made. */
export interface DeliveryResult {
  readonly event: OutgoingEvent
  readonly attempts: readonly AttemptResult[]
  /** An attempt succeeded (a status below 400 in time). */
  readonly delivered: boolean
  /** The successful answer, when there was one. */
  readonly answer?: { readonly status: number; readonly body: string }
  /** `order.created` that failed every attempt: SberMarket cancels the order on its side (docs/contract.md §2). */
  readonly cancelledByMarketplace: boolean
}

export interface HookClientOptions {
  /** The hook URL, e.g. https://company.example/sbermarket/orders/hook/ */
  readonly url: string
  readonly token: string
  /** How the token is sent: `Client-Token` (the default), `Authorization: Bearer`, or Basic's password. */
  readonly authForm?: EmulatorAuthForm
  /** The user name sent with Basic (`sbermarket` by default). */
  readonly basicUser?: string
  /** 1 = SberMarket's real timing; 0.01 makes the 5 s timeout 50 ms and every pause 100 times shorter. */
  readonly timeScale?: number
  /**
   * An explicit timing (per-attempt timeout and the pauses before each retry) used instead of
   * `scaledTiming(timeScale)`, e.g. for system tests that need their own schedule. The timeout must be a positive
   * finite number of milliseconds and every pause a non-negative finite one.
   */
  readonly timing?: DeliveryTiming
  /** Called after every attempt (tests use it to heal a store between attempts). */
  readonly onAttempt?: (event: OutgoingEvent, attempt: AttemptResult, attemptNumber: number) => void
}

/** Checks an explicit timing; throws a RangeError naming the first bad value. */
const validTiming = (timing: DeliveryTiming): DeliveryTiming => {
  const { timeoutMs, retryIntervalsMs } = timing
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new RangeError(`timing.timeoutMs must be a positive number, got ${String(timeoutMs)}`)
  retryIntervalsMs.forEach((ms, i) => {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`timing.retryIntervalsMs[${i}] must be a non-negative number, got ${String(ms)}`)
  })
  // A copy, so that a caller changing its array later cannot change the schedule of this client.
  return { timeoutMs, retryIntervalsMs: [...retryIntervalsMs] }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Delivers events as SberMarket does: POST with the token (`Client-Token`, or Bearer or Basic: `authForm`) and
 * `Content-Type: application/json`, a timeout per
 * attempt, and retries after growing pauses on a timeout, a connection error or any 4xx/5xx.
 */
export class HookClient {
  readonly timing: DeliveryTiming
  private readonly url: URL
  private readonly agent: HttpAgent | HttpsAgent
  private readonly headers: Readonly<Record<string, string>>

  constructor(private readonly options: HookClientOptions) {
    this.url = new URL(options.url)
    this.timing = options.timing === undefined ? scaledTiming(options.timeScale ?? 1) : validTiming(options.timing)
    this.headers = {
      'Content-Type': 'application/json',
      ...authHeader(options.authForm ?? 'client-token', options.token, options.basicUser),
    }
    this.agent =
      this.url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })
  }

  async deliver(event: OutgoingEvent): Promise<DeliveryResult> {
    const attempts: AttemptResult[] = []
    const pauses = this.timing.retryIntervalsMs
    for (let index = 0; index <= pauses.length; index += 1) {
      if (index > 0) await sleep(pauses[index - 1] ?? 0)
      const attempt = await postAttempt({
        url: this.url,
        headers: this.headers,
        body: event.body,
        timeoutMs: this.timing.timeoutMs,
        agent: this.agent,
      })
      attempts.push(attempt)
      this.options.onAttempt?.(event, attempt, index + 1)
      if (attempt._tag === 'Answered' && attemptSucceeded(attempt)) {
        return {
          event,
          attempts,
          delivered: true,
          answer: { status: attempt.status, body: attempt.body },
          cancelledByMarketplace: false,
        }
      }
    }
    return { event, attempts, delivered: false, cancelledByMarketplace: event.eventType === 'order.created' }
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy()
  }
}
