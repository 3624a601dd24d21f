import Database from 'better-sqlite3'
import { orderRepositoryContract } from '@domino-sm/testkit/contract'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { tempDatabase } from '../support/temp-database.js'

// The port's contract, unchanged, on the store behind its worker thread, on a real file in the OS temp dir.
orderRepositoryContract('sqlite (temp file)', async () => {
  const database = tempDatabase()
  const store = await openSqliteStore({ path: database.path })
  return {
    repository: store.repository,
    // A trigger, created from a second connection: the worker's statements see the new schema at their next run.
    failJournalInsertsOf: (eventType: string) => {
      const db = new Database(database.path)
      try {
        db.prepare(
          `CREATE TRIGGER IF NOT EXISTS contract_poisoned_journal BEFORE INSERT ON journal
          WHEN NEW.event_type = ${JSON.stringify(eventType).replaceAll('"', "'")} BEGIN SELECT RAISE(ABORT, 'poisoned by the contract'); END`,
        ).run()
      } finally {
        db.close()
      }
      return Promise.resolve()
    },
    close: async () => {
      await store.close()
      database.remove()
    },
  }
})
