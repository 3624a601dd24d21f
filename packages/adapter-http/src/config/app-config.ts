import { sequenceS } from 'fp-ts/lib/Apply.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as RA from 'fp-ts/lib/ReadonlyArray.js'
import type { RetentionSettings, UnreadablePolicy } from '@domino-sm/core'
import {
  parseDominoDbOptions,
  parseSqliteOptions,
  type DominoDbSettings,
  type SqliteOptions,
} from '../composition-root/store-settings.js'
import { isIP } from 'node:net'
import { HOOK_AUTH_FORMS, type HookAuthForm, type HookAuthSettings } from '../auth/hook-credentials.js'
import { parseByteSize } from './byte-size.js'
import { parseConsoleConfig, type ConsoleConfig } from '../console/console-config.js'
import { readSecretFileSync, resolveSecrets, type ReadSecretFile } from './secret-sources.js'

/** Where orders are kept. `domino-db` is production; `sqlite` the embedded default; `memory` for tests and demos. */
export type StoreKind = 'memory' | 'sqlite' | 'domino-db'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

/** The service's settings, parsed once at start from the environment (README, "Configuration"). */
export interface AppConfig {
  /** The public hook's listener (what nginx proxies): HOST, PORT. */
  readonly host: string
  readonly port: number
  /** The internal listener (/healthz, /readyz, /metrics, /admin): INTERNAL_HOST, INTERNAL_PORT. */
  readonly internalHost: string
  readonly internalPort: number
  /** The valid `Client-Token` values; empty means "generate one and keep it in dataDir". */
  readonly hookTokens: readonly string[]
  /** Enables the read-only admin API when set. */
  readonly adminToken?: string
  /** A hook request is answered by then, with 503 if the store has not answered: under SberMarket's 5 s. */
  readonly hookDeadlineMs: number
  readonly bodyLimitBytes: number
  readonly dataDir: string
  readonly logLevel: LogLevel
  readonly store: StoreKind
  /** How long a shutdown waits for requests in flight before it closes their connections. */
  readonly shutdownGraceMs: number
  /** Trust X-Forwarded-For from the proxy in front (nginx) for the client address in logs. */
  readonly trustProxy: boolean
  /** The retention policy (README, "Retention"): what personal data is kept how long, and how often it is applied. */
  readonly retention: RetentionConfig
  /**
   * UNREADABLE_ORDERS: `review` (default) creates an order.created whose key can be read but whose content cannot
   * be read whole for review, and answers 200; `reject` answers it 400 (docs/contract.md §2).
   */
  readonly unreadableOrders: UnreadablePolicy
  /** EXPECTED_ASSEMBLY_MINUTES / _UTC_OFFSET: the optional `expectedAssemblyTime` of the order.created answer. */
  readonly expectedAssembly?: ExpectedAssembly
  /** HOOK_AUTH_FORMS and HOOK_BASIC_USER: the forms the hook's token may come in (auth/hook-credentials.ts). */
  readonly hookAuth: HookAuthSettings
  /**
   * REQUEST_TIMEOUT_MS: how long a client has to send a whole request (Node's `requestTimeout`; its headers get
   * at most 10 s of it). A sender still sending then is answered 408 by Node and its connection closed.
   */
  readonly requestTimeoutMs: number
  /** The support console (README "Support console"): OPERATOR_TOKENS, CONSOLE_* settings. */
  readonly console: ConsoleConfig
  /** SQLITE_*: the embedded store's tuning (parsed whatever the store, so that a typo never waits for a switch). */
  readonly sqlite: SqliteOptions
  /** DOMINO_DB_*: present when the store is `domino-db`, or when the command asked for them (`migrate`, `grants`, ...). */
  readonly dominoDb?: DominoDbSettings
}

/** How `parseAppConfig` reads what is not in the environment itself. */
export interface ParseOptions {
  /** How a secret's file (`<NAME>_FILE`, `$CREDENTIALS_DIRECTORY/<NAME>`) is read; the file system by default. */
  readonly readFile?: ReadSecretFile
  /** Parse DOMINO_DB_* whatever the store: the commands that only talk to the Domino database need them. */
  readonly requireDominoDb?: boolean
}

/** The retention settings, and how often `serve` applies them (0: never; a DBA runs `journal prune`). */
export interface RetentionConfig extends RetentionSettings {
  readonly intervalMs: number
}

export const MIN_TOKEN_LENGTH = 16
const MAX_DEADLINE_MS = 4900

type Env = Readonly<Record<string, string | undefined>>
type Parsed<A> = E.Either<string, A>

const value = (env: Env, name: string): string | undefined => {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim()
}

