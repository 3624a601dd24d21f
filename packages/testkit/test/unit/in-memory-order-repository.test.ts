import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import * as O from 'fp-ts/lib/Option.js'
import type { JournalEntry, Order, OriginalOrderId } from '@domino-sm/core'
import {
  InMemoryOrderRepository,
  aStatusReported,
  anOrderCreated,
  createdReceipt,
  receiptFor,
  uniqueOrderId,
} from '@domino-sm/testkit'

const at = new Date('2026-05-24T09:00:00.000Z')

const orderOf = async (repository: InMemoryOrderRepository, key: string): Promise<Order> => {
  const found = await repository.findOrder(key as OriginalOrderId)()
  if (E.isLeft(found) || O.isNone(found.right)) throw new Error('no order')
  return found.right.value
}

describe('InMemoryOrderRepository (beyond the contract)', () => {
  it('numbers orders from 1 in creation order', async () => {
    const repository = new InMemoryOrderRepository()
    const first = await repository.createOrGet(
      anOrderCreated({ originalOrderId: uniqueOrderId() }),
      createdReceipt(anOrderCreated({ originalOrderId: uniqueOrderId() }), at),
    )()
    const second = await repository.createOrGet(
      anOrderCreated({ originalOrderId: uniqueOrderId() }),
      createdReceipt(anOrderCreated({ originalOrderId: uniqueOrderId() }), at),
    )()
    expect(E.isRight(first) && first.right.result.order.number).to.equal('1')
    expect(E.isRight(second) && second.right.result.order.number).to.equal('2')
  })

  it('hands out copies: mutating what it returned or was given does not change the store', async () => {
    const repository = new InMemoryOrderRepository()
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const receivedAt = new Date(at.getTime())
    await repository.createOrGet(event, createdReceipt(event, receivedAt))()
    receivedAt.setFullYear(2000)
    ;(event.content.positions as unknown as { sku: string }[])[0]!.sku = 'MUTATED'
    const found = await orderOf(repository, key)
    ;(found as { status: string }).status = 'delivered'
    found.createdAt.setFullYear(1999)
    const again = await orderOf(repository, key)
    expect(again.status).to.equal('new')
    expect(again.createdAt).to.deep.equal(at)
    expect(again.content.positions[0]?.sku).to.equal('4607001771234')
  })

  it('keeps its own copy of a new order: mutating the order a create answered does not change the store', async () => {
    const repository = new InMemoryOrderRepository()
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const created = await repository.createOrGet(event, createdReceipt(event, new Date(at.getTime())))()
    if (E.isLeft(created)) throw new Error('create failed')
    const answered = created.right.result.order
    const name = answered.content.customer?.name
    expect(name).to.be.a('string')
    ;(answered as { status: string }).status = 'delivered'
    answered.createdAt.setFullYear(1999)
    answered.updatedAt.setFullYear(1998)
    ;(answered.content.positions as unknown as { sku: string }[])[0]!.sku = 'MUTATED'
    ;(answered.content.paymentMethods as string[]).push('MUTATED')
    ;(answered.content.customer as { name: string }).name = 'MUTATED'
    const again = await orderOf(repository, key)
    expect(again.status).to.equal('new')
    expect(again.createdAt).to.deep.equal(at)
    expect(again.updatedAt).to.deep.equal(at)
    expect(again.content.positions[0]?.sku).to.equal('4607001771234')
    expect(again.content.paymentMethods).to.not.include('MUTATED')
    expect(again.content.customer?.name).to.equal(name)
  })

  it('keeps its own copy of a journal record: mutating the entry it was given does not change the store', async () => {
    const repository = new InMemoryOrderRepository()
    const receivedAt = new Date(at.getTime())
    const entry = {
      requestId: 'R-own-copy',
      receivedAt,
      eventType: 'order.paid',
      originalOrderId: 'K2',
      rawBody: '{}',
      outcome: 'applied' as const,
      httpStatus: 200,
      durationMs: 1,
      detail: null as string | null,
    }
    await repository.recordJournal(entry)()
    receivedAt.setFullYear(2000)
    entry.detail = 'MUTATED'
    const listed = await repository.listJournal('K2')()
    if (E.isLeft(listed)) throw new Error('failed')
    expect(listed.right[0]?.detail).to.equal(null)
    expect(listed.right[0]?.receivedAt).to.deep.equal(at)
  })

  it('hands out copies of journal records', async () => {
    const repository = new InMemoryOrderRepository()
    const entry: JournalEntry = {
      requestId: null,
      receivedAt: at,
      eventType: 'order.paid',
      originalOrderId: 'K1',
      rawBody: '{}',
      outcome: 'applied',
      httpStatus: 200,
      durationMs: 1,
      detail: null,
    }
    await repository.recordJournal(entry)()
    const listed = await repository.listJournal('K1')()
    if (E.isLeft(listed)) throw new Error('failed')
    ;(listed.right[0] as { detail: string | null }).detail = 'MUTATED'
    const again = await repository.listJournal('K1')()
    expect(E.isRight(again) && again.right[0]?.detail).to.equal(null)
  })

  it('answers StoreUnavailable for every operation once closed', async () => {
    const repository = new InMemoryOrderRepository()
    await repository.close()
    const ping = await repository.ping()()
    const update = aStatusReported('order.paid', uniqueOrderId())
    const applied = await repository.applyUpdate(update.update, receiptFor('order.paid', update.rawBody, at))()
    expect(E.isLeft(ping) && ping.left._tag).to.equal('StoreUnavailable')
    expect(E.isLeft(applied) && applied.left._tag).to.equal('StoreUnavailable')
  })

  it('does nothing until its task is run', async () => {
    const repository = new InMemoryOrderRepository()
    const key = uniqueOrderId()
    const event = anOrderCreated({ originalOrderId: key })
    const task = repository.createOrGet(event, createdReceipt(event, at))
    const before = await repository.findOrder(key as OriginalOrderId)()
    expect(E.isRight(before) && O.isNone(before.right)).to.equal(true)
    await task()
    expect((await orderOf(repository, key)).status).to.equal('new')
  })
})
