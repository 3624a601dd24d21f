import { expect } from 'chai'
import { storePermanent, type JournalRecord, type OrderRepository, type UnreadablePolicy } from '@domino-sm/core'
import { replayJournal } from '@domino-sm/adapter-http'
import {
  always,
  FaultyOrderRepository,
  FixedClock,
  InMemoryOrderRepository,
  orderCreatedBody,
  uniqueOrderId,
} from '@domino-sm/testkit'
import { failedEntry } from '@domino-sm/testkit/contract'

/*
 * core's replay answers outcomes; the status a replay's own entry records is the edge's (answer.ts), the same
 * status the hook answers that result (docs/contract.md §2). These replays reach no order operation, so the entry
 * is written by the replay with that status.
 */

const silent = (): void => undefined

/** Journals `body` as a failed request of `key`, replays it on `replayOn`, and answers the replay's own entry. */
const replayedEntry = async (
  store: OrderRepository,
  replayOn: OrderRepository,
  key: string,
  body: string,
  unreadable: UnreadablePolicy = 'review',
): Promise<JournalRecord> => {
  const at = new Date('2026-05-24T09:00:00.000Z')
  const written = await store.recordJournal(failedEntry(key, body, 'order.created', at))()
  if (written._tag === 'Left') throw new Error(written.left._tag)
  const filters = { query: { originalOrderId: key }, selective: true }
  await replayJournal(replayOn, filters, { unreadable, dryRun: false }, silent)
  const entries = await store.listJournal(key)()
  if (entries._tag === 'Left') throw new Error(entries.left._tag)
  const replay = entries.right.find((entry) => entry.replayOf === written.right)
  if (replay === undefined) throw new Error('the replay journaled no entry')
  return replay
}

describe("replay: the status its own entry records is the edge's", () => {
  it('records 400 for a body the hook rejects (a create without its content, UNREADABLE_ORDERS=reject)', async () => {
    const store = new InMemoryOrderRepository(new FixedClock())
    const key = uniqueOrderId('RS')
    const withoutContent = JSON.stringify({ event_type: 'order.created', payload: { originalOrderId: key } })
    const replay = await replayedEntry(store, store, key, withoutContent, 'reject')
    expect([replay.outcome, replay.httpStatus]).to.deep.equal(['rejected', 400])
  })

  it('records 500 when the store refuses for good, 503 when it is unavailable', async () => {
    const store = new InMemoryOrderRepository(new FixedClock())
    const refused = uniqueOrderId('RS')
    const refusal = { fail: always, error: storePermanent('a constraint') }
    const refusing = new FaultyOrderRepository(store, { createOrGet: refusal })
    const first = await replayedEntry(store, refusing, refused, orderCreatedBody({ originalOrderId: refused }).body)
    expect([first.outcome, first.httpStatus]).to.deep.equal(['failed', 500])
    const unavailable = uniqueOrderId('RS')
    const down = new FaultyOrderRepository(store, { createOrGet: { fail: always } })
    const unavailableBody = orderCreatedBody({ originalOrderId: unavailable }).body
    const second = await replayedEntry(store, down, unavailable, unavailableBody)
    expect([second.outcome, second.httpStatus]).to.deep.equal(['failed', 503])
  })
})
