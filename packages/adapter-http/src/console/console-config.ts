import * as E from 'fp-ts/lib/Either.js'

type Env = Readonly<Record<string, string | undefined>>

/** One operator of the support console: a name (shown and journaled with every action) and a secret token. */
export interface OperatorCredential {
  readonly name: string
  readonly token: string
}

/**
 * The support console's settings (README "Support console"): who may act (`OPERATOR_TOKENS`), how long a session
 * lasts, and whether its cookie is always `Secure`. The read-only `ADMIN_TOKEN` is the admin block's own setting.
 */
export interface ConsoleConfig {
  readonly operators: readonly OperatorCredential[]
  /** CONSOLE_SESSION_MINUTES (default 480): a session ends this long after sign-in, whatever happens. */
  readonly sessionMinutes: number
  /** CONSOLE_IDLE_MINUTES (default 30): a session not used for this long ends. */
  readonly idleMinutes: number
  /**
   * CONSOLE_SECURE_COOKIE: `auto` (default) marks the cookie `Secure` when the request came over TLS as Koa sees it
   * (`X-Forwarded-Proto` counts only with TRUST_PROXY); `always` marks it whatever the request (the right setting
   * behind a TLS proxy that is not trusted for headers).
   */
  readonly secureCookie: 'auto' | 'always'
}

const MIN_TOKEN_LENGTH = 16
const NAME = /^[\p{L}\p{N}._-]{1,64}$/u

/** `name:token,name:token` (commas or new lines between); every problem named, never the token itself. */
export const parseOperatorTokens = (text: string): E.Either<readonly string[], readonly OperatorCredential[]> => {
  const problems: string[] = []
  const operators: OperatorCredential[] = []
  const items = text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
  items.forEach((item, index) => {
    const colon = item.indexOf(':')
    const name = colon < 0 ? '' : item.slice(0, colon).trim()
    const token = colon < 0 ? '' : item.slice(colon + 1).trim()
    const where = `OPERATOR_TOKENS item ${index + 1}`
    if (colon < 0) return problems.push(`${where}: expected name:token`)
    if (!NAME.test(name))
      return problems.push(`${where}: the name must be 1 to 64 letters, digits, dots, dashes or underscores`)
    if (token.length < MIN_TOKEN_LENGTH)
      return problems.push(`${where} (${name}): the token must have at least ${MIN_TOKEN_LENGTH} characters`)
    if (!/^[\x21-\x7e]+$/.test(token))
      return problems.push(`${where} (${name}): the token may hold only visible ASCII characters`)
    if (operators.some((o) => o.name === name)) return problems.push(`${where}: the name ${name} is given twice`)
    if (operators.some((o) => o.token === token))
      return problems.push(`${where} (${name}): the same token is given to two operators`)
    operators.push({ name, token })
    return undefined
  })
  return problems.length > 0 ? E.left(problems) : E.right(operators)
}

const minutes = (env: Env, name: string, fallback: number, max: number): E.Either<string, number> => {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return E.right(fallback)
  return /^\d{1,6}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max
    ? E.right(Number(raw))
    : E.left(`${name} must be a whole number of minutes from 1 to ${max}, got ${JSON.stringify(raw)}`)
}

/**
 * Reads the console's block of the configuration; every bad value named. `env` is the environment with the secrets
 * already resolved by `parseAppConfig` (`config/secret-sources.ts`): OPERATOR_TOKENS may come from the variable,
 * `OPERATOR_TOKENS_FILE` or `$CREDENTIALS_DIRECTORY/OPERATOR_TOKENS` like every other secret.
 */
export const parseConsoleConfig = (env: Env): E.Either<readonly string[], ConsoleConfig> => {
  const problems: string[] = []
  const secret = env['OPERATOR_TOKENS']?.trim()
  let operators: readonly OperatorCredential[] = []
  if (secret !== undefined && secret !== '') {
    const parsed = parseOperatorTokens(secret)
    if (E.isLeft(parsed)) problems.push(...parsed.left)
    else operators = parsed.right
  }
  const session = minutes(env, 'CONSOLE_SESSION_MINUTES', 480, 10080)
  const idle = minutes(env, 'CONSOLE_IDLE_MINUTES', 30, 10080)
  if (E.isLeft(session)) problems.push(session.left)
  if (E.isLeft(idle)) problems.push(idle.left)
  const secureRaw = (env['CONSOLE_SECURE_COOKIE']?.trim() ?? '').toLowerCase()
  if (!['', 'auto', 'always'].includes(secureRaw))
    problems.push(`CONSOLE_SECURE_COOKIE must be auto or always, got ${JSON.stringify(secureRaw)}`)
  if (problems.length > 0 || E.isLeft(session) || E.isLeft(idle)) return E.left(problems)
  return E.right({
    operators,
    sessionMinutes: session.right,
    idleMinutes: idle.right,
    secureCookie: secureRaw === 'always' ? 'always' : 'auto',
  })
}
