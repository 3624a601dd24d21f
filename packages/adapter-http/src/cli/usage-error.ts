import { DominoDbSettingsError } from '../composition-root/domino-db-admin.js'
import { HandoffUsageError } from '../composition-root/domino-db-handoff.js'

/**
 * The exit of a handoff command that failed: exit code 2 with the message when it was given wrongly (bad settings,
 * a bad consumer name), so a script can tell that from a database that failed; anything else is thrown on.
 */
export const usageErrorExit = (error: unknown, complain: (text: string) => void): number => {
  if (error instanceof HandoffUsageError || error instanceof DominoDbSettingsError) {
    complain(`${error.message}\n`)
    return 2
  }
  throw error
}
