import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP gate in front of SQL Server: while shut it resets every connection (SQL Server not reachable); once opened it
 * forwards bytes both ways. The hook connects to the gate's port and never knows.
 */
export interface TcpGate {
  readonly port: number
  readonly open: () => void
  /** Shuts the gate again: new connections are reset, and so is every connection it forwards now. */
  readonly shut: () => void
  readonly close: () => Promise<void>
}

/** A gate, shut at first, listening on a free loopback port. */
export const startGate = async (target: { readonly host: string; readonly port: number }): Promise<TcpGate> => {
  let opened = false
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.on('error', () => undefined)
    if (!opened) {
      client.resetAndDestroy()
      return
    }
    const upstream = connect(target.port, target.host)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no gate port')
  return {
    port: address.port,
    open: () => {
      opened = true
    },
    shut: () => {
      opened = false
      for (const socket of sockets) socket.resetAndDestroy()
    },
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The server part of an ADO connection string, to point it at a gate: `url.replace(SERVER_PART, '$1Server=127.0.0.1,<port>')`. */
export const SERVER_PART = /(^|;)\s*(Server|Data Source|Address|Addr|Network Address)\s*=[^;]*/i

/** Whether a TCP connection to 127.0.0.1:`port` is refused (nothing listens there). */
export const connectionRefused = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(false)
    })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'))
  })
