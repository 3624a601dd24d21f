/** The errors the command line answers with exit code 2, and how long a message it prints may be. */

/**
 * A usage error found after the arguments were read (a bad key, a date that does not exist, an option a command
 * refuses): exit code 2 with the message, as commander's own usage errors. The message names what was wrong and
 * quotes no value given (a value may be long, or hold control characters).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'))
  }
}

/** A configuration that cannot be used: every problem named, exit code 2 (README "Configuration"). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`configuration error:\n${problems.map((m) => `  - ${m}`).join('\n')}`)
  }
}

const MAX_ERROR_LENGTH = 500

/** A message cut to a length a terminal can show: a refused value may be 100,000 characters. */
export const cut = (text: string): string =>
  text.length > MAX_ERROR_LENGTH
    ? `${text.slice(0, MAX_ERROR_LENGTH)}… (${text.length - MAX_ERROR_LENGTH} more characters)`
    : text
