import * as E from 'fp-ts/lib/Either.js'
import { parse as parseKeyValues } from '@tediousjs/connection-string'
import { parseServerAddress } from './server-address.js'

/**
 * The connection facts that `DOMINO_DB_URL` can carry, before defaults and validation. Every field is optional:
 * what a connection string leaves out may come from the discrete `DOMINO_DB_*` settings.
 */
export interface ConnectionFacts {
  readonly server?: string
  readonly port?: number
  readonly instanceName?: string
  readonly database?: string
  readonly user?: string
  readonly password?: string
  readonly encrypt?: boolean
  readonly trustServerCertificate?: boolean
  readonly connectTimeoutMs?: number
  readonly appName?: string
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** `true`/`false` as connection strings spell them (`yes`/`no`, `mandatory`/`optional` for Encrypt). */
export const parseFlag = (text: string, what: string): E.Either<string, boolean> => {
  const value = text.trim().toLowerCase()
  if (['true', 'yes', '1', 'mandatory'].includes(value)) return E.right(true)
  if (['false', 'no', '0', 'optional'].includes(value)) return E.right(false)
  if (value === 'strict') return E.left(`${what}: Encrypt=Strict (TDS 8) is not supported here; use Encrypt=true`)
  return E.left(`${what}: expected true or false`)
}

const KEYS: Readonly<Record<string, keyof ConnectionFacts | 'server'>> = {
  server: 'server',
  'data source': 'server',
  address: 'server',
  addr: 'server',
  'network address': 'server',
  database: 'database',
  'initial catalog': 'database',
  'user id': 'user',
  uid: 'user',
  user: 'user',
  password: 'password',
  pwd: 'password',
  encrypt: 'encrypt',
  trustservercertificate: 'trustServerCertificate',
  'trust server certificate': 'trustServerCertificate',
  'connect timeout': 'connectTimeoutMs',
  'connection timeout': 'connectTimeoutMs',
  timeout: 'connectTimeoutMs',
  'application name': 'appName',
  app: 'appName',
}

/** Keys that a copied connection string often carries and that change nothing here. */
const IGNORED = new Set(['persist security info', 'multipleactiveresultsets', 'pooling', 'multisubnetfailover'])

/** Keys for other kinds of authentication, with the value that means "not used" (then they are ignored). */
const REFUSED: Readonly<Record<string, { readonly harmless: RegExp; readonly why: string }>> = {
  'integrated security': {
    harmless: /^(false|no)$/i,
    why: 'Windows authentication is not supported; use the SQL login (User Id and Password)',
  },
  trusted_connection: {
    harmless: /^(false|no)$/i,
    why: 'Windows authentication is not supported; use the SQL login (User Id and Password)',
  },
  authentication: {
    harmless: /^sql ?password$/i,
    why: 'only SQL Server authentication (User Id and Password) is supported',
  },
}

/**
 * Where a password that holds `;` must be quoted: said with every refusal that could come from an unquoted one (an
 * unquoted `;` ends the password there and makes the rest look like further keys).
 */
const QUOTING_HINT =
  'a value that holds ; or = (a password, say) must be written in {braces} (with } doubled) or "double quotes" (with " doubled)'

/**
 * Splits an ADO.NET-style connection string with the tedious project's own parser (`@tediousjs/connection-string`,
 * the one mssql's `ConnectionPool.parseConnectionString` uses): quoted and braced values, doubled quotes, `==` in
 * keys. Keys come back lower-cased. Its error names no part of the text; neither does ours, since the text holds the
 * password.
 */
export const splitConnectionString = (text: string): E.Either<string, ReadonlyMap<string, string>> => {
  try {
    const pairs = new Map<string, string>()
    // Blanks inside a key are collapsed ("User  Id"), as SqlClient reads them.
    for (const [key, value] of parseKeyValues(text))
      pairs.set(key.trim().toLowerCase().replace(/\s+/g, ' '), String(value))
    return E.right(pairs)
  } catch {
    return E.left(
      `DOMINO_DB_URL: not a readable connection string (a quote or brace is not closed, or text follows a closing one); ${QUOTING_HINT}`,
    )
  }
}

/** The facts of an ADO-style connection string (`Server=host,1433;Database=...;User Id=...;Password=...`). */
export const parseAdoConnectionString = (text: string): E.Either<readonly string[], ConnectionFacts> => {
  const split = splitConnectionString(text)
  if (E.isLeft(split)) return E.left([split.left])
  const facts: Mutable<ConnectionFacts> = {}
  const problems: string[] = []
  let unknown = 0
  for (const [key, value] of split.right) {
    const refused = REFUSED[key]
    if (refused !== undefined) {
      if (!refused.harmless.test(value)) problems.push(`DOMINO_DB_URL: ${refused.why}`)
      continue
    }
    if (IGNORED.has(key)) continue
    const field = KEYS[key]
    if (field === undefined) {
      unknown += 1
      continue
    }
    const what = `DOMINO_DB_URL ${key}`
    switch (field) {
      case 'server': {
        const address = parseServerAddress(value, what)
        if (E.isLeft(address)) problems.push(address.left)
        else
          Object.assign(
            facts,
            { server: address.right.host },
            address.right.instanceName === undefined ? {} : { instanceName: address.right.instanceName },
            address.right.port === undefined ? {} : { port: address.right.port },
          )
        break
      }
      case 'encrypt':
      case 'trustServerCertificate': {
        const flag = parseFlag(value, what)
        if (E.isLeft(flag)) problems.push(flag.left)
        else facts[field] = flag.right
        break
      }
      case 'connectTimeoutMs': {
        const seconds = Number(value)
        if (!/^\d+$/.test(value) || seconds < 1 || seconds > 600)
          problems.push(`${what}: expected whole seconds from 1 to 600`)
        else facts.connectTimeoutMs = seconds * 1000
        break
      }
      case 'database':
      case 'user':
      case 'password':
      case 'appName':
        facts[field] = value
        break
      default:
        problems.push(`${what}: not supported here`)
    }
  }
  // An unknown key is never named: after an unquoted `;` in a password, the "key" is the rest of the password.
  if (unknown > 0)
    problems.push(
      `DOMINO_DB_URL: ${unknown} part(s) are not settings this hook reads (not shown: they may be part of a password); ${QUOTING_HINT}`,
    )
  return problems.length > 0 ? E.left(problems) : E.right(facts)
}

/** The facts of the URL form `mssql://user:password@host:port/database?encrypt=true&trustServerCertificate=true`. */
export const parseMssqlUrl = (text: string): E.Either<readonly string[], ConnectionFacts> => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return E.left(['DOMINO_DB_URL: not a valid mssql:// URL'])
  }
  const facts: Mutable<ConnectionFacts> = {}
  const problems: string[] = []
  if (url.hostname !== '') facts.server = decodeURIComponent(url.hostname)
  if (url.port !== '') facts.port = Number(url.port)
  if (url.username !== '') facts.user = decodeURIComponent(url.username)
  if (url.password !== '') facts.password = decodeURIComponent(url.password)
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''))
  const parts = path === '' ? [] : path.split('/')
  if (parts.length === 2) {
    facts.instanceName = parts[0] ?? ''
    facts.database = parts[1] ?? ''
  } else if (parts.length === 1) {
    facts.database = parts[0] ?? ''
  } else if (parts.length > 2) {
    problems.push('DOMINO_DB_URL: the path must be /database or /instance/database')
  }
  let unknown = 0
  for (const [rawKey, value] of url.searchParams) {
    const key = rawKey.toLowerCase()
    if (key === 'encrypt' || key === 'trustservercertificate') {
      const flag = parseFlag(value, `DOMINO_DB_URL ${key === 'encrypt' ? 'encrypt' : 'trustServerCertificate'}`)
      if (E.isLeft(flag)) problems.push(flag.left)
      else facts[key === 'encrypt' ? 'encrypt' : 'trustServerCertificate'] = flag.right
    } else {
      unknown += 1
    }
  }
  // Not named either: an unescaped `?` or `#` in the password makes the rest of it look like URL parameters.
  if (unknown > 0)
    problems.push(
      `DOMINO_DB_URL: ${unknown} URL parameter(s) not read here (only encrypt and trustServerCertificate; not shown: they may be part of a password, which must be percent-encoded)`,
    )
  return problems.length > 0 ? E.left(problems) : E.right(facts)
}

/** Either form of `DOMINO_DB_URL`: a URL with scheme `mssql:` or `sqlserver:`, or an ADO-style connection string. */
export const parseConnectionString = (text: string): E.Either<readonly string[], ConnectionFacts> =>
  /^(mssql|sqlserver):\/\//i.test(text.trim()) ? parseMssqlUrl(text.trim()) : parseAdoConnectionString(text)
