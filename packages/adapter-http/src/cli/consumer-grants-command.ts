import { dominoDbConsumerGrants } from '../composition-root/domino-db-handoff.js'
import { usageErrorExit } from './usage-error.js'

type Env = Readonly<Record<string, string | undefined>>

/**
 * `grants --consumer LOGIN`: prints the T-SQL that gives the login of a Domino job exactly what it needs to take its
 * changes (EXECUTE on take_order_changes) and read the orders (SELECT on order_header and order_line). Exit code 2
 * for a login that is not a plain name or bad settings.
 */
export const consumerGrantsCommand = async (env: Env, login: string | undefined, write: (text: string) => void, complain: (text: string) => void): Promise<number> => {
  if (login === undefined || login.trim() === '') {
    complain('usage: domino-sbermarket-hook grants --consumer LOGIN\n')
    return 2
  }
  try {
    write(await dominoDbConsumerGrants(env, login))
    return 0
  } catch (error) {
    return usageErrorExit(error, complain)
  }
}
