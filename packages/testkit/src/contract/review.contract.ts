import { expect } from 'chai'
import type { OriginalOrderId } from '@domino-sm/core'
import { FOR_REVIEW, REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody } from '@domino-sm/core/internals'
import {
  aStatusReported,
  anOrderChanged,
  anOrderCreated,
  anOrderCreatedForReview,
  anUnreadableChange,
} from '../domain-builders.js'
import { aWirePosition } from '../payload-builders.js'
import { uniqueOrderId } from '../unique-order-id.js'
import {
  applyAt,
  applyJournaled,
  createAt,
  createJournaled,
  minute,
  receiptFor,
  run,
  storedOrder,
  type RepositoryGetter,
} from './contract-support.js'

/** The GS separator that real marking codes («Честный знак») carry between their groups. */
const GS = '\u001d'
const CODES = [`0104601234567890215'Ab"c«д»${GS}93Ab1=`, '010460123456789021-0000000000001']

const unreadablePayload = (key: string): Record<string, unknown> => ({
  originalOrderId: key,
  storeID: '7',
  customer: { name: 'Иван «Ёжиков»', phone: '89000000000' },
  positions: [{ id: 'A', quantity: 1, price: 'бесплатно' }],
})

/**
 * Orders created for review, and marking codes (docs/contract.md §2, §3, §4): every store keeps the review mark and
 * each line's marking codes exactly, and journals what set or cleared a mark.
 */