const integer = (env: Env, name: string, fallback: number, min: number, max: number): Parsed<number> => {
  const raw = value(env, name)
  if (raw === undefined) return E.right(fallback)
  const n = Number(raw)
  return /^\d+$/.test(raw) && n >= min && n <= max
    ? E.right(n)
    : E.left(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
}

const tokenProblem = (name: string, token: string): string | undefined => {
  if (token.length < MIN_TOKEN_LENGTH)
    return `${name}: every token must have at least ${MIN_TOKEN_LENGTH} characters (got one of ${token.length})`
  if (!/^[\x21-\x7e]+$/.test(token)) return `${name}: tokens may hold only visible ASCII characters (no spaces)`
  return undefined
}

const hookTokens = (env: Env): Parsed<readonly string[]> => {
  const raw = value(env, 'SBERMARKET_HOOK_TOKENS')
  if (raw === undefined) return E.right([])
  // Commas, or (in a file: SBERMARKET_HOOK_TOKENS_FILE, the credentials folder) one token per line.
  const tokens = raw
    .split(/[,\r\n]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '')
  const problem = tokens.map((t) => tokenProblem('SBERMARKET_HOOK_TOKENS', t)).find((p) => p !== undefined)
  return problem === undefined ? E.right(tokens) : E.left(problem)
}

const adminToken = (env: Env): Parsed<string | undefined> => {
  const raw = value(env, 'ADMIN_TOKEN')
  if (raw === undefined) return E.right(undefined)
  const problem = tokenProblem('ADMIN_TOKEN', raw)
  return problem === undefined ? E.right(raw) : E.left(problem)
}

const oneOf = <A extends string>(env: Env, name: string, allowed: readonly A[], fallback: A): Parsed<A> => {
  const raw = value(env, name)
  if (raw === undefined) return E.right(fallback)
  const found = allowed.find((a) => a === raw.toLowerCase())
  return found === undefined
    ? E.left(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`)
    : E.right(found)
}

/** `STORE` when given; otherwise the Domino database when `DOMINO_DB_URL` is set (from any source), else the embedded SQLite file. */
const store = (env: Env): Parsed<StoreKind> =>
  oneOf<StoreKind>(
    env,
    'STORE',
    ['memory', 'sqlite', 'domino-db'],
    value(env, 'DOMINO_DB_URL') === undefined ? 'sqlite' : 'domino-db',
  )

/** Whether the Domino database's address is given at all (a connection string, or a server named alone). */
const dominoAddressGiven = (env: Env): boolean =>
  value(env, 'DOMINO_DB_URL') !== undefined || value(env, 'DOMINO_DB_SERVER') !== undefined

/**
 * STORE=domino-db names the database the orders must reach; without its address the service would have nowhere to
 * write them, so this is a configuration error (exit 2) rather than a start that waits forever.
 */
const storeReachable = (env: Env, kind: StoreKind): Parsed<StoreKind> =>
  kind === 'domino-db' && !dominoAddressGiven(env)
    ? E.left(
        'STORE=domino-db needs its database: set DOMINO_DB_URL, the connection string (or DOMINO_DB_SERVER and the other DOMINO_DB_* settings)',
      )
    : E.right(kind)

/** The two listeners (README, "Configuration"): the hook on HOST:PORT, the internal routes on INTERNAL_HOST:INTERNAL_PORT. */
interface Listeners {
  readonly port: number
  readonly internalPort: number
  readonly internalHost: string
}

const DEFAULT_INTERNAL_PORT = 8081

/** A DNS host name (RFC 1123 labels), e.g. `localhost` or `monitoring.internal`. */
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/

/** PORT and INTERNAL_PORT; the same port for both (other than 0, "any free port") is an error. */
const listeners = (env: Env): E.Either<readonly string[], Listeners> => {
  const port = integer(env, 'PORT', 8080, 0, 65535)
  const internalPort = integer(env, 'INTERNAL_PORT', DEFAULT_INTERNAL_PORT, 0, 65535)
  const problems = [...(E.isLeft(port) ? [port.left] : []), ...(E.isLeft(internalPort) ? [internalPort.left] : [])]
  if (E.isLeft(port) || E.isLeft(internalPort)) return E.left(problems)
  if (port.right !== 0 && port.right === internalPort.right) {
    return E.left([
      `INTERNAL_PORT and PORT must differ (both ${port.right}): the hook and the internal routes (/readyz, /metrics, /admin) listen apart`,
    ])
  }
  const internalHost = value(env, 'INTERNAL_HOST') ?? '127.0.0.1'
  if (isIP(internalHost) === 0 && !HOST_NAME.test(internalHost)) {
    return E.left([`INTERNAL_HOST must be an IP address or a host name, got ${JSON.stringify(internalHost)}`])
  }
  return E.right({ port: port.right, internalPort: internalPort.right, internalHost })
}

const bodyLimit = (env: Env): Parsed<number> => {
  const raw = value(env, 'BODY_LIMIT')
  return raw === undefined ? E.right(1024 * 1024) : E.mapLeft((m: string) => `BODY_LIMIT: ${m}`)(parseByteSize(raw))
}

const flag = (env: Env, name: string, fallback: boolean): Parsed<boolean> => {
  const raw = value(env, name)?.toLowerCase()
  if (raw === undefined) return E.right(fallback)
  if (['1', 'true', 'yes', 'on'].includes(raw)) return E.right(true)
  if (['0', 'false', 'no', 'off'].includes(raw)) return E.right(false)
  return E.left(`${name} must be true or false, got ${JSON.stringify(raw)}`)
}

const MINUTE_MS = 60_000

/** HOOK_AUTH_FORMS (comma-separated, default all three) and HOOK_BASIC_USER (optional, visible ASCII, no colon). */
const hookAuth = (env: Env): E.Either<readonly string[], HookAuthSettings> => {
  const rawForms = value(env, 'HOOK_AUTH_FORMS')
  const named =
    rawForms === undefined
      ? [...HOOK_AUTH_FORMS]
      : rawForms
          .split(',')
          .map((f) => f.trim().toLowerCase())
          .filter((f) => f !== '')
  const unknown = named.filter((f) => !(HOOK_AUTH_FORMS as readonly string[]).includes(f))
  const forms = HOOK_AUTH_FORMS.filter((f) => named.includes(f))
  const problems: string[] = []
  if (unknown.length > 0)
    problems.push(
      `HOOK_AUTH_FORMS: ${unknown.map((f) => JSON.stringify(f)).join(', ')} is not a form; use a comma-separated list of ${HOOK_AUTH_FORMS.join(', ')}`,
    )
  else if (forms.length === 0) problems.push(`HOOK_AUTH_FORMS must name at least one of ${HOOK_AUTH_FORMS.join(', ')}`)
  const basicUser = value(env, 'HOOK_BASIC_USER')
  if (basicUser !== undefined && !/^[\x21-\x39\x3b-\x7e]+$/.test(basicUser))
    problems.push('HOOK_BASIC_USER may hold only visible ASCII characters, without spaces or a colon')
  if (basicUser !== undefined && !forms.includes('basic'))
    problems.push('HOOK_BASIC_USER is set but HOOK_AUTH_FORMS does not allow basic')
  if (problems.length > 0) return E.left(problems)
  return E.right({ forms: forms satisfies readonly HookAuthForm[], ...(basicUser === undefined ? {} : { basicUser }) })
}

/** `expectedAssemblyTime` = the order's creation + `minutes`, written in the offset `utcOffset` (like `+03:00`). */
export interface ExpectedAssembly {
  readonly minutes: number
  readonly utcOffset: string
}

const UTC_OFFSET = /^[+-](?:0\d|1[0-4]):[0-5]\d$/

/** EXPECTED_ASSEMBLY_MINUTES (unset: off; 1 to 1440) and EXPECTED_ASSEMBLY_UTC_OFFSET (+03:00). */
const expectedAssembly = (env: Env): E.Either<readonly string[], ExpectedAssembly | undefined> => {
  const offset = value(env, 'EXPECTED_ASSEMBLY_UTC_OFFSET') ?? '+03:00'
  const offsetProblem = UTC_OFFSET.test(offset)
    ? []
    : [`EXPECTED_ASSEMBLY_UTC_OFFSET must look like +03:00 or -05:30, got ${JSON.stringify(offset)}`]
  if (value(env, 'EXPECTED_ASSEMBLY_MINUTES') === undefined)
    return offsetProblem.length === 0 ? E.right(undefined) : E.left(offsetProblem)
  const minutes = integer(env, 'EXPECTED_ASSEMBLY_MINUTES', 0, 1, 1440)
  const problems = [...(E.isLeft(minutes) ? [minutes.left] : []), ...offsetProblem]
  return problems.length > 0 || E.isLeft(minutes)
    ? E.left(problems)
    : E.right({ minutes: minutes.right, utcOffset: offset })
}

/** RETENTION_*: days kept (bodies 90, pending updates 30), minutes between runs (60; 0 = never), rows per batch. */
const retention = (env: Env): E.Either<readonly string[], RetentionConfig> =>
  pipe(
    sequenceS(E.getApplicativeValidation(RA.getSemigroup<string>()))({
      journalBodyDays: E.mapLeft((m: string) => [m])(integer(env, 'RETENTION_JOURNAL_BODY_DAYS', 90, 1, 36500)),
      pendingDays: E.mapLeft((m: string) => [m])(integer(env, 'RETENTION_PENDING_DAYS', 30, 1, 36500)),
      intervalMinutes: E.mapLeft((m: string) => [m])(integer(env, 'RETENTION_INTERVAL_MINUTES', 60, 0, 10080)),
      batchSize: E.mapLeft((m: string) => [m])(integer(env, 'RETENTION_BATCH_SIZE', 500, 1, 10000)),
      // Unset (the default): never. The retailer decides how long after delivery it needs the customer (README "Retention").
      personalDataDays: E.mapLeft((m: string) => [m])(
        value(env, 'RETENTION_PERSONAL_DATA_DAYS') === undefined
          ? E.right(undefined)
          : integer(env, 'RETENTION_PERSONAL_DATA_DAYS', 0, 1, 36500),
      ),
    }),
    E.map(({ intervalMinutes, personalDataDays, ...settings }) => ({
      ...settings,
      ...(personalDataDays === undefined ? {} : { personalDataDays }),
      intervalMs: intervalMinutes * MINUTE_MS,
    })),
  )

/**
 * Parses the environment into `AppConfig`, collecting one clear message per bad value (all of them, not just
 * the first), so that an operator fixes a broken deployment in one go. The secrets are resolved first
 * (`secret-sources.ts`: the variable, `<NAME>_FILE` or `$CREDENTIALS_DIRECTORY/<NAME>`), then every setting is read
 * from the result, the stores' own included (`composition-root/store-settings.ts`): nothing reads the environment
 * after this. Each block below reads its own variables; a new setting is one more line.
 */
export const parseAppConfig = (rawEnv: Env, options: ParseOptions = {}): E.Either<readonly string[], AppConfig> => {
  const collect = <A>(parsed: Parsed<A>): E.Either<readonly string[], A> => E.mapLeft((m: string) => [m])(parsed)
  const secrets = resolveSecrets(rawEnv, options.readFile ?? readSecretFileSync)
  // With a secret unreadable, the rest is still checked (its value counts as unset), so every problem shows at once.
  // The resolved secrets over the environment (its prototype): every other name is still read from the environment.
  const env: Env = Object.assign(Object.create(rawEnv) as Env, E.isRight(secrets) ? secrets.right : {})
  const secretProblems: E.Either<readonly string[], undefined> = E.isLeft(secrets) ? secrets : E.right(undefined)
  const deadline = integer(env, 'HOOK_DEADLINE_MS', 4000, 50, MAX_DEADLINE_MS)
  const storeKind = store(env)
  // STORE=domino-db with no database address at all gets the one message of storeReachable, not one per missing part.
  const wantsDominoDb =
    options.requireDominoDb === true ||
    (E.isRight(storeKind) && storeKind.right === 'domino-db' && dominoAddressGiven(env))
  return pipe(
    sequenceS(E.getApplicativeValidation(RA.getSemigroup<string>()))({
      secrets: secretProblems,
      listeners: listeners(env),
      hookTokens: collect(hookTokens(env)),
      adminToken: collect(adminToken(env)),
      hookDeadlineMs: collect(deadline),
      bodyLimitBytes: collect(bodyLimit(env)),
      logLevel: collect(oneOf<LogLevel>(env, 'LOG_LEVEL', LOG_LEVELS, 'info')),
      store: collect(E.chain((kind: StoreKind) => storeReachable(env, kind))(storeKind)),
      shutdownGraceMs: collect(integer(env, 'SHUTDOWN_GRACE_MS', 10000, 0, 600000)),
      trustProxy: collect(flag(env, 'TRUST_PROXY', false)),
      retention: retention(env),
      unreadableOrders: collect(oneOf<UnreadablePolicy>(env, 'UNREADABLE_ORDERS', ['review', 'reject'], 'review')),
      expectedAssembly: expectedAssembly(env),
      sqlite: parseSqliteOptions(env),
      dominoDb: wantsDominoDb
        ? E.map((s: DominoDbSettings): DominoDbSettings | undefined => s)(
            parseDominoDbOptions(env, E.isRight(deadline) ? deadline.right : undefined),
          )
        : E.right(undefined),
      hookAuth: hookAuth(env),
      requestTimeoutMs: collect(integer(env, 'REQUEST_TIMEOUT_MS', 30000, 1000, 600000)),
      console: parseConsoleConfig(env),
    }),
    E.map(
      ({
        secrets: _resolved,
        adminToken: admin,
        expectedAssembly: assembly,
        dominoDb,
        listeners: bound,
        ...rest
      }): AppConfig => ({
        ...rest,
        ...bound,
        ...(admin === undefined ? {} : { adminToken: admin }),
        ...(assembly === undefined ? {} : { expectedAssembly: assembly }),
        ...(dominoDb === undefined ? {} : { dominoDb }),
        host: value(env, 'HOST') ?? '127.0.0.1',
        dataDir: value(env, 'DATA_DIR') ?? './data',
      }),
    ),
  )
}
