import { expect } from 'chai'
import { orderHistoryPage, type FoundJournalRecord, type JournalEntry, type OrderRepository } from '@domino-sm/core'
import { newRequestId } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { minute, run, type RepositoryGetter } from './contract-support.js'

/** A request body of about `chars` characters, Cyrillic and JSON escapes included, naming `key`. */
const bodyOf = (key: string, chars: number, tag: string): string => {
  const note = `«${tag}» молоко 129.90 ₽; \\ "q" `.repeat(Math.ceil(chars / 30))
  return JSON.stringify({
    event_type: 'order.changed',
    payload: { originalOrderId: key, comment: note.slice(0, chars) },
  })
}

const entryOf = (key: string, index: number, rawBody: string | null): JournalEntry => ({
  requestId: newRequestId(),
  receivedAt: minute(index),
  eventType: 'order.changed',
  originalOrderId: key,
  rawBody,
  outcome: 'pending',
  httpStatus: 200,
  durationMs: index,
  detail: `#${index}`,
})

/** Every page of `key`'s history, `limit` at a time, as core's `orderHistoryPage` reads it for support. */
const allPages = async (
  repository: OrderRepository,
  key: string,
  limit: number,
): Promise<(readonly FoundJournalRecord[])[]> => {
  const pages: (readonly FoundJournalRecord[])[] = []
  let afterId: number | undefined
  for (;;) {
    const page = await run(
      orderHistoryPage({ orders: repository })(key, { limit, ...(afterId === undefined ? {} : { afterId }) }),
    )
    pages.push(page.entries)
    if (page.next === null) return pages
    expect(page.entries.at(-1)?.id).to.equal(page.next)
    afterId = page.next
  }
}

const facts = ({
  rawBody: _body,
  hasBody: _has,
  ...rest
}: FoundJournalRecord): Omit<FoundJournalRecord, 'rawBody' | 'hasBody'> => rest

/**
 * An order's history as support reads it (`GET /admin/orders/:key/events`): pages of the key's entries, oldest first,
 * never with a body (an order's history can hold hundreds of bodies of up to the body limit each), and one entry's
 * body by its id, the same entry as the page shows.
 */
export const historyContract = (repository: RepositoryGetter): void => {
  describe("an order's history in pages", () => {
    it("pages one key's entries oldest first without bodies; each entry read by id has the same facts and its body", async () => {
      const key = uniqueOrderId('HP')
      const other = uniqueOrderId('HP')
      const written: { id: number; rawBody: string | null }[] = []
      for (let i = 0; i < 7; i += 1) {
        const rawBody = i === 3 ? null : bodyOf(key, 40_000, `${key}-${i}`)
        written.push({ id: await run(repository().recordJournal(entryOf(key, i, rawBody))), rawBody })
        await run(repository().recordJournal(entryOf(other, i, bodyOf(other, 100, 'other'))))
      }
      const pages = await allPages(repository(), key, 3)
      expect(pages.map((page) => page.length)).to.deep.equal([3, 3, 1])
      const history = pages.flat()
      expect(history.map((entry) => entry.id)).to.deep.equal(written.map((entry) => entry.id))
      expect(history.map((entry) => entry.detail)).to.deep.equal(['#0', '#1', '#2', '#3', '#4', '#5', '#6'])
      expect(history.map((entry) => entry.rawBody)).to.deep.equal(Array(7).fill(null))
      expect(history.map((entry) => entry.hasBody)).to.deep.equal(written.map((entry) => entry.rawBody !== null))
      for (const [index, entry] of history.entries()) {
        const [byId] = await run(repository().searchJournal({ ids: [entry.id], limit: 1, withBodies: true }))
        if (byId === undefined) throw new Error(`entry ${entry.id} of the history is not found by its id`)
        expect(facts(byId)).to.deep.equal(facts(entry))
        expect(byId.hasBody).to.equal(entry.hasBody)
        expect(byId.rawBody).to.equal(written[index]?.rawBody)
      }
    })

    it('answers an empty last page after a full one, and nothing for a key without entries', async () => {
      const key = uniqueOrderId('HP')
      for (let i = 0; i < 2; i += 1) await run(repository().recordJournal(entryOf(key, i, '{}')))
      const pages = await allPages(repository(), key, 2)
      expect(pages.map((page) => page.length)).to.deep.equal([2, 0])
      expect(await allPages(repository(), uniqueOrderId('HP'), 5)).to.deep.equal([[]])
    })

    it('pages a history of large bodies (20 of ~900 KB) with no body in any page, and gives one whole by id', async function () {
      // Writing 18 MB through a store takes seconds on the shared test engine; no assertion rests on time.
      this.timeout(120_000)
      const key = uniqueOrderId('HP')
      const ids: number[] = []
      for (let i = 0; i < 20; i += 1)
        ids.push(await run(repository().recordJournal(entryOf(key, i, bodyOf(key, 900_000, `${i}`)))))
      const pages = await allPages(repository(), key, 8)
      expect(pages.flat().map((entry) => entry.id)).to.deep.equal(ids)
      expect(pages.flat().every((entry) => entry.rawBody === null && entry.hasBody)).to.equal(true)
      const [last] = await run(repository().searchJournal({ ids: [ids[19] ?? 0], limit: 1, withBodies: true }))
      expect(last?.rawBody).to.equal(bodyOf(key, 900_000, '19'))
    })

    it('keeps a body of the default body limit (1 MiB of UTF-8, Cyrillic) exactly, and gives it by id', async function () {
      this.timeout(60_000)
      const key = uniqueOrderId('HP')
      // Exactly 1 MiB of UTF-8: two bytes per Cyrillic letter, one ASCII letter when the rest is odd.
      const head = JSON.stringify({
        event_type: 'order.changed',
        payload: { originalOrderId: key, comment: '' },
      }).slice(0, -3)
      const room = 1024 * 1024 - Buffer.byteLength(`${head}"}}`, 'utf8')
      const rawBody = `${head}${'ж'.repeat(Math.floor(room / 2))}${room % 2 === 1 ? 'a' : ''}"}}`
      expect(Buffer.byteLength(rawBody, 'utf8')).to.equal(1024 * 1024)
      const id = await run(repository().recordJournal(entryOf(key, 0, rawBody)))
      const [found] = await run(repository().searchJournal({ ids: [id], limit: 1, withBodies: true }))
      expect(found?.rawBody).to.equal(rawBody)
      expect(found?.hasBody).to.equal(true)
    })
  })
}
