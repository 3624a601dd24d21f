import { expect } from 'chai'
import Database from 'better-sqlite3'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { openSqliteStore } from '@domino-sm/adapter-sqlite'
import { tempDatabase, type TempDatabase } from '../support/temp-database.js'

const DAY_MS = 24 * 60 * 60 * 1000
const START = Date.UTC(2026, 0, 1)
const ENTRIES_PER_DAY = 200
const BODY = `{"event_type":"order.paid","payload":{"customer":"Иван Петров"}}${' '.repeat(1200)}`
const KEEP_DAYS = 5

const must = async <A>(task: TaskEither<unknown, A>): Promise<A> => {
  const result = await task()
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left))
  return result.right
}

describe('disk space under the retention policy', function () {
  this.timeout(60_000)
  let database: TempDatabase
  beforeEach(() => {
    database = tempDatabase()
  })
  afterEach(() => database.remove())

  // Regression: clearing a body inside its journal row freed space no new row could use, so a year with retention
  // took 519 MiB against 534 without. Bodies now have their own rows, deleted oldest first, whose pages are reused.
  it('stops growing by bodies once retention runs: the pages of deleted bodies hold the new ones', async () => {
    const store = await openSqliteStore({ path: database.path })
    const reader = new Database(database.path, { readonly: true })
    const pages = (): number => reader.pragma('page_count', { simple: true }) as number
    const pagesByDay: number[] = []
    try {
      for (let day = 0; day < 30; day += 1) {
        const dayStart = START + day * DAY_MS
        await Promise.all(
          Array.from({ length: ENTRIES_PER_DAY }, (_, n) =>
            must(
              store.repository.recordJournal({
                requestId: null,
                receivedAt: new Date(dayStart + n * 1000),
                eventType: 'order.paid',
                originalOrderId: `H-D${day}-${n % 50}`,
                rawBody: BODY,
                outcome: 'pending',
                httpStatus: 200,
                durationMs: 1,
                detail: null,
              }),
            ),
          ),
        )
        const now = new Date(dayStart + 20 * 60 * 60 * 1000)
        await must(
          store.repository.applyRetention({
            clearBodiesReceivedBefore: new Date(now.getTime() - KEEP_DAYS * DAY_MS),
            expirePendingReceivedBefore: new Date(START),
            now,
            batchSize: 500,
          }),
        )
        pagesByDay.push(pages())
      }
      const stats = await must(store.repository.stats())
      expect(stats.journalBodies).to.equal(KEEP_DAYS * ENTRIES_PER_DAY)
    } finally {
      reader.close()
      await store.close()
    }
    // A day of bodies takes about 70 pages, its journal facts under 10. From day 10 to day 29, in steady state,
    // the file grows by the facts alone; before the fix it grew by the bodies too (about 1,500 pages).
    const bodyPagesPerDay = (ENTRIES_PER_DAY * BODY.length) / 4096
    const growth = (pagesByDay[29] ?? 0) - (pagesByDay[9] ?? 0)
    expect(growth).to.be.below(20 * bodyPagesPerDay * 0.25)
  })
})
