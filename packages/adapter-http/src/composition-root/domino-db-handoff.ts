import * as E from 'fp-ts/lib/Either.js'
import { parseConsumerName, parseDominoDbSettings, renderConsumerGrantScript, withChangeConsumers, type ConsumerQueue } from '@domino-sm/adapter-domino-db'
import { DominoDbSettingsError } from './domino-db-admin.js'

type Env = Readonly<Record<string, string | undefined>>

/** A consumer name or login the command line refuses (exit code 2, like a usage error). */
export class HandoffUsageError extends Error {
  override readonly name = 'HandoffUsageError'
}

const settingsOf = (env: Env) => {
  const settings = parseDominoDbSettings(env)
  if (E.isLeft(settings)) throw new DominoDbSettingsError(settings.left)
  return settings.right
}

const consumerNameOf = (text: string) => {
  const name = parseConsumerName(text)
  if (E.isLeft(name)) throw new HandoffUsageError(name.left)
  return name.right
}

/** The consumers of the change queue in the Domino database (DOMINO_DB_URL or DOMINO_DB_*, an administrator's login). */
export const dominoDbHandoff = (env: Env) => ({
  addConsumer: (name: string): Promise<'added' | 'exists'> => {
    const consumer = consumerNameOf(name)
    return withChangeConsumers(settingsOf(env), (consumers) => consumers.add(consumer))
  },
  removeConsumer: (name: string): Promise<number | undefined> => {
    const consumer = consumerNameOf(name)
    return withChangeConsumers(settingsOf(env), async (consumers) => {
      const removed = await consumers.remove(consumer)
      return removed._tag === 'Removed' ? removed.changesDropped : undefined
    })
  },
  consumers: (): Promise<readonly ConsumerQueue[]> => withChangeConsumers(settingsOf(env), (consumers) => consumers.list()),
})

/** The T-SQL that gives a consumer's login exactly what it needs to take its changes and read the orders. */
export const dominoDbConsumerGrants = async (env: Env, login: string): Promise<string> => {
  const script = await renderConsumerGrantScript(settingsOf(env).schema, login)
  if (E.isLeft(script)) throw new HandoffUsageError(script.left)
  return script.right
}

export type { ConsumerQueue }
