import { expect } from 'chai'
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import { decodeHookBody, type OrderEvent, type OrderRepository, type OriginalOrderId } from '@domino-sm/core'
import { MAX_READABLE_DEPTH, PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody } from '@domino-sm/core/internals'
import { envelope, fullOrderPayload } from '../payload-builders.js'
import { receiptFor } from '../receipts.js'
import { uniqueOrderId } from '../unique-order-id.js'
import { minute, run, storedOrder, type RepositoryGetter } from './contract-support.js'
import { failedEntry, PERSONAL_DATA_OF_FULL_ORDER } from './support.contract.js'

/** An `orderUUID` no other run makes: `"retailer-slug:<uuid>"`, 50 characters. */
export const uniqueOrderUuid = (slug = 'metro-cc'): string => `${slug}:${randomUUID()}`

/** A body as the hook receives it, decoded by core (as the edge decodes it) and handed to the store with its receipt. */
export const deliver = async (repository: OrderRepository, rawBody: string, at: Date) => {
  const decoded = decodeHookBody(rawBody)
  if (E.isLeft(decoded) || decoded.right._tag !== 'KnownEvent')
    throw new Error(`the hook would not act on ${rawBody.slice(0, 200)}`)
  const { eventType, event } = decoded.right
  const receipt = receiptFor(eventType, rawBody, at)
  return event._tag === 'OrderCreated'
    ? { event, created: (await run(repository.createOrGet(event, receipt))).result, updated: undefined }
    : { event, created: undefined, updated: (await run(repository.applyUpdate(event, receipt))).result }
}

const keyOf = (event: OrderEvent): string => event.originalOrderId

/** Integer keys of `digits` digits, unique to this run, that differ only in their last digit. */
const integerKeysDifferingLast = (digits: number): readonly [string, string] => {
  const stem = `${Date.now()}${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}${'7'.repeat(25)}`.slice(
    0,
    digits - 1,
  )
  return [`${stem}1`, `${stem}9`]
}

const rawKeyCreated = (rawKey: string, name: string): string =>
  `{"event_type":"order.created","payload":{"originalOrderId":${rawKey},"customer":{"name":"${name}"},"positions":[{"id":"4601234000017","quantity":1,"price":"65"}]}}`

/**
 * The order key as docs/contract.md §3-§4 define it, through each store: `orderUUID` as the key when a payload has
 * no `originalOrderId` (a whole life cycle), both keys together, integer keys read exactly (two orders that a
 * double would merge), and the erasure of the deepest body the hook accepts (1 MiB) journaled under a key.
 */
