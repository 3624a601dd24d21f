import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A TCP gate on a loopback port, in front of a server (SQL Server): while shut it resets every connection (the server
 * not reachable); once opened it forwards bytes both ways, and the client never knows. It counts the connections made
 * to it, so a test also sees whether a program connected at all and how many it held open at once (the command line's
 * one connection). Without a target it is never open: a tripwire that only counts.
 */
export interface TcpGate {
  readonly port: number
  readonly open: () => void
  /** Shuts the gate again: new connections are reset, and so is every connection it forwards now. */
  readonly shut: () => void
  /** The connections made to the gate so far, and the most that were open at once. */
  readonly connections: () => number
  readonly peak: () => number
  readonly close: () => Promise<void>
}

/** A gate listening on a free loopback port, shut at first unless `open` says otherwise. */
export const startGate = async (
  target?: { readonly host: string; readonly port: number },
  options: { readonly open?: boolean } = {},
): Promise<TcpGate> => {
  let opened = options.open === true
  let count = 0
  let openNow = 0
  let peak = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    count += 1
    openNow += 1
    peak = Math.max(peak, openNow)
    sockets.add(client)
    client.on('close', () => {
      openNow -= 1
      sockets.delete(client)
    })
    client.on('error', () => undefined)
    if (!opened || target === undefined) {
      client.resetAndDestroy()
      return
    }
    const upstream = connect(target.port, target.host)
    sockets.add(upstream)
    upstream.on('close', () => {
      sockets.delete(upstream)
      client.destroy()
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
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
    connections: () => count,
    peak: () => peak,
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
