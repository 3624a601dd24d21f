import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'

/**
 * The settings that are secrets. Each may come from the variable itself, from the file named by `<NAME>_FILE`, or
 * from systemd's credentials folder as `$CREDENTIALS_DIRECTORY/<NAME>` (`LoadCredential=NAME:/etc/...`): a secret
 * then never sits in the unit file or in the process environment that `ps e` and `/proc/PID/environ` show.
 */
export const SECRET_NAMES = [
  'SBERMARKET_HOOK_TOKENS',
  'ADMIN_TOKEN',
  'OPERATOR_TOKENS',
  'DOMINO_DB_URL',
  'DOMINO_DB_PASSWORD',
] as const
export type SecretName = (typeof SECRET_NAMES)[number]

/** Reads a whole file as UTF-8 text; throws Node's error (with its `code`) when it cannot. */
export type ReadSecretFile = (path: string) => string

/** A secret is a line or a few: a bigger file, or one that is not a regular file (a FIFO, /dev/zero), is a mistake. */
const MAX_SECRET_FILE_BYTES = 64 * 1024

/** Reads a secret's file: a regular file of at most `MAX_SECRET_FILE_BYTES`, else an error with a code that says why. */
export const readSecretFileSync: ReadSecretFile = (path) => {
  const stat = statSync(path)
  if (stat.isDirectory()) throw Object.assign(new Error('a directory'), { code: 'EISDIR' })
  if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' })
  if (stat.size > MAX_SECRET_FILE_BYTES)
    throw Object.assign(new Error('too large'), { code: `larger than ${MAX_SECRET_FILE_BYTES} bytes` })
  return readFileSync(path, 'utf8')
}

type Env = Readonly<Record<string, string | undefined>>

const given = (env: Env, name: string): string | undefined => {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? undefined : raw
}

const codeOf = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : 'unreadable'

/** The trailing newline an editor or `echo` leaves is not part of a secret; nothing else is trimmed. */
const withoutTrailingNewline = (text: string): string => text.replace(/[\r\n]+$/, '')

interface Source {
  readonly what: string
  readonly value: E.Either<string, string>
}

/**
 * Where one secret is given. An unreadable or empty file is an error that names the file and the reason (the
 * system's error code), never its content. A credential that the folder does not hold is simply not a source.
 */
const sourcesOf = (env: Env, name: SecretName, read: ReadSecretFile): readonly Source[] => {
  const sources: Source[] = []
  const direct = given(env, name)
  if (direct !== undefined) sources.push({ what: `the variable ${name}`, value: E.right(direct) })
  const fromFile = (what: string, setting: string, path: string, missingIsAbsent: boolean): void => {
    let text: string
    try {
      text = read(path)
    } catch (error) {
      const code = codeOf(error)
      if (missingIsAbsent && code === 'ENOENT') return
      sources.push({ what, value: E.left(`${setting}: cannot read the file ${JSON.stringify(path)} (${code})`) })
      return
    }
    const value = withoutTrailingNewline(text)
    sources.push({
      what,
      value: value.trim() === '' ? E.left(`${setting}: the file ${JSON.stringify(path)} is empty`) : E.right(value),
    })
  }
  const file = given(env, `${name}_FILE`)
  if (file !== undefined) fromFile(`${name}_FILE`, `${name}_FILE`, file.trim(), false)
  const credentials = given(env, 'CREDENTIALS_DIRECTORY')
  if (credentials !== undefined) {
    fromFile(
      `the credential ${name} in $CREDENTIALS_DIRECTORY`,
      `CREDENTIALS_DIRECTORY`,
      join(credentials.trim(), name),
      true,
    )
  }
  return sources
}

/**
 * Every secret's value, from whichever one source gives it (undefined when none does). Two sources for one secret
 * are an error: which one would win is a guess an operator should not have to make during an incident.
 */
export const resolveSecrets = (
  env: Env,
  read: ReadSecretFile = readSecretFileSync,
): E.Either<readonly string[], Readonly<Record<SecretName, string | undefined>>> => {
  const problems: string[] = []
  const values: Partial<Record<SecretName, string>> = {}
  for (const name of SECRET_NAMES) {
    const sources = sourcesOf(env, name, read)
    if (sources.length > 1) {
      problems.push(
        `${name} is given ${sources.length} ways (${sources.map((s) => s.what).join(', ')}): give it one way`,
      )
      continue
    }
    const [source] = sources
    if (source === undefined) continue
    if (E.isLeft(source.value)) problems.push(source.value.left)
    else values[name] = source.value.right
  }
  return problems.length > 0
    ? E.left(problems)
    : E.right(
        Object.fromEntries(SECRET_NAMES.map((name) => [name, values[name]])) as Record<SecretName, string | undefined>,
      )
}
