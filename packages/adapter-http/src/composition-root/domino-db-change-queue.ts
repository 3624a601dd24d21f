import * as E from 'fp-ts/lib/Either.js'
import {
  parseConsumerName,
  renderConsumerGrantScript,
  withChangeQueueConsumers,
  type ConsumerQueue,
  type DominoDbSettings,
} from '@domino-sm/adapter-domino-db'

/** A consumer name or login the command line refuses (exit code 2, like a usage error). */
class ChangeQueueUsageError extends Error {
  override readonly name = 'ChangeQueueUsageError'
}

const consumerNameOf = (text: string) => {
  const name = parseConsumerName(text)
  if (E.isLeft(name)) throw new ChangeQueueUsageError(name.left)
  return name.right
}

/** The consumers of the change queue in the Domino database (the settings parsed at start, an administrator's login). */
export const dominoDbChangeQueue = (settings: DominoDbSettings) => ({
  addConsumer: (name: string): Promise<'added' | 'exists'> => {
    const consumer = consumerNameOf(name)
    return withChangeQueueConsumers(settings, (consumers) => consumers.add(consumer))
  },
  removeConsumer: (name: string): Promise<number | undefined> => {
    const consumer = consumerNameOf(name)
    return withChangeQueueConsumers(settings, async (consumers) => {
      const removed = await consumers.remove(consumer)
      return removed._tag === 'Removed' ? removed.changesDropped : undefined
    })
  },
  consumers: (): Promise<readonly ConsumerQueue[]> =>
    withChangeQueueConsumers(settings, (consumers) => consumers.list()),
})

/** The T-SQL that gives a consumer's login exactly what it needs to take its changes and read the orders. */
export const dominoDbConsumerGrants = async (settings: DominoDbSettings, login: string): Promise<string> => {
  const script = await renderConsumerGrantScript(settings.schema, login)
  if (E.isLeft(script)) throw new ChangeQueueUsageError(script.left)
  return script.right
}

export type { ConsumerQueue }
