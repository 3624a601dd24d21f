import { postHook, type TestResponse } from '../../support/http-client.js'

/** One try of a request: what came back, or why nothing did. */
export type Attempt =
  | { readonly _tag: 'Answered'; readonly status: number; readonly json: unknown; readonly atMs: number }
  | { readonly _tag: 'NoAnswer'; readonly reason: string; readonly atMs: number }

/** A logical request as SberMarket sends it: the first try and its retries. */
export interface Delivery {
  readonly body: string
  readonly attempts: readonly Attempt[]
  /** The 2xx answer that ended it, or undefined when every try failed. */
  readonly final?: { readonly status: number; readonly json: unknown }
}

export interface RetryPolicy {
  /** SberMarket waits 5 s for an answer. */
  readonly timeoutMs: number
  /** The pauses before each retry; their count is the number of retries (SberMarket: 7). */
  readonly pausesMs: readonly number[]
}

/** SberMarket's policy (spec §2) with the pauses scaled down from its real ones to fit a test: 7 growing pauses. */
export const SBERMARKET_LIKE: RetryPolicy = { timeoutMs: 5000, pausesMs: [100, 200, 400, 800, 1600, 2000, 2000] }

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const withTimeout = (work: Promise<TestResponse>, ms: number): Promise<TestResponse | 'timeout'> => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
  })
  // A request given up on is left to finish or fail on its own (nginx ends it within its read timeout).
  work.catch(() => undefined)
  return Promise.race([work, late]).finally(() => clearTimeout(timer))
}

/**
 * Sends `body` the way SberMarket does: on a timeout, a connection error, or any 4xx/5xx answer it waits the next
 * pause and sends the same body again, until a 2xx answer or the pauses run out.
 */
export const deliverLikeSberMarket = async (
  url: string,
  token: string,
  body: string,
  policy: RetryPolicy = SBERMARKET_LIKE,
  onAttempt: (attempt: Attempt) => void = () => undefined,
): Promise<Delivery> => {
  const started = performance.now()
  const attempts: Attempt[] = []
  for (let i = 0; i <= policy.pausesMs.length; i += 1) {
    if (i > 0) await sleep(policy.pausesMs[i - 1] ?? 0)
    const atMs = Math.round(performance.now() - started)
    const result = await withTimeout(postHook(url, token, body), policy.timeoutMs).catch((error: unknown) => error as Error)
    const attempt: Attempt =
      result === 'timeout'
        ? { _tag: 'NoAnswer', reason: 'timeout', atMs }
        : result instanceof Error
          ? { _tag: 'NoAnswer', reason: result.message, atMs }
          : { _tag: 'Answered', status: result.status, json: result.json, atMs }
    attempts.push(attempt)
    onAttempt(attempt)
    if (attempt._tag === 'Answered' && attempt.status >= 200 && attempt.status < 300) {
      return { body, attempts, final: { status: attempt.status, json: attempt.json } }
    }
  }
  return { body, attempts }
}
