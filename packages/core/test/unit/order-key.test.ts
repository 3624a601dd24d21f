import { expect } from 'chai'
import * as E from 'fp-ts/lib/Either.js'
import { decodeHookBody, type HookMessage, type HookProblem, type OrderEvent } from '@domino-sm/core'
import { MAX_READABLE_DEPTH, unstorableTextReason } from '@domino-sm/core/internals'
import { decodeHookBodyByCodecs } from '../../dist/wire/decode-hook-body.js'
import { envelope, fullOrderPayload, minimalOrderPayload } from '@domino-sm/testkit'

/**
 * The order key as docs/contract.md §3 reads it: `originalOrderId`, or `orderUUID` without it; an integer key's
 * digits from the body's own text; and what a body nested past the reader's depth, or an unreadable event type,
 * become (§2: never a 4xx for an order with a readable key).
 */

const message = (body: string, policy: 'review' | 'reject' = 'review'): HookMessage => {
  const result = decodeHookBody(body, policy)
  if (E.isLeft(result)) throw new Error(`rejected: ${result.left.detail}`)
  return result.right
}
const event = (body: string, policy: 'review' | 'reject' = 'review'): OrderEvent => {
  const decoded = message(body, policy)
  if (decoded._tag !== 'KnownEvent') throw new Error('unknown event')
  return decoded.event
}
const problem = (body: string, policy: 'review' | 'reject' = 'reject'): HookProblem => {
  const result = decodeHookBody(body, policy)
  if (E.isRight(result)) throw new Error(`accepted: ${JSON.stringify(result.right)}`)
  return result.left
}

const UUID_KEY = 'metro-cc:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f'
const line = { id: 'A', quantity: 1, price: '10' }
const withoutKey = (payload: Record<string, unknown>): Record<string, unknown> => {
  const { originalOrderId: _dropped, ...rest } = payload
  return rest
}
/** An order.created body whose key is written into the text as given (digits stay digits). */
const createdWithRawKey = (rawKey: string, field = 'originalOrderId'): string =>
  `{"event_type":"order.created","payload":{"${field}":${rawKey},"positions":[{"id":"A","quantity":1,"price":"10"}]}}`