export const orderKeysContract = (repository: RepositoryGetter): void => {
  describe('order keys: orderUUID', () => {
    it('keys an order by orderUUID through a whole life cycle: created, paid, changed, a retried create, delivered', async () => {
      const uuid = uniqueOrderUuid()
      const { originalOrderId: _none, ...payload } = fullOrderPayload('x')
      const createdBody = envelope('order.created', { ...payload, orderUUID: uuid }).body
      const first = await deliver(repository(), createdBody, minute(0))
      expect(keyOf(first.event)).to.equal(uuid)
      expect(first.created?._tag).to.equal('Created')
      expect(
        (await deliver(repository(), envelope('order.paid', { orderUUID: uuid }).body, minute(1))).updated?.outcome,
      ).to.equal('applied')
      const changed = await deliver(
        repository(),
        envelope('order.changed', { ...payload, orderUUID: uuid, comment: 'изменён' }).body,
        minute(2),
      )
      expect(changed.updated?.outcome).to.equal('applied')
      const retry = await deliver(repository(), createdBody, minute(3))
      expect(retry.created?._tag).to.equal('AlreadyExists')
      expect(retry.created?.order.number).to.equal(first.created?.order.number)
      expect(
        (await deliver(repository(), envelope('order.delivered', { orderUUID: uuid }).body, minute(4))).updated
          ?.outcome,
      ).to.equal('applied')
      const order = await storedOrder(repository(), uuid)
      expect(order).to.include({ originalOrderId: uuid, status: 'delivered', number: first.created?.order.number })
      expect(order.content).to.include({ orderUuid: uuid, comment: 'изменён' })
      const journal = await run(repository().listJournal(uuid as OriginalOrderId))
      expect(journal.map((r) => [r.eventType, r.outcome])).to.deep.equal([
        ['order.created', 'created'],
        ['order.paid', 'applied'],
        ['order.changed', 'applied'],
        ['order.created', 'duplicate'],
        ['order.delivered', 'applied'],
      ])
    })

    it('with both keys, originalOrderId is the key and orderUUID is kept, also by a change that does not send it', async () => {
      const key = uniqueOrderId('UU')
      const uuid = uniqueOrderUuid('lenta')
      await deliver(
        repository(),
        envelope('order.created', { ...fullOrderPayload(key), orderUUID: uuid }).body,
        minute(0),
      )
      expect((await storedOrder(repository(), key)).content.orderUuid).to.equal(uuid)
      expect(O.isNone(await run(repository().findOrder(uuid as OriginalOrderId)))).to.equal(true)
      await deliver(
        repository(),
        envelope('order.changed', { ...fullOrderPayload(key), comment: 'без orderUUID' }).body,
        minute(1),
      )
      const order = await storedOrder(repository(), key)
      expect(order.content).to.include({ orderUuid: uuid, comment: 'без orderUUID' })
    })

    it('keeps the longest orderUUID a key holds (64 characters)', async () => {
      const uuid = `${'s'.repeat(27)}:${randomUUID()}`
      expect(uuid).to.have.length(64)
      await deliver(
        repository(),
        envelope('order.created', { orderUUID: uuid, positions: [{ id: 'A', quantity: 1, price: '1' }] }).body,
        minute(0),
      )
      expect((await storedOrder(repository(), uuid)).content.orderUuid).to.equal(uuid)
    })
  })

  describe('order keys: integers read exactly', () => {
    it('integer keys of 17 to 25 digits that differ in the last digit are two orders, each under its own digits', async () => {
      for (let digits = 17; digits <= 25; digits += 1) {
        const [a, b] = integerKeysDifferingLast(digits)
        const first = await deliver(repository(), rawKeyCreated(a, 'Первый'), minute(0))
        const second = await deliver(repository(), rawKeyCreated(b, 'Второй'), minute(1))
        expect([first.created?._tag, second.created?._tag], `${digits} digits`).to.deep.equal(['Created', 'Created'])
        expect(first.created?.order.number).to.not.equal(second.created?.order.number)
        const [orderA, orderB] = [await storedOrder(repository(), a), await storedOrder(repository(), b)]
        expect([orderA.originalOrderId, orderB.originalOrderId]).to.deep.equal([a, b])
        expect([orderA.content.customer?.name, orderB.content.customer?.name]).to.deep.equal(['Первый', 'Второй'])
        expect(orderA.payloadJson).to.contain(`"originalOrderId":${a},`)
      }
    })
  })

  describe('order keys: event types no store keeps as written', () => {
    it('journals an event type with a NUL or a lone surrogate as the hook decodes it (escaped), and reads it back exactly', async () => {
      for (const sent of ['order.created\u0000', 'order.\ud800paid', 'order.paid\udfff']) {
        const key = uniqueOrderId('ET')
        const rawBody = JSON.stringify({ event_type: sent, payload: { originalOrderId: key } })
        const decoded = decodeHookBody(rawBody)
        if (E.isLeft(decoded) || decoded.right._tag !== 'UnknownEvent') throw new Error('expected an unknown event')
        const eventType = decoded.right.eventType
        const entry = {
          ...failedEntry(key, rawBody, eventType, minute(0)),
          outcome: 'ignored' as const,
          httpStatus: 200,
          detail: null,
        }
        await run(repository().recordJournal(entry))
        const [stored] = await run(repository().listJournal(key as OriginalOrderId))
        expect(stored).to.include({ eventType, rawBody, outcome: 'ignored' })
      }
    })
  })

  describe('order keys: erasure after the deepest body the hook accepts', () => {
    it(`erases the customer from a 1 MiB body nested past ${MAX_READABLE_DEPTH} levels (an order created for review) and every journal body of the key`, async () => {
      const key = uniqueOrderId('DP')
      const head = JSON.stringify({
        event_type: 'order.created',
        payload: { ...fullOrderPayload(key), extra: null },
      }).replace('"extra":null}}', '"extra":')
      const levels = Math.floor((1024 * 1024 - Buffer.byteLength(head) - 2) / 2)
      const body = `${head}${'['.repeat(levels)}${']'.repeat(levels)}}}`
      expect(Buffer.byteLength(body)).to.be.at.most(1024 * 1024)
      const created = await deliver(repository(), body, minute(0))
      expect(created.created?._tag).to.equal('Created')
      expect(created.created?.order.review?.reasons).to.have.length(1)
      const deepPaid = `{"event_type":"order.paid","payload":{"originalOrderId":"${key}","customer":{"name":"Иван Петров"},"extra":${'['.repeat(levels)}${']'.repeat(levels)}}}`
      expect((await deliver(repository(), deepPaid, minute(1))).updated?.outcome).to.equal('applied')

      const report = await run(
        repository().erasePersonalData(
          key as OriginalOrderId,
          receiptFor(PERSONAL_DATA_ERASED_EVENT_TYPE, personalDataErasedBody(key, 'customer asked'), minute(2)),
        ),
      )
      expect(report).to.include({ orderFound: true, journalBodiesErased: 2 })
      const order = await storedOrder(repository(), key)
      expect(order.content.customer).to.equal(undefined)
      const journal = await run(repository().listJournal(key as OriginalOrderId))
      for (const text of [order.payloadJson, ...journal.map((r) => r.rawBody ?? '')]) {
        for (const value of PERSONAL_DATA_OF_FULL_ORDER) expect(text).not.to.contain(value)
      }
      // The rest of the deep bodies is kept, not dropped.
      expect(journal[0]?.rawBody?.length).to.be.above(1000 * 1000)
    })
  })
}
