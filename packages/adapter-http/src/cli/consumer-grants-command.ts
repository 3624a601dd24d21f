import type { DominoDbSettings } from '../composition-root/store-settings.js'
import { dominoDbConsumerGrants } from '../composition-root/domino-db-change-queue.js'

/**
 * `grants --consumer LOGIN`: prints the T-SQL that gives the login of a Domino job exactly what it needs to take its
 * changes (EXECUTE on take_order_changes) and read the orders (SELECT on order_header and order_line). A login that
 * is not a plain name is a usage error (exit code 2: `ChangeQueueUsageError`).
 */
export const consumerGrantsCommand = async (
  settings: DominoDbSettings,
  login: string,
  write: (text: string) => void,
): Promise<void> => {
  write(await dominoDbConsumerGrants(settings, login))
}
