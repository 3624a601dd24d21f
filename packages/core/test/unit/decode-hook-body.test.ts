import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type HookMessage, type HookProblem, type OrderEvent } from '@domino-sm/core'
import { decodeHookBodyByCodecs } from '../../dist/wire/decode-hook-body.js'
import { envelope, fixtureBody, loadFixture, orderCreatedBody, statusBody } from '@domino-sm/testkit'

const message = (body: string): HookMessage => {
  const result = decodeHookBody(body)
  if (E.isLeft(result)) throw new Error(`rejected: ${result.left.detail}`)
  return result.right
}

const event = (body: string): OrderEvent => {
  const decoded = message(body)
  if (decoded._tag !== 'KnownEvent') throw new Error('unknown event')
  return decoded.event
}

/** Problems under the strict policy (`UNREADABLE_ORDERS=reject`); the default reads such orders for review. */
const problem = (body: string): HookProblem => {
  const result = decodeHookBody(body, 'reject')
  if (E.isRight(result)) throw new Error(`accepted: ${JSON.stringify(result.right)}`)
  return result.left
}

const line = { id: 'A', quantity: 1, price: '10' }
const created = (payload: Record<string, unknown>): string => envelope('order.created', payload).body

describe('decodeHookBody', () => {
  describe('envelope', () => {
    it('reads the event type from event_type or event-type', () => {
      const dash = message(fixtureBody('order-created-event-dash'))
      const underscore = message(fixtureBody('order-created'))
      expect(dash).to.deep.include({ _tag: 'KnownEvent', eventType: 'order.created' })
      expect(dash._tag === 'KnownEvent' && underscore._tag === 'KnownEvent' && dash.event).to.deep.equal(
        underscore._tag === 'KnownEvent' && underscore.event,
      )
    })

    it('takes event_type first when both are sent, and skips a null one', () => {
      const both = JSON.stringify({
        event_type: 'order.paid',
        'event-type': 'order.delivered',
        payload: { originalOrderId: 'K' },
      })
      expect(event(both)).to.deep.include({ status: 'paid' })
      const nullFirst = JSON.stringify({
        event_type: null,
        'event-type': 'order.delivered',
        payload: { originalOrderId: 'K' },
      })
      expect(event(nullFirst)).to.deep.include({ status: 'delivered' })
    })

    it('accepts the aliases order.updated and order.canceled', () => {
      expect(event(fixtureBody('order-updated-alias'))._tag).to.equal('OrderChanged')
      expect(event(fixtureBody('order-canceled-alias'))).to.deep.equal({
        _tag: 'StatusReported',
        originalOrderId: 'H52417390815',
        status: 'cancelled',
        cancellation: { description: 'Товара нет в наличии' },
      })
    })

    it('ignores the case of the event type and keeps it as sent', () => {
      const decoded = message(statusBody('ORDER.Delivered', 'K').body)
      expect(decoded).to.deep.equal({
        _tag: 'KnownEvent',
        eventType: 'ORDER.Delivered',
        event: { _tag: 'StatusReported', originalOrderId: 'K', status: 'delivered' },
      })
    })

    it('accepts an envelope without timestamp', () => {
      expect(event(JSON.stringify({ event_type: 'order.paid', payload: { originalOrderId: 'K' } }))._tag).to.equal(
        'StatusReported',
      )
    })

    it('answers an unknown event type with UnknownEvent and its key, without judging the payload', () => {
      expect(message(fixtureBody('unknown-event'))).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.assembled',
        originalOrderId: 'H52417390815',
      })
      expect(message(JSON.stringify({ event_type: 'order.new_thing' }))).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.new_thing',
      })
      // An integer key is read as its decimal text, as it is for the events the hook acts on (docs/contract.md §3).
      expect(message(envelope('order.x', { originalOrderId: 42 }).body)).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.x',
        originalOrderId: '42',
      })
      expect(message(envelope('order.x', { originalOrderId: { id: 1 } }).body)).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.x',
      })
    })
  })

  describe('order payloads', () => {
    it('decodes a full order exactly: kopecks, fractional quantities, Cyrillic', () => {
      const decoded = event(fixtureBody('order-created'))
      if (decoded._tag !== 'OrderCreated') throw new Error(decoded._tag)
      const payload = loadFixture('order-created').payload
      expect(decoded.originalOrderId).to.equal(payload['originalOrderId'])
      expect(decoded.content.positions[0]).to.deep.equal({
        sku: '4607001771234',
        name: 'Молоко Домик в деревне 3,2% 950 г',
        originalQuantity: 2000,
        quantity: 2000,
        price: 12990,
        discountPrice: 11990,
        totalPrice: 25980,
        totalDiscountPrice: 23980,
        weight: '950',
      })
      expect(decoded.content.positions[1]).to.deep.include({ quantity: 455, originalQuantity: 500, price: 18999 })
      expect(decoded.content).to.deep.include({
        storeId: '1437',
        shipmentMethod: 'by_courier',
        replacementPolicy: 'call_or_replace',
        paymentMethods: ['card_online'],
        total: { totalPrice: 41125, discountTotalPrice: 39125 },
        delivery: { expectedFrom: '2026-05-24T15:00:00+03:00', expectedTo: '2026-05-24T16:00:00+03:00' },
      })
      expect(decoded.content.customer).to.deep.equal({
        name: 'Анна Сергеевна Кузнецова',
        phone: '+79161234567',
        email: 'anna.kuznetsova@example.ru',
      })
      expect(decoded.content.address).to.deep.include({
        fullAddress: 'г. Москва, ул. Большая Дмитровка, д. 7/5, стр. 1, кв. 42',
        doorPhone: '42К1234',
        deliveryToDoor: true,
      })
    })

    it('keeps the payload as sent, unknown fields included, in payloadJson', () => {
      const decoded = event(fixtureBody('order-created'))
      if (decoded._tag !== 'OrderCreated') throw new Error(decoded._tag)
      expect(JSON.parse(decoded.payloadJson)).to.deep.equal(loadFixture('order-created').payload)
      expect(decoded.payloadJson)
        .to.contain('"flowType":"collect_and_deliver"')
        .and.contain('"elevator":"passenger"')
        .and.contain('"uom":"шт"')
    })

    describe('payloadJson: the payload exactly as sent (docs/domino-integration.md)', () => {
      const sent =
        '{\n  "event_type": "order.created",\n  "payload": {\n    "originalOrderId": "HS1",\n' +
        '    "comment": "caf\\u00e9 \\"\\/", "extra": 1, "extra": 2,\n' +
        '    "positions": [ { "id": "A", "quantity": 5.0, "price": "10", "weight": 1e3 } ]\n  },\n  "timestamp": null\n}'
      const payloadText = sent.slice(
        sent.indexOf('{', sent.indexOf('"payload"')),
        sent.lastIndexOf('}', sent.lastIndexOf('"timestamp"')) + 1,
      )

      it('keeps blanks, number forms, escapes and duplicate keys as written, on both routes', () => {
        const fast = event(sent)
        expect(fast._tag).to.equal('OrderCreated')
        expect(fast._tag === 'OrderCreated' && fast.payloadJson).to.equal(payloadText)
        expect(payloadText)
          .to.contain('"quantity": 5.0')
          .and.contain('"extra": 1, "extra": 2')
          .and.contain('caf\\u00e9')
        const byCodecs = decodeHookBodyByCodecs(sent)
        expect(E.isRight(byCodecs) && byCodecs.right._tag === 'KnownEvent' && byCodecs.right.event).to.deep.equal(fast)
      })

      it('is the last payload member of the envelope, the one that was read', () => {
        const twice = '{"event_type":"order.created","payload":{"originalOrderId":"HS0"},' + sent.slice(1)
        const read = event(twice)
        expect(read.originalOrderId).to.equal('HS1')
        expect(read._tag === 'OrderCreated' && read.payloadJson).to.equal(payloadText)
      })

      it('keeps the text of an order read for review and of a change that cannot be read', () => {
        const review =
          '{"event_type":"order.created", "payload": {"originalOrderId": "HS2", "positions": [{"id": "A"}]}}'
        const created = event(review)
        expect(created._tag === 'OrderCreated' && created.payloadJson).to.equal(
          '{"originalOrderId": "HS2", "positions": [{"id": "A"}]}',
        )
        const change = event(review.replace('order.created', 'order.changed'))
        expect(change._tag === 'ChangeUnreadable' && change.payloadJson).to.equal(
          '{"originalOrderId": "HS2", "positions": [{"id": "A"}]}',
        )
      })

      it('writes a payload holding a raw lone surrogate as JSON.stringify does, escaped', () => {
        const raw =
          '{"event_type":"order.created","payload":{"originalOrderId":"HS3","comment":"a\ud800b","positions":[{"id":"A","quantity":1,"price":"10"}]}}'
        const read = event(raw)
        expect(read._tag === 'OrderCreated' && read.payloadJson).to.equal(
          JSON.stringify((JSON.parse(raw) as { payload: unknown }).payload),
        )
        expect(read._tag === 'OrderCreated' && read.payloadJson).to.contain('\\ud800')
      })
    })

    it('leaves optional fields given as null or absent out of the content', () => {
      const decoded = event(
        created({
          originalOrderId: 'K',
          positions: [{ ...line, name: null, discountPrice: null, weight: null }],
          comment: null,
          customer: null,
          address: {},
          total: { totalPrice: null },
        }),
      )
      if (decoded._tag !== 'OrderCreated') throw new Error(decoded._tag)
      expect(decoded.content).to.deep.equal({
        paymentMethods: [],
        positions: [{ sku: 'A', quantity: 1000, price: 1000 }],
      })
    })

    it('takes numbers where text is expected, and flags in their usual spellings', () => {
      const decoded = event(
        created({
          originalOrderId: 'K',
          storeID: 1437,
          positions: [{ id: 4600001, quantity: '2', price: 99.9 }],
          address: { floor: 3, delivery_to_door: 'false' },
        }),
      )
      if (decoded._tag !== 'OrderCreated') throw new Error(decoded._tag)
      expect(decoded.content.storeId).to.equal('1437')
      expect(decoded.content.positions[0]).to.deep.equal({ sku: '4600001', quantity: 2000, price: 9990 })
      expect(decoded.content.address).to.deep.equal({ floor: '3', deliveryToDoor: false })
    })

    it('trims the order key and the position ids', () => {
      expect(event(created({ originalOrderId: '  H77 ', positions: [{ ...line, id: ' A ' }] }))).to.deep.include({
        originalOrderId: 'H77',
      })
    })

    it('decodes order.changed like order.created', () => {
      const body = orderCreatedBody({ originalOrderId: 'K' }, { eventType: 'order.changed' }).body
      const changed = event(body)
      const asCreated = event(orderCreatedBody({ originalOrderId: 'K' }).body)
      expect(changed).to.deep.equal({ ...asCreated, _tag: 'OrderChanged' })
    })
  })

  describe('status payloads', () => {
    for (const [type, status] of [
      ['order.paid', 'paid'],
      ['order.received', 'handed_to_courier'],
      ['order.delivered', 'delivered'],
    ] as const) {
      it(`decodes ${type} as ${status}, without a cancellation`, () => {
        expect(event(statusBody(type, 'K', { cancellation: { slug: 'x' }, other: 1 }).body)).to.deep.equal({
          _tag: 'StatusReported',
          originalOrderId: 'K',
          status,
        })
      })
    }

    it('reads a cancellation reason under each of its guessed names', () => {
      const reasons = [
        [{ cancellation: { slug: 'a', description: 'Б' } }, { slug: 'a', description: 'Б' }],
        [{ cancellationReason: 'Причина' }, { description: 'Причина' }],
        [{ cancellation_reason: { slug: 'c' } }, { slug: 'c' }],
        [{ cancellation: { slug: null, other: 1 } }, undefined],
        [{ cancellationReason: '  ' }, undefined],
        [{}, undefined],
        // Odd shapes never turn a cancellation into a 400: the reason is dropped, the raw body keeps it.
        [{ cancellation: ['client', 'refused'] }, undefined],
        [{ cancellation: true }, undefined],
        [{ cancellation: { slug: 7, description: { text: 'x' } } }, { slug: '7' }],
      ] as const
      for (const [extra, expected] of reasons) {
        const decoded = event(statusBody('order.cancelled', 'K', extra).body)
        expect(
          decoded._tag === 'StatusReported' ? decoded.cancellation : 'not a status',
          JSON.stringify(extra),
        ).to.deep.equal(expected)
      }
    })
  })

  describe('problems (400 under the reject policy)', () => {
    it('does not journal a rejected body under a shortened key that could name another order', () => {
      const found = problem(created({ originalOrderId: 'H'.repeat(65), positions: [line] }))
      expect(found).to.not.have.property('originalOrderId')
    })

    const cases: readonly (readonly [string, string, RegExp])[] = [
      ['no order id', created({ positions: [line] }), /^payload\.originalOrderId: is required$/],
      [
        'a blank order id',
        created({ originalOrderId: ' ', positions: [line] }),
        /^payload\.originalOrderId: must not be blank$/,
      ],
      [
        'an order id over 64 characters',
        created({ originalOrderId: 'H'.repeat(65), positions: [line] }),
        /^payload\.originalOrderId: longer than 64/,
      ],
      ['no positions', created({ originalOrderId: 'K' }), /^payload\.positions: is required$/],
      [
        'empty positions',
        created({ originalOrderId: 'K', positions: [] }),
        /^payload\.positions: at least one position/,
      ],
      ['positions not an array', created({ originalOrderId: 'K', positions: {} }), /^payload\.positions: /],
      [
        'a position without id',
        created({ originalOrderId: 'K', positions: [{ quantity: 1, price: '1' }] }),
        /^payload\.positions\.0\.id: is required$/,
      ],
      [
        'a position without quantity',
        created({ originalOrderId: 'K', positions: [{ id: 'A', price: '1' }] }),
        /^payload\.positions\.0\.quantity: is required$/,
      ],
      [
        'a position without price',
        created({ originalOrderId: 'K', positions: [{ id: 'A', quantity: 1 }] }),
        /^payload\.positions\.0\.price: is required$/,
      ],
      [
        'a price that is not a number',
        created({ originalOrderId: 'K', positions: [{ ...line, price: 'сто' }] }),
        /^payload\.positions\.0\.price: not a decimal number/,
      ],
      [
        'a price of the wrong type',
        created({ originalOrderId: 'K', positions: [{ ...line, price: true }] }),
        /^payload\.positions\.0\.price: expected a decimal/,
      ],
      [
        'a negative price',
        created({ originalOrderId: 'K', positions: [{ ...line, price: '-1.00' }] }),
        /^payload\.positions\.0\.price: must not be negative$/,
      ],
      [
        'a negative quantity',
        created({ originalOrderId: 'K', positions: [{ ...line, quantity: -2 }] }),
        /^payload\.positions\.0\.quantity: must not be negative$/,
      ],
      [
        'a status event without order id',
        statusBody('order.paid', '').body,
        /^payload\.originalOrderId: is required \(or orderUUID\)$/,
      ],
    ]
    for (const [name, body, detail] of cases) {
      it(`rejects ${name} with InvalidPayload naming the field`, () => {
        const found = problem(body)
        expect(found._tag).to.equal('InvalidPayload')
        expect(found.detail).to.match(detail)
        expect(found.detail.length).to.be.below(200)
      })
    }

    it('keeps the event type and the usable key of an invalid payload for the journal', () => {
      expect(problem(envelope('Order.Created', { originalOrderId: ' K9 ', positions: [] }).body)).to.deep.equal({
        _tag: 'InvalidPayload',
        eventType: 'Order.Created',
        detail: 'payload.positions: at least one position is required',
        originalOrderId: 'K9',
      })
      expect(problem(created({ positions: [line] }))).to.not.have.property('originalOrderId')
    })

    it('rejects a payload that is not an object', () => {
      for (const payload of [[], 'x', null, 5]) {
        expect(problem(envelope('order.paid', payload).body)).to.deep.equal({
          _tag: 'InvalidPayload',
          eventType: 'order.paid',
          detail: 'payload: expected an object',
        })
      }
      expect(problem(JSON.stringify({ event_type: 'order.created' })).detail).to.equal('payload: expected an object')
    })

    it('rejects text that is not JSON', () => {
      for (const body of ['', '{', 'order.created', '{"event_type": "order.paid",}']) {
        expect(problem(body)).to.deep.equal({ _tag: 'MalformedJson', detail: 'the body is not valid JSON' })
      }
    })

    it('rejects JSON that is not an object', () => {
      for (const body of ['null', '[]', '"order.paid"', '42']) {
        expect(problem(body)).to.deep.equal({ _tag: 'MalformedEnvelope', detail: 'the body must be a JSON object' })
      }
    })

    it('rejects a missing event type, and one that is not a non-empty string', () => {
      expect(problem(JSON.stringify({ payload: { originalOrderId: 'K' } }))).to.deep.equal({
        _tag: 'MalformedEnvelope',
        detail: 'event_type is required',
      })
      expect(problem(JSON.stringify({ event_type: 5 })).detail).to.equal('event_type: expected a non-empty string')
      expect(problem(JSON.stringify({ 'event-type': ' ' })).detail).to.equal('event-type: expected a non-empty string')
      expect(problem(JSON.stringify({ event_type: { a: 1 } }))._tag).to.equal('MalformedEnvelope')
      expect(problem(JSON.stringify({ event_type: 'x'.repeat(101) })).detail).to.equal(
        'event_type: longer than 100 characters',
      )
    })

    it('refuses an order nested deeper than the reader reads only under the reject policy, instead of throwing (regression)', () => {
      // JSON.parse reads 10000 levels; JSON.stringify of them overflowed the stack inside decodeHookBody.
      const deep = `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}`
      for (const type of ['order.created', 'order.changed']) {
        const body = `{"event_type":"${type}","payload":{"originalOrderId":"H1","positions":[{"id":"1","quantity":1,"price":"65"}],"extra":${deep}}}`
        expect(problem(body)).to.deep.equal({
          _tag: 'InvalidPayload',
          eventType: type,
          detail: 'payload: nested deeper than 1000 levels',
          originalOrderId: 'H1',
        })
      }
    })

    it('never echoes more than a short piece of what was sent', () => {
      const found = problem(
        created({ originalOrderId: 'K', positions: [{ ...line, price: '9'.repeat(10_000) + 'x' }] }),
      )
      expect(found.detail.length).to.be.below(120)
    })
  })
})
