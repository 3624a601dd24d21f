import type { DominoDbSettings } from '../composition-root/store-settings.js'
import { dominoDbChangeQueue, type ConsumerQueue } from '../composition-root/domino-db-change-queue.js'

const formatDate = (date: Date | null): string => (date === null ? '-' : date.toISOString())

/** `change-queue consumers` as a table: one line per consumer, its queue depth and oldest change waiting. */
export const formatConsumers = (consumers: readonly ConsumerQueue[]): string => {
  if (consumers.length === 0) return 'no consumers registered (change-queue add-consumer NAME)\n'
  const width = Math.max(...consumers.map((c) => c.name.length), 'consumer'.length)
  const lines = [
    `${'consumer'.padEnd(width)}  ${'waiting'.padStart(10)}  ${'oldest waiting'.padEnd(24)}  added`,
    ...consumers.map(
      (c) =>
        `${c.name.padEnd(width)}  ${String(c.depth).padStart(10)}  ${formatDate(c.oldest).padEnd(24)}  ${formatDate(c.addedAt)} by ${c.addedBy}`,
    ),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * `change-queue add-consumer NAME`, `change-queue remove-consumer NAME`, `change-queue consumers`: an administrator
 * registers the Domino jobs that take order changes from the queue (docs/domino-integration.md §1). A consumer
 * receives every change committed after it was added; removing it drops the changes it had not taken. Exit code 0
 * when done (also when there was nothing to do), 1 when removing a consumer that does not exist; a name that is not a
 * plain name is a usage error (2, `ChangeQueueUsageError`).
 */
export const changeQueueCommand = async (
  settings: DominoDbSettings,
  sub: 'add-consumer' | 'remove-consumer' | 'consumers',
  name: string | undefined,
  write: (text: string) => void,
): Promise<number> => {
  const queue = dominoDbChangeQueue(settings)
  if (sub === 'consumers' || name === undefined) {
    write(formatConsumers(await queue.consumers()))
    return 0
  }
  if (sub === 'add-consumer') {
    const added = await queue.addConsumer(name)
    write(
      added === 'added'
        ? `consumer ${name} added: its queue receives every order change committed from now on\n`
        : `consumer ${name} exists already; nothing changed\n`,
    )
    return 0
  }
  const dropped = await queue.removeConsumer(name)
  if (dropped === undefined) {
    write(`no consumer ${name}; nothing changed\n`)
    return 1
  }
  write(`consumer ${name} removed, with the ${dropped} changes it had not taken\n`)
  return 0
}
