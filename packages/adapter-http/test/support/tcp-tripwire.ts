import { connect, createServer, type Server, type Socket } from 'node:net'

/**
 * A TCP listener on loopback that counts the connections made to it, and either refuses them (closes at once) or
 * forwards each to `forwardTo`: a command line pointed at it shows whether it connected at all, and how many
 * connections it opened to a real server.
 */
export interface Tripwire {
  readonly port: number
  readonly connections: () => number
  /** The most connections that were open at once. */
  readonly peak: () => number
  readonly close: () => Promise<void>
}

export const openTripwire = async (forwardTo?: { readonly host: string; readonly port: number }): Promise<Tripwire> => {
  let count = 0
  let open = 0
  let peak = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    count += 1
    open += 1
    peak = Math.max(peak, open)
    sockets.add(socket)
    socket.on('close', () => {
      open -= 1
      sockets.delete(socket)
    })
    socket.on('error', () => undefined)
    if (forwardTo === undefined) {
      socket.destroy()
      return
    }
    const upstream = connect(forwardTo.port, forwardTo.host)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => socket.destroy())
    socket.on('close', () => upstream.destroy())
    upstream.on('close', () => socket.destroy())
    socket.pipe(upstream).pipe(socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the tripwire has no port')
  return {
    port: address.port,
    connections: () => count,
    peak: () => peak,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
