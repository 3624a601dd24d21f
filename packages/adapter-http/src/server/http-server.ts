import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { Server as NetServer, type AddressInfo } from 'node:net'

/**
 * How long the service keeps an idle connection open (Node's `keepAliveTimeout`; Node adds a second of its own
 * before it closes the socket). nginx's upstream `keepalive_timeout` in deploy/nginx/hook.conf.template must stay
 * below it, so that nginx, never the instance, closes an idle connection: a request nginx sends on a connection
 * at the moment the instance closes it never reaches the instance (nginx then sends it to another instance, by the
 * template's `proxy_next_upstream`, but only within its short window; after that it answers 502).
 */
const KEEP_ALIVE_TIMEOUT_MS = 5000

/** A listening HTTP server and its graceful stop. */
export interface RunningServer {
  readonly server: Server
  /** e.g. http://127.0.0.1:8080 */
  readonly origin: string
  /**
   * Stops accepting connections and waits until every open one has ended, for up to `graceMs`; then closes what
   * is left. The app must answer with `Connection: close` once stopping (see http/connection-close.ts), so that
   * each busy connection ends after its answer; idle ones are left to their client (nginx closes its idle
   * connections within its keepalive_timeout) or to `KEEP_ALIVE_TIMEOUT_MS`. `onClosing` runs in the same step as
   * the listening socket's close (the caller switches its readiness off there).
   */
  readonly stop: (graceMs: number, onClosing?: () => void) => Promise<void>
}

/** How long a client has to send a request's headers, at most (less when the whole request has less). */
const HEADERS_TIMEOUT_MS = 10000

export interface ListenOptions {
  /**
   * REQUEST_TIMEOUT_MS: how long a client has to send a whole request (30 s by default). Node then answers 408
   * and closes the connection; the hook journals such a request as answered 408 (http/hook-request-guards.ts).
   */
  readonly requestTimeoutMs?: number
}

/**
 * How often Node looks for requests past their time (its default, 30 s, would let a 408 come up to twice the
 * timeout late): a tenth of the timeout, within 100 ms and 1 s.
 */
const checkingIntervalMs = (requestTimeoutMs: number): number =>
  Math.min(1000, Math.max(100, Math.floor(requestTimeoutMs / 10)))

/**
 * What `listen` serves: a Koa app's `callback()`, or a plain listener. Koa's promise never rejects (the app answers
 * every error itself, `app.onerror`), so nothing awaits it: the server calls it and goes on.
 */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void

export const listen = (
  handler: RequestHandler,
  host: string,
  port: number,
  options: ListenOptions = {},
): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const requestTimeout = options.requestTimeoutMs ?? 30000
    const server = createServer(
      {
        keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
        headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
        requestTimeout,
        connectionsCheckingInterval: checkingIntervalMs(requestTimeout),
      },
      (request, response) => void handler(request, response),
    )
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address() as AddressInfo
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
      resolve({ server, origin: `http://${shownHost}:${address.port}`, stop: stopper(server) })
    })
  })

/** The graceful stop of `server`; calling it again returns the same stop. */
const stopper = (server: Server): RunningServer['stop'] => {
  let stopping: Promise<void> | undefined
  return (graceMs, onClosing) => (stopping ??= drain(server, graceMs, onClosing ?? (() => undefined)))
}

/** How long the stop waits at most for a turn of the event loop in which the kernel handed over no new connection. */
const MAX_ACCEPT_TURNS_MS = 100

/**
 * Resolves in the check phase of the first turn of the event loop whose poll accepted no connection (or after
 * `MAX_ACCEPT_TURNS_MS`). Closing the listening socket resets every connection the kernel has completed and Node has
 * not yet accepted, and nginx has already sent its request on each (nginx sends it to another instance within its
 * `proxy_next_upstream_timeout`, a 502 after that); after a pause of the loop
 * there can be several. Closing right after a turn that found none leaves only those completed within that turn.
 */
const acceptPending = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    let accepted = 0
    const onConnection = (): void => {
      accepted += 1
    }
    server.on('connection', onConnection)
    const until = performance.now() + MAX_ACCEPT_TURNS_MS
    const check = (): void => {
      if (accepted > 0 && performance.now() < until) {
        accepted = 0
        setImmediate(check)
        return
      }
      server.off('connection', onConnection)
      resolve()
    }
    setImmediate(check)
  })

const drain = async (server: Server, graceMs: number, onClosing: () => void): Promise<void> => {
  const started = performance.now()
  await acceptPending(server)
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), Math.max(0, graceMs - (performance.now() - started)))
    // The caller's switch (not ready; every answer says `Connection: close`) and the close are one step: were an
    // answer with `Connection: close` written while the socket still listened, nginx would open a new connection
    // for its next request, and the close would reset it.
    onClosing()
    // `net.Server#close`, not `http.Server#close`: the latter also closes every idle keep-alive connection at once,
    // and that is the race that cost 502s: nginx may be writing its next request on such a connection at that very
    // moment. The listening socket closes (a new connection is refused, and nginx passes a refused request to
    // another instance); the callback comes when the last open connection has ended.
    NetServer.prototype.close.call(server, () => {
      clearTimeout(force)
      resolve()
    })
  })
}
