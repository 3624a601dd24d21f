import { orderRepositoryContract } from '@domino-sm/testkit/contract'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { tempDatabase } from '../support/temp-database.js'

// The port's contract, unchanged, on a real file in the OS temp dir, removed after the suite.
orderRepositoryContract('sqlite (temp file)', () => {
  const database = tempDatabase()
  const store = openSqliteStore({ path: database.path })
  return Promise.resolve({
    repository: store.repository,
    close: async () => {
      await store.close()
      database.remove()
    },
  })
})
