import * as E from 'fp-ts/lib/Either.js'
import { parseConnectionString, parseFlag, type ConnectionFacts } from './connection-string.js'
import { DEFAULT_SCHEMA, parseSchemaName, type SchemaName } from './schema-name.js'
import { parseServerAddress } from './server-address.js'

/**
 * DOMINO_DB_REQUEST_TIMEOUT_MS, the time budget of one store operation, must stay under this many milliseconds: the
 * hook's default deadline (docs/contract.md §2 gives 5 s; the edge aims for 4 s). Not the deadline setting itself:
 * adapter-http parses that, and its composition root also holds the budget under the deadline actually configured.
 */
export const STORE_BUDGET_CEILING_MS = 4000

/** How the adapter reaches the Domino database. Built once at start by `parseDominoDbSettings`. */
export interface DominoDbSettings {
  /** Host name or address of SQL Server. */
  readonly server: string
  /** TCP port; absent when only a named instance is given (SQL Browser finds its port). */
  readonly port?: number
  readonly instanceName?: string
  readonly database: string
  /** The SQL login; in production `SberMarketOrdersHook`. */
  readonly user: string
  readonly password: string
  readonly encrypt: boolean
  readonly trustServerCertificate: boolean
  /** The schema of the integration tables (default `sm`). */
  readonly schema: SchemaName
  readonly poolMax: number
  readonly poolMin: number
  readonly connectTimeoutMs: number
  /** The budget of one store operation (all its statements); under the hook deadline. */
  readonly requestTimeoutMs: number
  /** Shown in `sys.dm_exec_sessions.program_name`, so that a DBA sees who is connected. */
  readonly appName: string
}

/** The environment, as the caller passes it (`process.env`); the adapter never reads the environment itself. */
export type SettingValues = Readonly<Record<string, string | undefined>>

const DEFAULTS = {
  port: 1433,
  poolMax: 10,
  connectTimeoutMs: 5000,
  requestTimeoutMs: 3000,
  appName: 'domino-sbermarket-hook',
}

const given = (values: SettingValues, name: string): string | undefined => {
  const value = values[name]
  return value === undefined || value.trim() === '' ? undefined : value
}

const integer = (
  values: SettingValues,
  name: string,
  min: number,
  max: number,
  problems: string[],
  hint = '',
): number | undefined => {
  const text = given(values, name)
  if (text === undefined) return undefined
  const value = Number(text.trim())
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    problems.push(`${name}: expected a whole number from ${min} to ${max}${hint}`)
    return undefined
  }
  return value
}

const DISCRETE_CONNECTION = ['DOMINO_DB_SERVER', 'DOMINO_DB_PORT', 'DOMINO_DB_DATABASE', 'DOMINO_DB_USER'] as const

/** The connection facts of the discrete settings `DOMINO_DB_SERVER`, `_PORT`, `_DATABASE`, `_USER`, `_ENCRYPT`, ... */
const discreteFacts = (values: SettingValues, problems: string[]): ConnectionFacts => {
  const facts: { -readonly [K in keyof ConnectionFacts]: ConnectionFacts[K] } = {}
  const server = given(values, 'DOMINO_DB_SERVER')
  if (server !== undefined) {
    const address = parseServerAddress(server, 'DOMINO_DB_SERVER')
    if (E.isLeft(address)) problems.push(address.left)
    else {
      facts.server = address.right.host
      if (address.right.instanceName !== undefined) facts.instanceName = address.right.instanceName
      if (address.right.port !== undefined) facts.port = address.right.port
    }
  }
  const port = integer(values, 'DOMINO_DB_PORT', 1, 65535, problems)
  if (port !== undefined) facts.port = port
  const database = given(values, 'DOMINO_DB_DATABASE')
  if (database !== undefined) facts.database = database.trim()
  const user = given(values, 'DOMINO_DB_USER')
  if (user !== undefined) facts.user = user.trim()
  for (const [name, key] of [
    ['DOMINO_DB_ENCRYPT', 'encrypt'],
    ['DOMINO_DB_TRUST_SERVER_CERTIFICATE', 'trustServerCertificate'],
  ] as const) {
    const text = given(values, name)
    if (text === undefined) continue
    const flag = parseFlag(text, name)
    if (E.isLeft(flag)) problems.push(flag.left)
    else facts[key] = flag.right
  }
  return facts
}

/**
 * Parses the adapter's settings: `DOMINO_DB_URL`, the connection string (ADO.NET style, or an `mssql://` URL), or the
 * discrete `DOMINO_DB_SERVER/PORT/DATABASE/USER/PASSWORD/ENCRYPT/TRUST_SERVER_CERTIFICATE`; `DOMINO_DB_PASSWORD` may
 * also give the password a connection string leaves out. `DOMINO_DB_URL` keeps the name it shipped under, though it
 * mostly holds no URL: installed systemd units and credential files (`LoadCredential=DOMINO_DB_URL:...`) carry it,
 * and a second name for the same value would be one more thing an operator must not give twice. Plus
 * `DOMINO_DB_SCHEMA`, `DOMINO_DB_POOL_MAX/MIN`, `DOMINO_DB_CONNECT_TIMEOUT_MS` and `DOMINO_DB_REQUEST_TIMEOUT_MS`.
 * Every problem is reported, none of them with a password in it.
 */