export const reviewContract = (repository: RepositoryGetter): void => {
  describe('orders for review and marking codes', () => {
    it('creates an order for review with no lines, keeps its mark, and answers a repeated create with the same number', async () => {
      const key = uniqueOrderId('RV')
      const event = anOrderCreatedForReview(unreadablePayload(key))
      const first = await createJournaled(repository(), event, minute(0))
      expect(first.result._tag).to.equal('Created')
      expect(first.journal.detail).to.equal(
        `${FOR_REVIEW}position 1 (SKU "A"): the price "бесплатно" could not be read (not a decimal number: "бесплатно"); the line was not recorded; no position could be read`,
      )
      const stored = await storedOrder(repository(), key)
      expect(stored.content.positions).to.deep.equal([])
      expect(stored.content.storeId).to.equal('7')
      expect(stored.review).to.deep.equal({ reasons: event.unread, markedAt: minute(0) })
      expect(stored.payloadJson).to.equal(event.payloadJson)
      const again = await createAt(repository(), event, minute(1))
      expect(again._tag).to.equal('AlreadyExists')
      expect(again.order.number).to.equal(stored.number)
    })

    it('applies status events to a marked order and keeps the mark', async () => {
      const key = uniqueOrderId('RV')
      await createAt(repository(), anOrderCreatedForReview(unreadablePayload(key)), minute(0))
      expect((await applyAt(repository(), aStatusReported('order.paid', key), minute(1))).outcome).to.equal('applied')
      const stored = await storedOrder(repository(), key)
      expect(stored.status).to.equal('paid')
      expect(stored.review?.markedAt).to.deep.equal(minute(0))
    })

    it('marks an order on a change it cannot read: outcome review, content and lines kept, the change kept on the mark', async () => {
      const key = uniqueOrderId('RV')
      const created = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(0))
      const change = anUnreadableChange({
        originalOrderId: key,
        comment: 'Без «лука»',
        positions: [{ id: 'Б-1', quantity: 'много', price: '1' }],
      })
      const applied = await applyJournaled(repository(), change, minute(1))
      expect(applied.result.outcome).to.equal('review')
      expect(applied.journal.detail).to.equal(
        `${FOR_REVIEW}${change.update.reasons.join('; ')}; the change was not applied`,
      )
      const stored = await storedOrder(repository(), key)
      expect(stored.content).to.deep.equal(created.order.content)
      expect(stored.payloadJson).to.equal(created.order.payloadJson)
      expect(stored.review).to.deep.equal({
        reasons: change.update.reasons,
        markedAt: minute(1),
        unappliedChangeJson: change.update.payloadJson,
      })
      expect(stored.updatedAt).to.deep.equal(minute(1))
    })

    it('clears a mark on a change that reads cleanly, and journals it', async () => {
      const key = uniqueOrderId('RV')
      await createAt(repository(), anOrderCreatedForReview(unreadablePayload(key)), minute(0))
      const change = anOrderChanged({ originalOrderId: key })
      const applied = await applyJournaled(repository(), change, minute(1))
      expect(applied.result.outcome).to.equal('applied')
      expect(applied.journal.detail).to.equal('review mark cleared: the change read cleanly')
      const stored = await storedOrder(repository(), key)
      expect(stored).not.to.have.property('review')
      expect(stored.content).to.deep.equal(change.update.content)
    })

    it('clears a mark for support (applied), and answers duplicate when there is none', async () => {
      const key = uniqueOrderId('RV')
      await createAt(repository(), anOrderCreatedForReview(unreadablePayload(key)), minute(0))
      const clear = {
        _tag: 'ReviewCleared',
        originalOrderId: key as OriginalOrderId,
        note: 'сверено со СберМаркетом',
      } as const
      const receipt = (n: number) =>
        receiptFor(REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody(key, clear.note), minute(n))
      const cleared = await run(repository().applyUpdate(clear, receipt(1)))
      expect(cleared.result.outcome).to.equal('applied')
      expect(cleared.journal.detail).to.equal('review mark cleared by support: сверено со СберМаркетом')
      expect(await storedOrder(repository(), key)).not.to.have.property('review')
      expect((await run(repository().applyUpdate(clear, receipt(2)))).result.outcome).to.equal('duplicate')
      const outcomes = (await run(repository().listJournal(key))).map((e) => [e.eventType, e.outcome])
      expect(outcomes).to.deep.equal([
        ['order.created', 'created'],
        [REVIEW_CLEARED_EVENT_TYPE, 'applied'],
        [REVIEW_CLEARED_EVENT_TYPE, 'duplicate'],
      ])
    })

    it('counts the orders waiting for review in stats, with the oldest mark, until support clears them', async () => {
      // Stats cover the whole store: the test counts what it adds, at a time older than other tests' marks (2001 on)
      // and newer than the retention contract's years (1990-1993), whose runs count every body before their cutoffs.
      const markedAt = new Date(Date.UTC(1998, 0, 2, 8, 30, 0, 125))
      const before = await run(repository().stats())
      const key = uniqueOrderId('RV')
      await createAt(repository(), anOrderCreatedForReview(unreadablePayload(key)), markedAt)
      await createAt(repository(), anOrderCreated({ originalOrderId: uniqueOrderId('RV') }), markedAt)
      const marked = await run(repository().stats())
      expect(marked.ordersForReview - before.ordersForReview).to.equal(1)
      expect(marked.oldestReviewMark?.getTime()).to.be.at.most(markedAt.getTime())
      const clear = { _tag: 'ReviewCleared', originalOrderId: key as OriginalOrderId, note: 'checked' } as const
      await run(
        repository().applyUpdate(
          clear,
          receiptFor(REVIEW_CLEARED_EVENT_TYPE, reviewClearedBody(key, clear.note), minute(1)),
        ),
      )
      const cleared = await run(repository().stats())
      expect(cleared.ordersForReview).to.equal(before.ordersForReview)
      expect(cleared.oldestReviewMark?.getTime() ?? null).to.equal(before.oldestReviewMark?.getTime() ?? null)
    })

    it('keeps an unreadable change for an order that does not exist yet pending, and creates the order marked', async () => {
      const key = uniqueOrderId('RV')
      const change = anUnreadableChange({ originalOrderId: key, positions: 'нет' })
      expect((await applyAt(repository(), change, minute(0))).outcome).to.equal('pending')
      const created = await createAt(repository(), anOrderCreated({ originalOrderId: key }), minute(1))
      expect(created._tag === 'Created' && created.pendingApplied.map((p) => p.outcome)).to.deep.equal(['review'])
      const stored = await storedOrder(repository(), key)
      expect(stored.review?.reasons).to.deep.equal(change.update.reasons)
      expect(stored.review?.unappliedChangeJson).to.equal(change.update.payloadJson)
    })

    it("keeps each line's marking codes exactly, through create and change; a line without codes has none", async () => {
      const key = uniqueOrderId('MC')
      const withCodes = [aWirePosition({ id: 'M1', quantity: 2 }), aWirePosition({ id: 'M2' })].map((p, i) =>
        i === 0 ? { ...p, markingCode: CODES.map((value) => ({ value })) } : p,
      )
      const created = anOrderCreated({ originalOrderId: key, positions: withCodes })
      expect(created.content.positions[0]?.markingCodes).to.deep.equal(CODES)
      await createAt(repository(), created, minute(0))
      const stored = await storedOrder(repository(), key)
      expect(stored.content.positions[0]?.markingCodes).to.deep.equal(CODES)
      expect(stored.content.positions[1]).not.to.have.property('markingCodes')
      const change = anOrderChanged({
        originalOrderId: key,
        positions: [{ ...aWirePosition({ id: 'M3' }), markingCode: [{ value: CODES[1] }] }],
      })
      await applyAt(repository(), change, minute(1))
      expect(
        (await storedOrder(repository(), key)).content.positions.map((l) => [l.sku, l.markingCodes]),
      ).to.deep.equal([['M3', [CODES[1]]]])
    })
  })
}
