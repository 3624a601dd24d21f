import { CommanderError } from 'commander'
import { terminalSafe } from '../support/terminal-text.js'
import { ConfigError, cut, UsageError } from './cli-errors.js'
import { buildProgram, PROGRAM, type CliIo } from './program.js'

/**
 * Runs the command line and answers its exit code: 0 done (also `--help`, `--version`), 1 a failure of the work
 * (the database failed, no such order), 2 a usage or configuration error (README "Support"). A `serve` answers 0
 * once it listens; the process then lives until a signal.
 */
export const runCli = async (args: readonly string[], io: CliIo): Promise<number> => {
  let code = 0
  const program = buildProgram(io, (c) => (code = c))
  try {
    await program.parseAsync([...args], { from: 'user' })
    return code
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2
    // A consumer name or login that is not a plain name (composition-root/domino-db-change-queue.ts), by name: that
    // module loads the driver, which a refused argument must not.
    if (error instanceof UsageError || (error instanceof Error && error.name === 'ChangeQueueUsageError')) {
      const problems = error instanceof UsageError ? error.problems : [error.message]
      io.err(`${problems.map((p) => terminalSafe(cut(p))).join('\n')}\n(add --help for usage)\n`)
      return 2
    }
    if (error instanceof ConfigError) {
      // A problem may quote a value from the environment (JSON-quoted, which leaves C1 and bidi controls as they are).
      io.err(`configuration error:\n${error.problems.map((m) => `  - ${terminalSafe(cut(m))}`).join('\n')}\n`)
      return 2
    }
    // One line whatever the message holds: a store's or driver's message may quote what a request sent.
    io.err(`${PROGRAM}: ${terminalSafe(cut(error instanceof Error ? error.message : String(error)))}\n`)
    return 1
  }
}
