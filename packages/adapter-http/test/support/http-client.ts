import { request } from 'node:http'

/** A response as the test sees it: status, headers, the body text, and the body parsed when it is JSON. */
export interface TestResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly text: string
  readonly json: unknown
  /** Milliseconds from sending to the end of the answer. */
  readonly elapsedMs: number
}

export interface SendOptions {
  readonly method?: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string | Buffer
}

/**
 * A plain HTTP client over a real socket: it sends exactly the headers given (no automatic Content-Type, unlike
 * fetch), so tests can send what a broken or hostile client would.
 */
export const send = (url: string, options: SendOptions = {}): Promise<TestResponse> =>
  new Promise((resolve, reject) => {
    const started = performance.now()
    const body =
      options.body === undefined
        ? undefined
        : Buffer.isBuffer(options.body)
          ? options.body
          : Buffer.from(options.body, 'utf8')
    const req = request(url, {
      method: options.method ?? 'POST',
      headers: { ...(body === undefined ? {} : { 'Content-Length': String(body.length) }), ...options.headers },
      agent: false,
    })
    req.on('error', reject)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = text === '' ? undefined : JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json,
          elapsedMs: performance.now() - started,
        })
      })
    })
    req.end(body)
  })

/** POSTs a hook body with the token and JSON content type, as SberMarket does. */
export const postHook = (
  url: string,
  token: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<TestResponse> =>
  send(url, { body, headers: { 'Content-Type': 'application/json', 'Client-Token': token, ...headers } })
