import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: the kernel picks it for a listener that is closed at once.
 * For nginx, whose port must be written into its config before it starts (the instances take PORT=0 instead).
 */
export const freeLoopbackPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
