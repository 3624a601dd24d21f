import * as E from 'fp-ts/lib/Either.js'

/** Where a server name like `tcp:db01\DOMINO,1433` puts its host, instance and port. */
export interface ServerAddress {
  readonly host: string
  readonly instanceName?: string
  readonly port?: number
}

const PORT = /^\d{1,5}$/

const parsePort = (text: string, what: string): E.Either<string, number> => {
  const trimmed = text.trim()
  const port = Number(trimmed)
  return PORT.test(trimmed) && port >= 1 && port <= 65535
    ? E.right(port)
    : E.left(`${what}: port must be a number from 1 to 65535`)
}

/** Parses SQL Server's server syntax: `host`, `host,port`, `host\instance`, `tcp:host,port`. Named pipes are refused. */
export const parseServerAddress = (text: string, what: string): E.Either<string, ServerAddress> => {
  let rest = text.trim()
  if (/^np:/i.test(rest)) return E.left(`${what}: named pipes (np:) are not supported; use TCP`)
  if (/^tcp:/i.test(rest)) rest = rest.slice(4).trim()
  let port: number | undefined
  const comma = rest.lastIndexOf(',')
  if (comma >= 0) {
    const parsed = parsePort(rest.slice(comma + 1), what)
    if (E.isLeft(parsed)) return parsed
    port = parsed.right
    rest = rest.slice(0, comma).trim()
  }
  const slash = rest.indexOf('\\')
  const host = (slash >= 0 ? rest.slice(0, slash) : rest).trim()
  const instanceName = slash >= 0 ? rest.slice(slash + 1).trim() : undefined
  if (host === '') return E.left(`${what}: the server host is empty`)
  if (instanceName === '') return E.left(`${what}: the instance name after "\\" is empty`)
  const local = host === '.' || host.toLowerCase() === '(local)' || host.toLowerCase() === '(.)'
  return E.right({
    host: local ? 'localhost' : host,
    ...(instanceName === undefined ? {} : { instanceName }),
    ...(port === undefined ? {} : { port }),
  })
}
