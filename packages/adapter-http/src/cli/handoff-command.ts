import type { DominoDbSettings } from '../composition-root/store-settings.js'
import { dominoDbHandoff, type ConsumerQueue } from '../composition-root/domino-db-handoff.js'

const formatDate = (date: Date | null): string => (date === null ? '-' : date.toISOString())

/** `handoff consumers` as a table: one line per consumer, its queue depth and oldest change waiting. */
export const formatConsumers = (consumers: readonly ConsumerQueue[]): string => {
  if (consumers.length === 0) return 'no consumers registered (handoff add-consumer NAME)\n'
  const width = Math.max(...consumers.map((c) => c.name.length), 'consumer'.length)
  const lines = [
    `${'consumer'.padEnd(width)}  ${'waiting'.padStart(10)}  ${'oldest waiting'.padEnd(24)}  added`,
    ...consumers.map((c) => `${c.name.padEnd(width)}  ${String(c.depth).padStart(10)}  ${formatDate(c.oldest).padEnd(24)}  ${formatDate(c.addedAt)} by ${c.addedBy}`),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * `handoff add-consumer NAME`, `handoff remove-consumer NAME`, `handoff consumers`: an administrator registers the
 * Domino jobs that take order changes from the queue (docs/domino-integration.md §1). A consumer receives every
 * change committed after it was added; removing it drops the changes it had not taken. Exit code 0 when done (also
 * when there was nothing to do), 1 when removing a consumer that does not exist; a name that is not a plain name is
 * a usage error (2, `HandoffUsageError`).
 */
export const handoffCommand = async (
  settings: DominoDbSettings,
  sub: 'add-consumer' | 'remove-consumer' | 'consumers',
  name: string | undefined,
  write: (text: string) => void,
): Promise<number> => {
  const handoff = dominoDbHandoff(settings)
  if (sub === 'consumers' || name === undefined) {
    write(formatConsumers(await handoff.consumers()))
    return 0
  }
  if (sub === 'add-consumer') {
    const added = await handoff.addConsumer(name)
    write(added === 'added' ? `consumer ${name} added: its queue receives every order change committed from now on\n` : `consumer ${name} exists already; nothing changed\n`)
    return 0
  }
  const dropped = await handoff.removeConsumer(name)
  if (dropped === undefined) {
    write(`no consumer ${name}; nothing changed\n`)
    return 1
  }
  write(`consumer ${name} removed, with the ${dropped} changes it had not taken\n`)
  return 0
}
