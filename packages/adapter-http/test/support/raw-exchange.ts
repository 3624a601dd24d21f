import { connect, type Socket } from 'node:net'

/** The first response on a raw connection, and what happened to the connection. */
export interface RawExchange {
  /** 0 when no response arrived. */
  readonly status: number
  /** Response header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Body bytes the client managed to hand to its socket before it stopped. */
  readonly bodyBytesSent: number
  /** The server ended or reset the connection (rather than the client giving up). */
  readonly closedByServer: boolean
  readonly error?: string
}

export interface RawRequest {
  readonly origin: string
  /** The request line and headers, without the blank line that ends them. */
  readonly head: string
  /** How many body bytes to send after the head (each a space), as fast as the socket takes them. */
  readonly bodyBytes: number
  /** Give up this long after the start (the connection is then destroyed by the client). */
  readonly timeoutMs?: number
}

const CHUNK = Buffer.alloc(64 * 1024, 0x20)

interface Parsed {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
}

/** A complete response with a Content-Length at the start of `data`, or undefined while it is incomplete. */
const parseResponse = (data: Buffer): Parsed | undefined => {
  const end = data.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine = '', ...lines] = data.subarray(0, end).toString('latin1').split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? '0')
  if (data.length < end + 4 + length) return undefined
  return {
    status: Number(statusLine.split(' ')[1] ?? '0'),
    headers,
    body: data.subarray(end + 4, end + 4 + length).toString('utf8'),
  }
}

/** What a raw exchange saw: the first response parsed from the bytes received (status 0 when there was none). */
const exchangeOf = (
  received: Buffer,
  bodyBytesSent: number,
  closedByServer: boolean,
  error: string | undefined,
): RawExchange => {
  const parsed = parseResponse(received)
  return {
    status: parsed?.status ?? 0,
    headers: parsed?.headers ?? {},
    body: parsed?.body ?? '',
    bodyBytesSent,
    closedByServer,
    ...(error === undefined ? {} : { error }),
  }
}

/**
 * Sends a request whose body is pushed as fast as the server takes it, like a client that does not wait for an
 * early answer (or an attacker who declares gigabytes). Resolves when the server closed the connection, when all
 * of the body was sent and the answer read (plus a moment to see whether the server closes), or at the timeout.
 */
export const rawExchange = (request: RawRequest): Promise<RawExchange> =>
  new Promise((resolve) => {
    const url = new URL(request.origin)
    const socket: Socket = connect(Number(url.port), url.hostname)
    let received = Buffer.alloc(0)
    let sent = 0
    let closedByServer = false
    let error: string | undefined
    let settled = false
    const finish = (): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(exchangeOf(received, sent, closedByServer, error))
    }
    const timer = setTimeout(finish, request.timeoutMs ?? 10_000)
    const pump = (): void => {
      while (!settled && !socket.destroyed && sent < request.bodyBytes) {
        const chunk = CHUNK.subarray(0, Math.min(CHUNK.length, request.bodyBytes - sent))
        sent += chunk.length
        if (!socket.write(chunk)) {
          socket.once('drain', pump)
          return
        }
      }
      // Everything sent: wait for the answer, then a moment to see whether the server closes the connection.
      if (sent >= request.bodyBytes) setTimeout(finish, 300)
    }
    socket.on('connect', () => {
      socket.write(`${request.head}\r\n\r\n`)
      pump()
    })
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
    })
    socket.on('end', () => {
      closedByServer = true
      finish()
    })
    socket.on('error', (e: Error) => {
      closedByServer = true
      error = e.message
      finish()
    })
  })

/**
 * Sends `head` (request line and headers, `Connection: close` added) and `body` byte for byte, as written: no URL
 * normalisation by a client library, so a test can send any spelling of a path. Resolves with the first response.
 */
export const rawRoundTrip = (origin: string, head: string, body = ''): Promise<RawExchange> =>
  new Promise((resolve) => {
    const url = new URL(origin)
    const socket = connect(Number(url.port), url.hostname)
    let received = Buffer.alloc(0)
    let error: string | undefined
    const done = (): void => {
      clearTimeout(timer)
      socket.destroy()
      resolve(exchangeOf(received, Buffer.byteLength(body), true, error))
    }
    const timer = setTimeout(done, 5000)
    socket.on('connect', () => socket.write(`${head}\r\nConnection: close\r\n\r\n${body}`))
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk])
    })
    socket.on('close', done)
    socket.on('error', (e: Error) => {
      error = e.message
    })
  })
