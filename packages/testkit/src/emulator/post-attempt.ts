import { request as httpRequest, type Agent as HttpAgent } from 'node:http'
import { request as httpsRequest, type Agent as HttpsAgent } from 'node:https'

/** What one POST came to: an answer (any status), no answer within the timeout, or a failed connection. */
export type AttemptResult =
  | { readonly _tag: 'Answered'; readonly status: number; readonly body: string; readonly elapsedMs: number }
  | { readonly _tag: 'TimedOut'; readonly elapsedMs: number }
  | { readonly _tag: 'ConnectionError'; readonly code: string; readonly elapsedMs: number }

/** SberMarket counts an attempt as failed on a timeout, a connection error, or any 4xx or 5xx. */
export const attemptSucceeded = (result: AttemptResult): boolean => result._tag === 'Answered' && result.status < 400

export interface PostAttempt {
  readonly url: URL
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly timeoutMs: number
  readonly agent?: HttpAgent | HttpsAgent
}

const errorCode = (error: unknown): string => {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'unknown'
}

/**
 * One POST with a deadline over the whole exchange (connect, send, read the answer). At the deadline the socket is
 * destroyed, as a client that stopped waiting would; never rejects.
 */
export const postAttempt = (attempt: PostAttempt): Promise<AttemptResult> =>
  new Promise((resolve) => {
    const started = performance.now()
    const elapsedMs = (): number => performance.now() - started
    let settled = false
    const settle = (result: AttemptResult): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(result)
    }
    const payload = Buffer.from(attempt.body, 'utf8')
    const request = attempt.url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = request(attempt.url, {
      method: 'POST',
      headers: { ...attempt.headers, 'Content-Length': String(payload.length) },
      ...(attempt.agent === undefined ? {} : { agent: attempt.agent }),
    })
    const timer = setTimeout(() => {
      settle({ _tag: 'TimedOut', elapsedMs: elapsedMs() })
      req.destroy()
    }, attempt.timeoutMs)
    req.on('error', (error) => settle({ _tag: 'ConnectionError', code: errorCode(error), elapsedMs: elapsedMs() }))
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => settle({ _tag: 'ConnectionError', code: errorCode(error), elapsedMs: elapsedMs() }))
      res.on('end', () =>
        settle({
          _tag: 'Answered',
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          elapsedMs: elapsedMs(),
        }),
      )
    })
    req.end(payload)
  })