export const parseDominoDbSettings = (values: SettingValues): E.Either<readonly string[], DominoDbSettings> => {
  const problems: string[] = []
  const connectionString = given(values, 'DOMINO_DB_URL')
  let fromConnectionString: ConnectionFacts = {}
  if (connectionString !== undefined) {
    const parsed = parseConnectionString(connectionString)
    if (E.isLeft(parsed)) problems.push(...parsed.left)
    else fromConnectionString = parsed.right
    const both = DISCRETE_CONNECTION.filter((name) => given(values, name) !== undefined)
    if (both.length > 0)
      problems.push(`DOMINO_DB_URL is set, so ${both.join(', ')} must not be: give the connection one way`)
  }
  const discrete = discreteFacts(values, problems)
  const passwordSetting = given(values, 'DOMINO_DB_PASSWORD')
  if (passwordSetting !== undefined && fromConnectionString.password !== undefined) {
    problems.push('DOMINO_DB_PASSWORD is set and DOMINO_DB_URL has a password too: give it once')
  }
  const facts: ConnectionFacts = {
    ...discrete,
    ...fromConnectionString,
    ...(passwordSetting === undefined ? {} : { password: passwordSetting }),
  }
  if (facts.server === undefined)
    problems.push('the SQL Server host is missing: set DOMINO_DB_URL (the connection string) or DOMINO_DB_SERVER')
  if (facts.database === undefined || facts.database === '')
    problems.push('the database is missing: set Database= in DOMINO_DB_URL or DOMINO_DB_DATABASE')
  if (facts.user === undefined || facts.user === '')
    problems.push('the SQL login is missing: set User Id= in DOMINO_DB_URL or DOMINO_DB_USER')
  if (facts.password === undefined || facts.password === '')
    problems.push('the password is missing: set Password= in DOMINO_DB_URL or DOMINO_DB_PASSWORD')

  const schemaText = given(values, 'DOMINO_DB_SCHEMA')
  const schema = schemaText === undefined ? E.right(DEFAULT_SCHEMA) : parseSchemaName(schemaText.trim())
  if (E.isLeft(schema)) problems.push(schema.left)
  const poolMax = integer(values, 'DOMINO_DB_POOL_MAX', 1, 200, problems) ?? DEFAULTS.poolMax
  // The whole pool by default: every session is opened and warmed before the instance turns ready, so a burst on a
  // fresh instance (SberMarket's retries of one order reaching it together) waits for no login (docs/domino-integration.md).
  const poolMin = integer(values, 'DOMINO_DB_POOL_MIN', 0, 200, problems) ?? poolMax
  if (poolMin > poolMax)
    problems.push(`DOMINO_DB_POOL_MIN (${poolMin}) must not exceed DOMINO_DB_POOL_MAX (${poolMax})`)
  const connectTimeoutMs =
    integer(values, 'DOMINO_DB_CONNECT_TIMEOUT_MS', 100, 60000, problems) ??
    facts.connectTimeoutMs ??
    DEFAULTS.connectTimeoutMs
  const requestTimeoutMs =
    integer(
      values,
      'DOMINO_DB_REQUEST_TIMEOUT_MS',
      100,
      STORE_BUDGET_CEILING_MS - 1,
      problems,
      ` (it must stay under the hook deadline of ${STORE_BUDGET_CEILING_MS} ms)`,
    ) ?? DEFAULTS.requestTimeoutMs

  if (problems.length > 0 || E.isLeft(schema)) return E.left(problems)
  return E.right({
    server: facts.server ?? '',
    // An explicit port wins over an instance name (no SQL Browser lookup), as in SqlClient's `host\instance,port`.
    ...(facts.port === undefined && facts.instanceName !== undefined
      ? { instanceName: facts.instanceName }
      : { port: facts.port ?? DEFAULTS.port }),
    database: facts.database ?? '',
    user: facts.user ?? '',
    password: facts.password ?? '',
    encrypt: facts.encrypt ?? true,
    trustServerCertificate: facts.trustServerCertificate ?? false,
    schema: schema.right,
    poolMax,
    poolMin,
    connectTimeoutMs,
    requestTimeoutMs,
    appName: facts.appName ?? DEFAULTS.appName,
  })
}

/** Where the orders go: the server, the database and the schema (no login, no password, no tuning). */
export const describeDominoDbTarget = (s: DominoDbSettings): string =>
  `server=${s.server}${s.instanceName === undefined ? `,${s.port ?? DEFAULTS.port}` : `\\${s.instanceName}`} database=${s.database} schema=${s.schema}`

/** The settings for a log line: everything but the password. */
export const describeDominoDbSettings = (s: DominoDbSettings): string =>
  `${describeDominoDbTarget(s)} user=${s.user} encrypt=${s.encrypt} pool=${s.poolMin}..${s.poolMax} requestTimeoutMs=${s.requestTimeoutMs}`
