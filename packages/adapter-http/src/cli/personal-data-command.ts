import type { Clock } from '@domino-sm/core'
import type { AppConfig } from '../config/app-config.js'
import { openStore } from '../composition-root/open-store.js'
import { erasePersonalData, erasureLine } from '../support/journal-support.js'

const systemClock: Clock = { now: () => new Date() }

/** `personal-data erase --order KEY --note TEXT` on the store the configuration names. Exit 0 done. */
export const personalDataCommand = async (
  config: AppConfig,
  key: string,
  note: string,
  write: (text: string) => void,
): Promise<number> => {
  const store = await openStore(config, systemClock, {}, 'command')
  try {
    write(erasureLine(key, await erasePersonalData(store.repository, key, note)))
    return 0
  } finally {
    await store.close()
  }
}