describe('the order key', () => {
  describe('orderUUID (the newer Kuper API)', () => {
    it('is the key of every event type when originalOrderId is absent, null or ""', () => {
      for (const absent of [{}, { originalOrderId: null }, { originalOrderId: '' }]) {
        const created = event(
          envelope('order.created', { ...withoutKey(fullOrderPayload('x')), ...absent, orderUUID: UUID_KEY }).body,
        )
        expect(created).to.deep.include({ _tag: 'OrderCreated', originalOrderId: UUID_KEY })
        expect(created._tag === 'OrderCreated' && created.content.orderUuid).to.equal(UUID_KEY)
        expect(created._tag === 'OrderCreated' && created.unread).to.equal(undefined)
      }
      expect(event(envelope('order.changed', { orderUUID: UUID_KEY, positions: [line] }).body)).to.deep.include({
        _tag: 'OrderChanged',
        originalOrderId: UUID_KEY,
      })
      for (const type of ['order.paid', 'order.received', 'order.delivered', 'order.cancelled', 'order.canceled']) {
        expect(event(envelope(type, { orderUUID: UUID_KEY }).body)).to.deep.include({
          _tag: 'StatusReported',
          originalOrderId: UUID_KEY,
        })
      }
      expect(message(envelope('order.assembled', { orderUUID: UUID_KEY }).body)).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.assembled',
        originalOrderId: UUID_KEY,
      })
    })

    it('stays beside originalOrderId, which is the key when both are sent', () => {
      const created = event(
        envelope('order.created', { ...minimalOrderPayload('H82543522441'), orderUUID: UUID_KEY }).body,
      )
      expect(created).to.deep.include({ originalOrderId: 'H82543522441' })
      expect(created._tag === 'OrderCreated' && created.content.orderUuid).to.equal(UUID_KEY)
      expect(
        event(envelope('order.paid', { originalOrderId: 'H82543522441', orderUUID: UUID_KEY }).body),
      ).to.deep.include({ originalOrderId: 'H82543522441' })
    })

    it('holds the longest slug a 64-character key leaves room for (27 characters and the 36-character UUID)', () => {
      const longest = `${'s'.repeat(27)}:5f0e3c1e-7a4b-4c1d-9e2f-3a4b5c6d7e8f`
      expect(longest).to.have.length(64)
      expect(event(envelope('order.created', { orderUUID: longest, positions: [line] }).body)).to.deep.include({
        originalOrderId: longest,
      })
      expect(problem(envelope('order.created', { orderUUID: `s${longest}`, positions: [line] }).body).detail).to.equal(
        'payload.orderUUID: longer than 64 characters',
      )
    })

    it('an unreadable orderUUID beside a readable key: the order is read for review (400 only under reject), a status event applies', () => {
      const body = envelope('order.created', { ...minimalOrderPayload('H1'), orderUUID: 'metro:\u0000' }).body
      const created = event(body)
      expect(created).to.deep.include({ _tag: 'OrderCreated', originalOrderId: 'H1' })
      expect(created._tag === 'OrderCreated' && created.unread).to.deep.equal([
        'orderUUID "metro:\\u0000" could not be read (holds a NUL character, which cannot be stored)',
      ])
      expect(created._tag === 'OrderCreated' && created.content.orderUuid).to.equal(undefined)
      expect(problem(body)).to.deep.include({
        detail: 'payload.orderUUID: holds a NUL character, which cannot be stored',
        originalOrderId: 'H1',
      })
      expect(event(envelope('order.paid', { originalOrderId: 'H1', orderUUID: 7.5 }).body)).to.deep.include({
        originalOrderId: 'H1',
        status: 'paid',
      })
    })

    it('neither key: 400 under both policies, naming the fields', () => {
      for (const policy of ['review', 'reject'] as const) {
        expect(problem(envelope('order.created', { positions: [line] }).body, policy).detail).to.equal(
          'payload.originalOrderId: is required',
        )
        expect(problem(envelope('order.paid', { orderUUID: ' ' }).body, policy).detail).to.equal(
          'payload.orderUUID: must not be blank',
        )
      }
      // A given originalOrderId that cannot be read is no key, even beside a readable orderUUID.
      expect(
        problem(envelope('order.paid', { originalOrderId: true, orderUUID: UUID_KEY }).body, 'review').detail,
      ).to.equal('payload.originalOrderId: expected text')
    })
  })

  describe('integer keys, read exactly as sent', () => {
    it('integer keys of 17 to 25 digits that differ in the last digit are distinct keys, their digits kept', () => {
      for (let digits = 17; digits <= 25; digits += 1) {
        const stem = '9007199254740993123456789'.slice(0, digits - 1)
        const keys = ['1', '9'].map((last) => event(createdWithRawKey(`${stem}${last}`)).originalOrderId)
        expect(keys).to.deep.equal([`${stem}1`, `${stem}9`])
      }
      expect(event(createdWithRawKey('90071992547409931')).originalOrderId).to.equal('90071992547409931')
      expect(event(createdWithRawKey('90071992547409929')).originalOrderId).to.equal('90071992547409929')
    })

    it('the same for orderUUID sent as an integer, for status events, and for the key journaled with an unknown type', () => {
      expect(event(createdWithRawKey('123456789012345678901', 'orderUUID')).originalOrderId).to.equal(
        '123456789012345678901',
      )
      expect(
        event('{"event_type":"order.paid","payload":{"originalOrderId":90071992547409931}}').originalOrderId,
      ).to.equal('90071992547409931')
      expect(message('{"event_type":"order.x","payload":{"originalOrderId":90071992547409931}}')).to.deep.equal({
        _tag: 'UnknownEvent',
        eventType: 'order.x',
        originalOrderId: '90071992547409931',
      })
    })

    it("reads the digits of the payload's own key: not a same-named member elsewhere, the last of duplicates, escaped names too", () => {
      const key = (body: string): string => event(body).originalOrderId
      const position = '"positions":[{"id":"A","quantity":1,"price":"10","originalOrderId":90071992547409929}]'
      expect(
        key(
          `{"originalOrderId":90071992547409927,"event_type":"order.created","payload":{${position},"original\\u004frderId":90071992547409931}}`,
        ),
      ).to.equal('90071992547409931')
      expect(
        key(
          `{"event_type":"order.created","payload":{"originalOrderId":90071992547409921,${position},"originalOrderId":90071992547409931}}`,
        ),
      ).to.equal('90071992547409931')
      expect(
        key(
          `{"payload":{"x":"\\"originalOrderId\\":1","originalOrderId" : 90071992547409931 ,${position}} , "event_type":"order.created"}`,
        ),
      ).to.equal('90071992547409931')
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
      expect(
        key(
          `{"event_type":"order.created","payload":{"extra":${deep},"originalOrderId":90071992547409931,${position}}}`,
        ),
      ).to.equal('90071992547409931')
    })

    it('keeps the digits in the payload the order stores', () => {
      const created = event(createdWithRawKey('90071992547409931'))
      expect(created._tag === 'OrderCreated' && created.payloadJson).to.contain('"originalOrderId":90071992547409931,')
    })

    it('a key is digits: -0, a negative, a fraction, 1.0 and an exponent are no key (400 under both policies)', () => {
      for (const raw of ['-0', '-5', '1.5', '1.0', '1e21', '1E3', '0.0']) {
        for (const policy of ['review', 'reject'] as const) {
          const found = problem(createdWithRawKey(raw), policy)
          expect(found.detail, raw).to.equal(
            'payload.originalOrderId: a number key must be a whole number written as plain digits (no sign, fraction or exponent)',
          )
          expect(found).to.not.have.property('originalOrderId')
        }
      }
      expect(event(createdWithRawKey('0')).originalOrderId).to.equal('0')
    })

    it('more than 64 digits is no key', () => {
      expect(problem(createdWithRawKey('1'.repeat(65))).detail).to.equal(
        'payload.originalOrderId: longer than 64 characters',
      )
    })
  })

  describe('depth', () => {
    const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`
    /** An order.created whose body nests exactly `depth` levels (envelope 1, payload 2, extra's arrays below). */
    const bodyOfDepth = (depth: number, type = 'order.created'): string =>
      `{"event_type":"${type}","payload":{"originalOrderId":"H1","positions":[{"id":"A","quantity":1,"price":"10"}],"extra":${nested(depth - 2)}}}`

    it(`reads an order nested ${MAX_READABLE_DEPTH} levels as usual`, () => {
      const read = event(bodyOfDepth(MAX_READABLE_DEPTH))
      expect(read).to.deep.include({ _tag: 'OrderCreated', originalOrderId: 'H1' })
      expect(read._tag === 'OrderCreated' && read.unread).to.equal(undefined)
      expect(event(bodyOfDepth(MAX_READABLE_DEPTH), 'reject')._tag).to.equal('OrderCreated')
    })

    it('creates an order nested one level deeper for review, its payload kept whole; 400 only under reject', () => {
      const body = bodyOfDepth(MAX_READABLE_DEPTH + 1)
      const read = event(body)
      expect(read).to.deep.include({ _tag: 'OrderCreated', originalOrderId: 'H1' })
      if (read._tag !== 'OrderCreated') throw new Error('not created')
      expect(read.unread).to.deep.equal([
        `the body is nested deeper than ${MAX_READABLE_DEPTH} levels: only its known fields were read, and the payload is kept whole`,
      ])
      expect(read.content.positions).to.have.length(1)
      expect(`{"event_type":"order.created","payload":${read.payloadJson}}`).to.equal(body)
      expect(problem(body)).to.deep.equal({
        _tag: 'InvalidPayload',
        eventType: 'order.created',
        detail: `payload: nested deeper than ${MAX_READABLE_DEPTH} levels`,
        originalOrderId: 'H1',
      })
      expect(event(bodyOfDepth(MAX_READABLE_DEPTH + 1, 'order.changed'))).to.deep.include({
        _tag: 'ChangeUnreadable',
        originalOrderId: 'H1',
      })
    })

    it('creates for review the deepest order a 1 MiB body holds, and reads status events of any depth', () => {
      const frame = bodyOfDepth(2).length
      const levels = Math.floor((1024 * 1024 - frame) / 2) + 2
      const body = bodyOfDepth(levels)
      expect(Buffer.byteLength(body)).to.be.at.most(1024 * 1024)
      const read = event(body)
      expect(read._tag === 'OrderCreated' && read.unread?.length).to.equal(1)
      expect(read._tag === 'OrderCreated' && read.payloadJson.length).to.equal(
        body.length - '{"event_type":"order.created","payload":}'.length,
      )
      const paid = `{"event_type":"order.paid","payload":{"originalOrderId":"H1","extra":${nested(levels)}}}`
      expect(event(paid)).to.deep.include({ _tag: 'StatusReported', originalOrderId: 'H1' })
    })

    it('an unreadable key stays a 400 at any depth', () => {
      expect(
        problem(`{"event_type":"order.created","payload":{"positions":[],"extra":${nested(5000)}}}`, 'review').detail,
      ).to.equal('payload.originalOrderId: is required')
    })

    it('counts no bracket inside a string', () => {
      const quoted = JSON.stringify('[{'.repeat(3000) + '\\"[[')
      const read = event(
        `{"event_type":"order.created","payload":{"originalOrderId":"H1","positions":[{"id":"A","quantity":1,"price":"10"}],"comment":${quoted}}}`,
      )
      expect(read._tag === 'OrderCreated' && read.unread).to.equal(undefined)
    })
  })

  describe('event types that cannot be stored as written', () => {
    it('are kept escaped and answered like an unknown type, the key kept', () => {
      const cases: readonly (readonly [string, string])[] = [
        ['order.created\u0000', 'order.created\\u0000'],
        ['order.\ud800paid', 'order.\\ud800paid'],
        ['order.paid\udc00', 'order.paid\\udc00'],
        ['\u0000', '\\u0000'],
      ]
      for (const [sent, kept] of cases) {
        const body = JSON.stringify({ event_type: sent, payload: { originalOrderId: 'H1', positions: [line] } })
        const read = message(body)
        expect(read).to.deep.equal({ _tag: 'UnknownEvent', eventType: kept, originalOrderId: 'H1' })
        expect(unstorableTextReason(read.eventType)).to.equal(undefined)
      }
      // A well-formed pair (an emoji) is text like any other.
      expect(message(JSON.stringify({ event_type: 'order.😀', payload: {} }))).to.deep.include({
        eventType: 'order.😀',
      })
    })
  })

  // Regression: the property test found the codecs keeping `orderUUID: ""` as the order's orderUuid (io-ts's
  // intersection merged the payload's raw field back in) where the fast path, rightly, read it as absent.
  it('reads an orderUUID of "" or null beside the key as absent, by the codecs as by the fast path', () => {
    for (const orderUUID of ['', null]) {
      const body = envelope('order.created', { ...minimalOrderPayload('H1'), orderUUID }).body
      for (const decode of [decodeHookBody, decodeHookBodyByCodecs]) {
        const decoded = decode(body)
        const content =
          E.isRight(decoded) && decoded.right._tag === 'KnownEvent' && decoded.right.event._tag === 'OrderCreated'
            ? decoded.right.event.content
            : undefined
        expect(content, `${decode.name}, orderUUID ${JSON.stringify(orderUUID)}`).to.not.equal(undefined)
        expect(content, `${decode.name}, orderUUID ${JSON.stringify(orderUUID)}`).to.not.have.property('orderUuid')
      }
    }
  })
})
