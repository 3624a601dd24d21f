import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { RequestListener } from 'node:http'

/** A listening HTTP server and its graceful stop. */
export interface RunningServer {
  readonly server: Server
  /** e.g. http://127.0.0.1:8080 */
  readonly origin: string
  /** Stops accepting, lets requests in flight finish for up to `graceMs`, then closes what is left. */
  readonly stop: (graceMs: number) => Promise<void>
}

export const listen = (handler: RequestListener, host: string, port: number): Promise<RunningServer> =>
  new Promise((resolve, reject) => {
    const server = createServer({ keepAliveTimeout: 5000, headersTimeout: 10000, requestTimeout: 30000 }, handler)
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      const address = server.address() as AddressInfo
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
      resolve({ server, origin: `http://${shownHost}:${address.port}`, stop: (graceMs) => stop(server, graceMs) })
    })
  })

const stop = (server: Server, graceMs: number): Promise<void> =>
  new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), graceMs)
    server.close(() => {
      clearTimeout(force)
      resolve()
    })
    // Idle keep-alive connections would hold close() open; busy ones finish their request first.
    server.closeIdleConnections()
  })
